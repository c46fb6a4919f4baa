"""The town's settings for duty records: when holders are reminded, what records must carry, what counts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigang.audit.log import record as audit
from yigang.regulations.choices import DutyKind, Period
from yigang.towns.models import Town

from ..models import RecordRules, ReminderPolicy
from ..rules import RecordKind


def set_reminder_policy(*, town: Town, days: dict[str, int], actor: Any) -> ReminderPolicy:
    """How many days before each kind of period ends the town's holders are reminded."""
    limits: dict[str, int] = {
        Period.WEEK: 6,
        Period.TWO_WEEKS: 13,
        Period.TEN_DAYS: 7,  # the shortest 旬, 21–28 February, has 8 days
        Period.HALF_MONTH: 12,  # 16–28 February: 13 days
        Period.MONTH: 27,
        Period.TWO_MONTHS: 58,  # January–February: 59 days
        Period.QUARTER: 89,
        Period.HALF_YEAR: 180,
        Period.YEAR: 364,
    }
    errors = []
    for period, value in days.items():
        if period not in limits:
            errors.append(f"未知的周期：{period}")
        elif not 0 <= value <= limits[period]:
            errors.append(f"{Period(period).label}事项的提前天数须在 0 到 {limits[period]} 之间。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy, _created = ReminderPolicy.objects.select_for_update().get_or_create(town=town)
        before = policy.days_before()
        for period, value in days.items():
            setattr(policy, f"{period}_days", value)
        policy.save()
        after = policy.days_before()
        audit(
            "duties.reminder_policy.set",
            actor=actor,
            obj=policy,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return policy


def _rules_snapshot(rules: RecordRules) -> dict[str, Any]:
    return {
        "late_after_days": rules.late_after_days,
        "requirements": rules.requirements,
        "matches": rules.matches,
    }


def set_record_rules(
    *,
    town: Town,
    late_after_days: int,
    requirements: dict[str, list[str]],
    matches: dict[str, list[str]] | None = None,
    actor: Any,
) -> RecordRules:
    """The town's record rules: after how many days an entry is 补录, what each record kind must carry, and
    (when given) which record kinds meet a duty of each kind."""
    from ..rules import Requirement

    errors = []
    if not 0 <= late_after_days <= 366:
        errors.append("补录天数须在 0 到 366 之间。")
    for kind, codes in requirements.items():
        if kind not in RecordKind.values:
            errors.append(f"未知的履职方式：{kind}")
        for code in codes:
            if code not in Requirement.values:
                errors.append(f"未知的记录要求：{code}")
    for duty_kind, kinds in (matches or {}).items():
        if duty_kind not in DutyKind.values:
            errors.append(f"未知的履职要求类别：{duty_kind}")
        for kind in kinds:
            if kind not in RecordKind.values:
                errors.append(f"未知的履职方式：{kind}")
    if errors:
        raise ValidationError(errors)
    table = {kind: sorted(set(codes)) for kind, codes in requirements.items() if codes}
    with transaction.atomic():
        rules, _created = RecordRules.objects.select_for_update().get_or_create(town=town)
        before = _rules_snapshot(rules)
        rules.late_after_days = late_after_days
        rules.requirements = table
        if matches is not None:
            # A duty kind's own record kind always counts (rules.matches_of); keep the rest as chosen.
            rules.matches = {k: sorted(set(v) | {k}) for k, v in matches.items()}
        rules.save()
        after = _rules_snapshot(rules)
        audit(
            "duties.record_rules.set",
            actor=actor,
            obj=rules,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return rules
