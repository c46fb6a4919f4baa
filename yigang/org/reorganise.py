"""机构改革: the planning and the moves behind `actions.reorganise` (which holds the transaction and the audit).

A rename, merger or split never rewrites history: each unit that ends gets `valid_until` = the day before the
effective date, and its open supervision, posts, tenures and portfolios end that day too; the successors get
new records starting on the effective date. The chain for a day before the change therefore shows the old
bodies and holders, and for a day after it the new ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from yigang.regulations.choices import PostKind
from yigang.towns.models import Membership, Town

from .models import ChangeKind, Portfolio, Post, Supervision, Tenure, Unit, UnitChange, UnitKind

# The post kinds that head a unit; a new unit gets a (vacant) seat of each kind its predecessors had.
HEAD_KINDS = {PostKind.DEPARTMENT_HEAD: "负责人", PostKind.VILLAGE_SECRETARY: "党支部书记"}
REORGANISABLE = (UnitKind.BODY, UnitKind.VILLAGE)


@dataclass
class ResultPlan:
    name: str
    unit: Unit | None  # a source that carries on under its own name
    contributors: list[Unit] = field(default_factory=list)


@dataclass
class Plan:
    town: Town
    kind: str
    effective: datetime.date
    sources: list[Unit]
    results: list[ResultPlan]
    main: dict[int, int]  # source pk → index of the result that takes over its posts and work
    allocation: dict[int, int]  # supervision pk → index of the result that takes it (split)

    @property
    def eve(self) -> datetime.date:
        return self.effective - datetime.timedelta(days=1)

    @property
    def ending(self) -> list[Unit]:
        carrying = {r.unit.pk for r in self.results if r.unit is not None}
        return [s for s in self.sources if s.pk not in carrying]


def _open_on(day: datetime.date) -> Q:
    return Q(end__isnull=True) | Q(end__gte=day)


def plan_reorganisation(
    *,
    town: Town,
    kind: str,
    effective: datetime.date,
    sources: Sequence[Unit],
    results: Sequence[str],
    allocation: Mapping[int, str],
    today: datetime.date,
) -> Plan:
    """Check the request and decide what goes where; raises ValidationError with a Chinese message."""
    if kind not in ChangeKind.values:
        raise ValidationError("机构改革类型无效（更名、合并或拆分）。")
    if effective > today:
        raise ValidationError(f"生效日期不能晚于今天（{today}）；请在改革生效后登记。")
    units = list(dict.fromkeys(sources))
    if not units:
        raise ValidationError("请选择改革前的单位。")
    for unit in units:
        if unit.town_id != town.pk:
            raise ValidationError(f"“{unit}”不属于本乡镇。")
        if not unit.active:
            raise ValidationError(f"“{unit}”已于{unit.valid_until}撤销。")
        if unit.kind not in REORGANISABLE:
            raise ValidationError("只有镇属机构、驻镇单位和嘎查村（社区）可以登记机构改革。")
        if unit.valid_from is not None and unit.valid_from >= effective:
            raise ValidationError(f"“{unit}”设立于{unit.valid_from}，生效日期须晚于设立日期。")
    if len({u.kind for u in units}) > 1:
        raise ValidationError("镇属机构与嘎查村（社区）不能相互合并或拆分。")

    names = [" ".join(n.split()) for n in results]
    names = [n for n in names if n]
    if not names:
        raise ValidationError("请填写改革后的单位名称。")
    for name in names:
        if len(name) > 120:
            raise ValidationError("单位名称不能超过 120 个字。")
    if len(set(names)) != len(names):
        raise ValidationError("改革后的单位名称不能重复。")
    if kind == ChangeKind.RENAME and (len(units) != 1 or len(names) != 1):
        raise ValidationError("更名须是一个单位改为一个新名称。")
    if kind == ChangeKind.MERGE and (len(units) < 2 or len(names) != 1):
        raise ValidationError("合并须选择两个及以上单位，并填写合并后的一个单位名称。")
    if kind == ChangeKind.SPLIT and (len(units) != 1 or len(names) < 2):
        raise ValidationError("拆分须选择一个单位，并填写拆分后的两个及以上单位名称。")

    by_name = {u.name: u for u in units}
    if kind == ChangeKind.RENAME and names[0] in by_name:
        raise ValidationError("新名称与原名称相同。")
    taken = set(
        Unit.objects.filter(town=town, active=True, name__in=names)
        .exclude(pk__in=[u.pk for u in units])
        .values_list("name", flat=True)
    )
    if taken:
        raise ValidationError(f"已有名为“{'、'.join(sorted(taken))}”的单位。")

    plan_results = []
    for name in names:
        carrying = by_name.get(name)
        plan_results.append(ResultPlan(name, carrying, [] if carrying else list(units)))
    carrying_index = {r.unit.pk: i for i, r in enumerate(plan_results) if r.unit is not None}
    main = {u.pk: carrying_index.get(u.pk, 0) for u in units}
    plan = Plan(town, kind, effective, units, plan_results, main, {})

    _refuse_later_records(plan)
    if allocation:
        _allocate_supervision(plan, allocation, names)
    return plan


def _allocate_supervision(plan: Plan, allocation: Mapping[int, str], names: list[str]) -> None:
    """A split's sectors: each open supervision of the unit split goes to the result the officer named."""
    if plan.kind != ChangeKind.SPLIT:
        raise ValidationError("只有拆分需要分配行业领域。")
    index = {name: i for i, name in enumerate(names)}
    open_ids = set(
        Supervision.objects.filter(unit=plan.sources[0])
        .filter(_open_on(plan.effective))
        .values_list("pk", flat=True)
    )
    for sup_id, target in allocation.items():
        if sup_id not in open_ids:
            raise ValidationError("分配的监管关系不属于被拆分的单位。")
        if target not in index:
            raise ValidationError(f"“{target}”不是拆分后的单位。")
        plan.allocation[sup_id] = index[target]


