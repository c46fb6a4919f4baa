"""A round's results: computed on the fly from the records until published, read from the snapshot after.

A closed year (its last day has passed) is judged whole; before that the results are 预评 (provisional): the
periods still running are listed as open and the round cannot be published. 先进: at most the scheme's share of
each list (`advanced_share`, a ceiling, rounded down); when subjects tied on the line's score would take more
seats than are left, none of the tied is named until the 安委办 decides (`TieDecision`, with a reason).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yigang.towns.models import Town
from yigang.towns.naming import display_name

from .facts import gather
from .models import Adjustment, NotApplicable, Round, Scheme, TieDecision
from .scoring import DEFAULT_ADVANCED_SHARE, DEFAULT_RULES, INDICATORS, score


def scheme_for(town: Town, year: int) -> Scheme | None:
    return Scheme.objects.filter(town=town, year=year).order_by("-id").first()


def year_closed(year: int, today: datetime.date | None = None) -> bool:
    """Whether `year` has ended (its 31 December has passed): only then is it judged whole and published."""
    return (today or timezone.localdate()) > datetime.date(year, 12, 31)


def _rank(rows: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) by score; vetoed subjects rank after all others."""
    order = sorted(rows, key=lambda r: (r["vetoed"], -Decimal(r["score"])))
    previous: tuple[bool, str] | None = None
    for position, row in enumerate(order, start=1):
        key = (row["vetoed"], row["score"])
        if key != previous:
            rank = position
        row["rank"] = rank
        previous = key
    rows.sort(key=lambda r: (r["rank"], r["name"]))


def quota_of(count: int, share: Any) -> int:
    """At most `share` per cent of `count`, rounded down: a ceiling (22 units at 20 % → 4)."""
    return int(Decimal(count) * Decimal(str(share)) / 100)


def _advanced(
    rows: list[dict[str, Any]], share: Any, group: str, decisions: list[TieDecision]
) -> dict[str, Any] | None:
    """Mark `advanced` on `rows` (ranked); return the tie at the line, if any, with its decision."""
    quota = quota_of(len(rows), share)
    eligible = [r for r in rows if r["eligible"]]  # ranked order: best first
    for row in rows:
        row["advanced"] = False
        row["tied"] = False
        row["tie_pending"] = False
    if len(eligible) <= quota:
        for row in eligible:
            row["advanced"] = True
        return None
    line = Decimal(eligible[quota]["score"])  # the best of those the seats do not reach
    above = [r for r in eligible if Decimal(r["score"]) > line]
    for row in above:
        row["advanced"] = True
    if len(above) == quota:
        return None  # the line falls between two scores: no tie
    tied = [r for r in eligible if Decimal(r["score"]) == line]
    seats = quota - len(above)
    keys = sorted(r["key"] for r in tied)
    decision = next(
        (d for d in reversed(decisions) if d.group == group and d.tied == keys and d.seats == seats), None
    )
    chosen = set(decision.chosen) if decision else set()
    for row in tied:
        row["tied"] = True
        row["tie_pending"] = decision is None
        row["advanced"] = row["key"] in chosen
    return {
        "group": group,
        "score": str(line),
        "seats": seats,
        "quota": quota,
        "keys": keys,
        "names": [r["name"] + (f"（{r['post']}）" if r.get("post") else "") for r in tied],
        "decision": None
        if decision is None
        else {
            "id": decision.pk,
            "chosen": decision.chosen,
            "reason": decision.reason,
            "by": display_name(decision.created_by, decision.created_at),
            "at": _local(decision.created_at),
        },
    }


def _local(moment: datetime.datetime | None) -> str:
    """A moment as the papers print it: 2025年12月31日 18:05 (local time), never a raw ISO string."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def cn_date(day: datetime.date | str | None) -> str:
    """A day as the papers print it: 2025年12月31日."""
    if not day:
        return ""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def compute(
    town: Town,
    year: int,
    *,
    rules: dict[str, Any] | None = None,
    as_of: datetime.date | None = None,
    adjustments: list[Adjustment] | None = None,
    not_applicable: list[NotApplicable] | None = None,
    decisions: list[TieDecision] | None = None,
    scheme: Scheme | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Every body, village and leader of `town` scored for `year` from the records as they stand on `as_of`
    (the cut-off day: 31 December, or today while the year runs). `today` (default: now) decides whether the
    year has ended: if not, the results are provisional (预评)."""
    today = today or timezone.localdate()
    year_end = datetime.date(year, 12, 31)
    as_of = as_of or min(today, year_end)
    closed = as_of >= year_end and year_closed(year, today)
    rules = rules or (scheme.rules if scheme else DEFAULT_RULES)
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for adj in adjustments or []:
        by_subject.setdefault(adj.subject, []).append(
            {
                "id": adj.pk,
                "points": str(adj.points),
                "reason": adj.reason,
                "file": adj.name,
                "by": display_name(adj.created_by, adj.created_at),
                "at": _local(adj.created_at),
            }
        )
    marked: dict[str, dict[str, dict[str, Any]]] = {}
    for na in not_applicable or []:
        if na.withdrawn_at is None:
            marked.setdefault(na.subject, {})[na.item] = {
                "id": na.pk,
                "reason": na.reason,
                "by": display_name(na.created_by, na.created_at),
                "at": _local(na.created_at),
            }
    units: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    version = scheme.version if scheme else None
    for s in gather(town, year, as_of, closed=closed):
        result = score(s.facts, rules, by_subject.get(s.key, []), marked.get(s.key))
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
            "scaled": result.scaled,
            "no_record_items": [i["label"] for i in result.items if i["no_record"]],
            "not_applicable_items": [
                {"label": i["label"], "reason": i["not_applicable"]["reason"]}
                for i in result.items
                if i["not_applicable"]
            ],
            "deductions": result.deductions,
            "adjustments": result.adjustments,
            "scheme_version": version,
        }
        if s.kind == "unit":
            units.append({**row, "unit": s.name, "unit_id": s.unit_id, "unit_kind": s.unit_kind})
        else:
            persons.append(
                {**row, "person": s.name, "person_id": s.person_id, "post": s.post, "post_id": s.post_id}
            )
    _rank(units)
    _rank(persons)
    share = rules.get("advanced_share", DEFAULT_ADVANCED_SHARE)
    ties = {
        group: _advanced(rows, share, group, decisions or [])
        for group, rows in (("units", units), ("persons", persons))
    }
    return {
        "town": town.name,
        "year": year,
        "as_of": as_of.isoformat(),
        "provisional": not closed,
        "scheme": None
        if scheme is None
        else {"id": scheme.pk, "version": scheme.version, "title": scheme.title, "rules": scheme.rules},
        "advanced_share": str(share),
        "ties": {k: v for k, v in ties.items() if v is not None},
        "units": units,
        "persons": persons,
    }


