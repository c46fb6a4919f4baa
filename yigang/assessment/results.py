"""A round's results: computed on the fly from the records until published, read from the snapshot after."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from yigang.towns.models import Town

from .facts import gather
from .models import Adjustment, Round, Scheme
from .scoring import DEFAULT_RULES, score


def scheme_for(town: Town, year: int) -> Scheme | None:
    return Scheme.objects.filter(town=town, year=year).order_by("-id").first()


def _rank(rows: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) by score; vetoed subjects rank after all others."""
    order = sorted(rows, key=lambda r: (r["vetoed"], -float(r["score"])))
    previous: tuple[bool, str] | None = None
    for position, row in enumerate(order, start=1):
        key = (row["vetoed"], row["score"])
        if key != previous:
            rank = position
        row["rank"] = rank
        previous = key
    rows.sort(key=lambda r: (r["rank"], r["name"]))


def compute(
    town: Town,
    year: int,
    *,
    rules: dict[str, Any] | None = None,
    as_of: datetime.date | None = None,
    adjustments: list[Adjustment] | None = None,
) -> dict[str, Any]:
    """Every body, village and leader of `town` scored for `year` from the records as they stand on `as_of`."""
    as_of = as_of or timezone.localdate()
    rules = rules or DEFAULT_RULES
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for adj in adjustments or []:
        by_subject.setdefault(adj.subject, []).append(
            {
                "id": adj.pk,
                "points": str(adj.points),
                "reason": adj.reason,
                "file": adj.name,
                "by": adj.created_by.get_username() if adj.created_by else "",
                "at": adj.created_at.isoformat() if adj.created_at else "",
            }
        )
    units: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    for s in gather(town, year, as_of):
        result = score(s.facts, rules, by_subject.get(s.key, []))
        row: dict[str, Any] = {
            "key": s.key,
            "name": s.name,
            "score": str(result.score),
            "grade": result.grade,
            "vetoed": result.vetoed,
            "veto_reasons": result.veto_reasons,
            "veto_records": s.facts.records.get("veto", []),
            "eligible": result.eligible,
            "items": result.items,
            "deductions": result.deductions,
            "adjustments": result.adjustments,
        }
        if s.kind == "unit":
            units.append({**row, "unit": s.name, "unit_id": s.unit_id, "unit_kind": s.unit_kind})
        else:
            persons.append(
                {**row, "person": s.name, "person_id": s.person_id, "post": s.post, "post_id": s.post_id}
            )
    _rank(units)
    _rank(persons)
    # 先进 proposed: the 优秀 subjects not vetoed, at most a fifth of each list (at least one where any qualify).
    for rows in (units, persons):
        quota = max(1, len(rows) // 5)
        for row in rows:
            row["advanced"] = row["eligible"] and row["rank"] <= quota
    return {"town": town.name, "year": year, "as_of": as_of.isoformat(), "units": units, "persons": persons}


def results(town: Town, year: int, *, as_of: datetime.date | None = None) -> dict[str, Any]:
    """The published snapshot, or the round computed now (with its adjustments) if not published."""
    found = Round.objects.filter(town=town, year=year).select_related("scheme").first()
    if found is not None and found.published:
        return {**found.snapshot, "published": True}
    scheme = found.scheme if found else scheme_for(town, year)
    adjustments = list(Adjustment.objects.filter(round=found).select_related("created_by")) if found else []
    data = compute(
        town,
        year,
        rules=scheme.rules if scheme else None,
        as_of=as_of or _default_as_of(year),
        adjustments=adjustments,
    )
    return {**data, "published": False}


def _default_as_of(year: int) -> datetime.date:
    return min(timezone.localdate(), datetime.date(year, 12, 31))


def contract(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON of `yigang assess --json` (issue 13)."""
    return {
        "town": data["town"],
        "year": data["year"],
        "published": data["published"],
        "units": [
            {k: u[k] for k in ("unit", "score", "grade", "vetoed", "veto_reasons", "rank")}
            | {"score": float(u["score"])}
            for u in data["units"]
        ],
        "persons": [
            {k: p[k] for k in ("person", "post", "score", "grade", "vetoed", "veto_reasons")}
            | {"score": float(p["score"])}
            for p in data["persons"]
        ],
    }