def _refuse_later_records(plan: Plan) -> None:
    ending = plan.ending
    later = (
        Tenure.objects.filter(post__unit__in=ending, start__gte=plan.effective).select_related("post").first()
        or Portfolio.objects.filter(unit__in=ending, start__gte=plan.effective).first()
        or Supervision.objects.filter(unit__in=ending, start__gte=plan.effective).first()
    )
    if later is not None:
        raise ValidationError(
            f"改革前单位在生效日期（{plan.effective}）当天或以后还有记录（{later}），请先更正后再登记机构改革。"
        )


def _successor_title(title: str, old: Unit, new: Unit) -> str:
    return title.replace(old.name, new.name) if old.name in title else title


def apply_reorganisation(plan: Plan, *, document: str) -> UnitChange:
    """Carry out a checked plan inside the caller's transaction; returns the change with what moved."""
    ending = plan.ending
    details = _empty_details(plan, document)
    # Lock the sources so two officers cannot reorganise the same unit at once.
    list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in plan.sources]))
    targets = _result_units(plan)
    _move_supervision(plan, targets, details)
    head_kinds = _move_portfolios(plan, targets, details)
    _close_posts(plan, targets, details)
    _seat_heads(plan, targets, head_kinds, details)
    _move_enterprises(plan, targets, details)
    _move_memberships(plan, targets, details)
    for source in ending:
        source.active = False
        source.valid_until = plan.eve
        source.save(update_fields=["active", "valid_until"])

    change = UnitChange.objects.create(
        town=plan.town, kind=plan.kind, effective=plan.effective, document=document, details=details
    )
    change.sources.set(plan.sources)
    change.results.set(targets)
    return change


def _empty_details(plan: Plan, document: str) -> dict[str, Any]:
    """What the change records about itself; the moves below fill in the lists of what went where."""
    return {
        "kind": plan.kind,
        "effective": plan.effective.isoformat(),
        "document": document,
        "sources": [u.name for u in plan.sources],
        "results": [r.name for r in plan.results],
        "supervision": [],
        "posts": [],
        "tenures": [],
        "portfolios": [],
        "enterprises": [],
        "memberships": [],
    }


def _result_units(plan: Plan) -> list[Unit]:
    """The unit of each result, in the plan's order: a source that carries on, or a new unit created here."""
    kind_label = ChangeKind(plan.kind).label
    targets: list[Unit] = []
    for r in plan.results:
        if r.unit is not None:
            targets.append(r.unit)
            continue
        note = f"{plan.effective}由{'、'.join(u.name for u in r.contributors)}{kind_label}而来"
        targets.append(
            Unit.objects.create(
                town=plan.town,
                name=r.name,
                kind=plan.sources[0].kind,
                valid_from=plan.effective,
                note=note[:200],
            )
        )
    return targets


def _move_supervision(plan: Plan, targets: list[Unit], details: dict[str, Any]) -> None:
    """1. Supervision moves to the successor (or, in a split, to the result it was allocated to)."""
    eve, effective = plan.eve, plan.effective
    supervisions = Supervision.objects.filter(unit__in=plan.sources).filter(_open_on(effective))
    for sup in supervisions.select_related("sector", "unit").order_by("id"):
        target = targets[plan.allocation.get(sup.pk, plan.main[sup.unit_id])]
        if target.pk == sup.unit_id:
            continue
        until = sup.end
        sup.end = eve
        sup.save(update_fields=["end"])
        held = Supervision.objects.filter(sector=sup.sector, unit=target, scope=sup.scope, end__isnull=True)
        if not held.exists():
            Supervision.objects.create(
                town=plan.town,
                sector=sup.sector,
                unit=target,
                scope=sup.scope,
                source=sup.source,
                start=effective,
                end=until,
            )
        details["supervision"].append(
            {"sector": sup.sector.name, "scope": sup.scope, "from": sup.unit.name, "to": target.name}
        )