def compute_round(
    rnd: Round, *, as_of: datetime.date | None = None, today: datetime.date | None = None
) -> dict[str, Any]:
    """A round computed now with its scheme, adjustments, 不适用 markings and tie decisions."""
    return compute(
        rnd.town,
        rnd.year,
        scheme=rnd.scheme,
        as_of=as_of,
        today=today,
        adjustments=list(Adjustment.objects.filter(round=rnd).select_related("created_by")),
        not_applicable=list(NotApplicable.objects.filter(round=rnd).select_related("created_by")),
        decisions=list(TieDecision.objects.filter(round=rnd).select_related("created_by")),
    )


def results(town: Town, year: int, *, as_of: datetime.date | None = None) -> dict[str, Any]:
    """The published snapshot, or the round computed now (with its adjustments) if not published."""
    found = Round.objects.filter(town=town, year=year).select_related("scheme", "town").first()
    if found is not None and found.published:
        return {**found.snapshot, "published": True}
    if found is not None:
        data = compute_round(found, as_of=as_of)
    else:
        data = compute(town, year, scheme=scheme_for(town, year), as_of=as_of)
    return {**data, "published": False}


def _item_json(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": item["key"],
        "label": item["label"],
        "rule": item.get("rule", ""),
        "weight": float(item["weight"]),
        "figures": item.get("figures", {}),
        "no_record": bool(item.get("no_record")),
        "not_applicable": (item.get("not_applicable") or {}).get("reason"),
        "points": None if item["points"] is None else float(item["points"]),
    }


def contract(data: dict[str, Any], *, detail: bool = False) -> dict[str, Any]:
    """The JSON of `yigang assess --json` (issue 13; with `detail`, issue 21: each item with its rule, the figures
    it was scored on and its points, the deductions, adjustments and 先进)."""
    out: dict[str, Any] = {"town": data["town"], "year": data["year"], "published": data["published"]}
    units = [
        {k: u[k] for k in ("unit", "score", "grade", "vetoed", "veto_reasons", "rank")}
        | {"score": float(u["score"])}
        for u in data["units"]
    ]
    persons = [
        {k: p[k] for k in ("person", "post", "score", "grade", "vetoed", "veto_reasons")}
        | {"score": float(p["score"])}
        for p in data["persons"]
    ]
    if detail:
        scheme = data.get("scheme") or {}
        out |= {
            "provisional": bool(data.get("provisional", False)),
            "as_of": data.get("as_of"),
            "scheme": {"version": scheme.get("version"), "title": scheme.get("title")},
            "advanced_share": float(data.get("advanced_share", DEFAULT_ADVANCED_SHARE)),
            "ties": list((data.get("ties") or {}).values()),
        }
        for rows, source in ((units, data["units"]), (persons, data["persons"])):
            for row, full in zip(rows, source, strict=True):
                row |= {
                    "rank": full["rank"],
                    "items": [_item_json(i) for i in full["items"]],
                    "scaled": full.get("scaled"),
                    "deductions": [
                        {
                            "key": d["key"],
                            "label": d["label"],
                            "count": d["count"],
                            "points": float(d["points"]),
                        }
                        for d in full["deductions"]
                    ],
                    "adjustments": [
                        {"points": float(a["points"]), "reason": a["reason"]} for a in full["adjustments"]
                    ],
                    "advanced": bool(full.get("advanced")),
                    "tied": bool(full.get("tied")),
                }
    out["units"], out["persons"] = units, persons
    return out


__all__ = ["INDICATORS", "compute", "compute_round", "contract", "results", "scheme_for", "year_closed"]
