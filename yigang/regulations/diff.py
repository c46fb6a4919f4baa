"""What changed between two versions of a regulation: articles and duties added, removed, changed."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from typing import Any

from .models import Duty, Regulation


@dataclass
class ArticleChange:
    number: int
    status: str  # added | removed | changed
    old_text: str = ""
    new_text: str = ""
    opcodes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class DutyChange:
    status: str  # added | removed | changed
    place: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    fields: list[str] = field(default_factory=list)


@dataclass
class RegulationDiff:
    old: str
    new: str
    articles: list[ArticleChange]
    duties: list[DutyChange]
    header: dict[str, list[str]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def empty(self) -> bool:
        return not (self.articles or self.duties or self.header)


_DUTY_FIELDS = ("post", "kind", "min_count", "period")


def _duty_key(duty: Duty) -> tuple[int | None, int | None, str]:
    # A duty is "the same" across versions when it stands in the same article and item for the same post;
    # its kind, count and period are what may change.
    return (
        duty.article.number if duty.article else None,
        duty.item.number if duty.item else None,
        duty.post,
    )


def _duty_dict(duty: Duty) -> dict[str, Any]:
    return {
        "article": duty.article.number if duty.article else None,
        "item": duty.item.number if duty.item else None,
        "post": duty.post,
        "kind": duty.kind,
        "min_count": duty.min_count,
        "period": duty.period,
        "label": f"{duty.get_post_display() or '—'} {duty.get_kind_display()} {duty.frequency_label}",
    }


def _text_opcodes(old: str, new: str) -> list[dict[str, str]]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [
        {"op": tag, "old": old[i1:i2], "new": new[j1:j2]} for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def diff_regulations(old: Regulation, new: Regulation) -> RegulationDiff:
    """Compare two versions, articles by number and duties by (article, item, post)."""
    header = {
        name: [str(getattr(old, name) or ""), str(getattr(new, name) or "")]
        for name in ("title", "issuer", "issued_on", "document_number", "recipients", "reason")
        if getattr(old, name) != getattr(new, name)
    }
    old_articles = {a.number: a for a in old.articles.all()}
    new_articles = {a.number: a for a in new.articles.all()}
    articles: list[ArticleChange] = []
    for number in sorted(old_articles.keys() | new_articles.keys()):
        before, after = old_articles.get(number), new_articles.get(number)
        if before is None and after is not None:
            articles.append(ArticleChange(number, "added", new_text=after.text))
        elif after is None and before is not None:
            articles.append(ArticleChange(number, "removed", old_text=before.text))
        elif before is not None and after is not None and before.text != after.text:
            articles.append(
                ArticleChange(
                    number, "changed", before.text, after.text, _text_opcodes(before.text, after.text)
                )
            )

    def by_key(regulation: Regulation) -> dict[tuple[int | None, int | None, str], list[Duty]]:
        grouped: dict[tuple[int | None, int | None, str], list[Duty]] = {}
        for duty in regulation.duties.select_related("article", "item").order_by("position"):
            grouped.setdefault(_duty_key(duty), []).append(duty)
        return grouped

    old_duties, new_duties = by_key(old), by_key(new)
    duties: list[DutyChange] = []
    for key in sorted(old_duties.keys() | new_duties.keys(), key=lambda k: (k[0] or 0, k[1] or 0, k[2])):
        olds, news = old_duties.get(key, []), new_duties.get(key, [])
        place = f"第{key[0]}条" if key[0] is not None else "（无条）"
        place += f"第{key[1]}项" if key[1] is not None else ""
        for i in range(max(len(olds), len(news))):
            before_d = _duty_dict(olds[i]) if i < len(olds) else None
            after_d = _duty_dict(news[i]) if i < len(news) else None
            if before_d is None:
                duties.append(DutyChange("added", place, new=after_d))
            elif after_d is None:
                duties.append(DutyChange("removed", place, old=before_d))
            else:
                changed = [f for f in _DUTY_FIELDS if before_d[f] != after_d[f]]
                if changed:
                    duties.append(DutyChange("changed", place, before_d, after_d, changed))
    return RegulationDiff(str(old), str(new), articles, duties, header)