def _move_portfolios(plan: Plan, targets: list[Unit], details: dict[str, Any]) -> dict[int, dict[str, str]]:
    """2. The leaders in charge of the predecessors are in charge of each new unit until reassigned. Returns, per
    new result, the head seats its predecessors had (post kind -> title suffix), for `_seat_heads`."""
    effective = plan.effective
    ending_ids = {u.pk for u in plan.ending}
    portfolios = list(
        Portfolio.objects.filter(unit__in=plan.sources)
        .filter(_open_on(effective))
        .select_related("post", "unit")
    )
    head_kinds: dict[int, dict[str, str]] = {}
    for i, r in enumerate(plan.results):
        if r.unit is not None:
            continue
        seen: set[int] = set()
        for pf in portfolios:
            if pf.unit in r.contributors and pf.post_id not in seen:
                seen.add(pf.post_id)
                Portfolio.objects.create(
                    town=plan.town, post=pf.post, unit=targets[i], start=effective, end=pf.end
                )
                details["portfolios"].append(
                    {"post": pf.post.title, "from": pf.unit.name, "to": targets[i].name}
                )
        head_kinds[i] = {}
        heads = Post.objects.filter(unit__in=r.contributors, active=True, kind__in=list(HEAD_KINDS))
        for post in heads.select_related("unit").order_by("id"):
            suffix = post.title.removeprefix(post.unit.name) if post.title.startswith(post.unit.name) else ""
            head_kinds[i].setdefault(post.kind, suffix or HEAD_KINDS[post.kind])
    for pf in portfolios:
        if pf.unit_id in ending_ids:
            pf.end = plan.eve
            pf.save(update_fields=["end"])
    return head_kinds


def _close_posts(plan: Plan, targets: list[Unit], details: dict[str, Any]) -> None:
    """3. Posts of the units that end close; the first predecessor's seats and holders carry on in a new unit."""
    carried: set[int] = set()
    for source in plan.ending:
        i = plan.main[source.pk]
        target = targets[i]
        carry = plan.results[i].unit is None and i not in carried
        for post in Post.objects.filter(unit=source, active=True).order_by("id"):
            post.active = False
            post.valid_until = plan.eve
            post.save(update_fields=["active", "valid_until"])
            successor = None
            if carry:
                successor = Post.objects.create(
                    town=plan.town,
                    unit=target,
                    title=_successor_title(post.title, source, target),
                    kind=post.kind,
                    valid_from=plan.effective,
                )
            details["posts"].append({"post": post.title, "to": successor.title if successor else None})
            _end_tenures(plan, post, successor, source, target, details)
        if carry:
            carried.add(i)


def _end_tenures(
    plan: Plan, post: Post, successor: Post | None, source: Unit, target: Unit, details: dict[str, Any]
) -> None:
    """The open tenures of a closing post end on the eve; their holders carry on in its successor, if any."""
    kind_label = ChangeKind(plan.kind).label
    for tenure in Tenure.objects.filter(post=post).filter(_open_on(plan.effective)).select_related("person"):
        until = tenure.end
        tenure.end = plan.eve
        tenure.save(update_fields=["end"])
        if successor is not None:
            Tenure.objects.create(
                town=plan.town,
                post=successor,
                person=tenure.person,
                start=plan.effective,
                end=until,
                note=f"机构改革：{source.name}{kind_label}为{target.name}"[:200],
            )
        details["tenures"].append(
            {
                "person": tenure.person.name,
                "from": post.title,
                "to": successor.title if successor else None,
            }
        )


def _seat_heads(
    plan: Plan, targets: list[Unit], head_kinds: dict[int, dict[str, str]], details: dict[str, Any]
) -> None:
    """4. Every new unit has a seat for each head its predecessors had, vacant if nobody carried over."""
    for i, kinds in head_kinds.items():
        target = targets[i]
        for post_kind, suffix in kinds.items():
            if Post.objects.filter(unit=target, kind=post_kind).exists():
                continue
            title = f"{target.name}{suffix}"
            Post.objects.create(
                town=plan.town, unit=target, title=title, kind=post_kind, valid_from=plan.effective
            )
            details["posts"].append({"post": None, "to": title, "vacant": True})


def _move_enterprises(plan: Plan, targets: list[Unit], details: dict[str, Any]) -> None:
    """5. Enterprises located in a village that ends now lie in its successor."""
    for enterprise in Unit.objects.filter(village__in=plan.ending, active=True).select_related("village"):
        assert enterprise.village is not None
        target = targets[plan.main[enterprise.village.pk]]
        details["enterprises"].append(
            {"enterprise": enterprise.name, "from": enterprise.village.name, "to": target.name}
        )
        enterprise.village = target
        enterprise.save(update_fields=["village"])


def _move_memberships(plan: Plan, targets: list[Unit], details: dict[str, Any]) -> None:
    """6. Accounts scoped to a unit that ends read and write for its successor (the one that took its posts):
    a membership is today's access, not a record of the past, so it moves rather than ends."""
    for membership in (
        Membership.objects.filter(unit__in=plan.ending).select_related("user", "unit").order_by("id")
    ):
        assert membership.unit is not None
        target = targets[plan.main[membership.unit.pk]]
        details["memberships"].append(
            {"user": membership.user.get_username(), "from": membership.unit.name, "to": target.name}
        )
        membership.unit = target
        membership.save(update_fields=["unit"])
