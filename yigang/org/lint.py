"""Gaps in the responsibility register: overlapping or missing supervision, duties nobody holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from yigang.regulations.models import Duty, Regulation, Status
from yigang.towns.models import Town

from .models import Post, Sector, Supervision


@dataclass
class Overlap:
    sector: str
    bodies: list[dict[str, str]]


@dataclass
class UnheldDuty:
    post: str
    post_name: str
    duties: list[dict[str, Any]]


@dataclass
class LintReport:
    town: str
    regulation: str | None
    overlaps: list[Overlap] = field(default_factory=list)
    unsupervised: list[str] = field(default_factory=list)
    unheld_duties: list[UnheldDuty] = field(default_factory=list)
    pending_claims: int = 0

    @property
    def clean(self) -> bool:
        return not (self.overlaps or self.unsupervised or self.unheld_duties)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["clean"] = self.clean
        return data


def lint_town(town: Town) -> LintReport:
    """Check the town's sector table and posts against its regulation in force."""
    regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    report = LintReport(town=town.name, regulation=str(regulation) if regulation else None)

    by_sector: dict[int, list[Supervision]] = defaultdict(list)
    for s in Supervision.objects.filter(town=town).select_related("unit"):
        by_sector[s.sector_id].append(s)
    for sector in Sector.objects.filter(town=town).order_by("name"):
        claims = by_sector.get(sector.pk, [])
        if not claims:
            report.unsupervised.append(sector.name)
        elif len({c.unit_id for c in claims}) > 1:
            report.overlaps.append(
                Overlap(sector.name, [{"unit": c.unit.name, "scope": c.scope} for c in claims])
            )

    if regulation is not None:
        from .actions import pending_claims

        report.pending_claims = len(pending_claims(regulation))
        held = set(
            Post.objects.filter(town=town, active=True, unit__active=True).values_list("kind", flat=True)
        )
        unheld: dict[str, UnheldDuty] = {}
        for duty in Duty.objects.filter(regulation=regulation).select_related("article", "item"):
            if duty.post and duty.post not in held:
                entry = unheld.setdefault(duty.post, UnheldDuty(duty.post, duty.get_post_display(), []))
                entry.duties.append(
                    {"place": duty.place_label, "frequency": duty.frequency_label, "text": duty.text[:80]}
                )
        report.unheld_duties = list(unheld.values())
    return report
