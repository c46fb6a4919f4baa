"""What a report says and the checks it must pass: the form's and the API's data, cleaned and compared."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from .. import grading
from ..models import AccidentKind, Report

# A phone's clock may run a little fast; a time later than this is refused as "in the future".
CLOCK_SLACK = datetime.timedelta(minutes=10)
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass
class ReportData:
    """What 493号令 Art. 12 asks of a report, as the form, the API and the demo hand it over."""

    occurred_at: datetime.datetime
    learned_at: datetime.datetime
    reported_at: datetime.datetime | None
    sector: Sector
    kind: str
    address: str
    course: str
    reporter: str
    unit: Unit | None = None
    unit_name: str = ""
    village: Unit | None = None
    deaths: int = 0
    serious_injuries: int = 0
    missing: int = 0
    direct_loss: Decimal | int | str = Decimal(0)  # 元; a string as typed is parsed by `clean`
    measures: str = ""


CASUALTY_FIELDS = ("deaths", "serious_injuries", "missing")
GRADE_FIELDS = ("deaths", "serious_injuries", "direct_loss")


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def time_errors(
    occurred_at: datetime.datetime | None,
    learned_at: datetime.datetime | None,
    reported_at: datetime.datetime | None,
) -> list[str]:
    """The orders a report's three moments must keep, in Chinese; a moment not given (None) is not checked.

    `clean` calls it with all three; the report form calls it with whichever fields parsed, so a form shows
    these errors together with its field errors.
    """
    errors: list[str] = []
    now = timezone.now() + CLOCK_SLACK
    occurred_at = _aware(occurred_at) if occurred_at else None
    learned_at = _aware(learned_at) if learned_at else None
    reported_at = _aware(reported_at) if reported_at else None
    if occurred_at is not None:
        if occurred_at > now:
            errors.append("事故发生时间不能晚于当前时间。")
        if occurred_at < EARLIEST:
            errors.append("事故发生时间不能早于 2000 年。")
    if learned_at is not None:
        if learned_at > now:
            errors.append("单位负责人接到报告时间不能晚于当前时间。")
        if occurred_at is not None and learned_at < occurred_at:
            errors.append("单位负责人接到报告时间不能早于事故发生时间。")
    if reported_at is not None:
        if reported_at > now:
            errors.append("向县级部门报告时间不能晚于当前时间。")
        if learned_at is not None and reported_at < learned_at:
            errors.append("向县级部门报告时间不能早于单位负责人接到报告时间。")
    return errors


def made_at_errors(made_at: datetime.datetime | None, occurred_at: datetime.datetime | None) -> list[str]:
    """The order a change's (补报) time must keep: not in the future, not before the accident; None: not checked.

    `change_report` calls it, and so does the change form with whichever of the two parsed."""
    errors: list[str] = []
    if made_at is None:
        return errors
    made_at = _aware(made_at)
    if made_at > timezone.now() + CLOCK_SLACK:
        errors.append("变更（补报）时间不能晚于当前时间。")
    if occurred_at is not None and made_at < _aware(occurred_at):
        errors.append("变更（补报）时间不能早于事故发生时间。")
    return errors


def _line(raw: str, what: str, limit: int, errors: list[str]) -> str:
    """One line of the report, its spaces folded: required, at most `limit` characters."""
    line = " ".join(raw.split())
    if not line:
        errors.append(f"请填写{what}。")
    elif len(line) > limit:
        errors.append(f"{what}不能超过 {limit} 个字。")
    return line


def clean(data: ReportData, town: Town) -> ReportData:
    """Every problem with a report, in Chinese (ValidationError), or the report tidied."""
    occurred_at, learned_at = _aware(data.occurred_at), _aware(data.learned_at)
    reported_at = _aware(data.reported_at) if data.reported_at else None
    errors = time_errors(occurred_at, learned_at, reported_at)
    if data.kind not in AccidentKind.values:
        errors.append("事故类型无效。")
    if data.sector.town_id != town.pk:
        errors.append("行业领域不属于本镇。")
    unit_name = " ".join(data.unit_name.split())
    if data.unit is not None:
        if data.unit.town_id != town.pk:
            errors.append("事故单位不属于本镇。")
        unit_name = ""
    elif not unit_name:
        errors.append("请选择登记的生产经营单位或填写事故单位名称。")
    elif len(unit_name) > 200:
        errors.append("事故单位名称不能超过 200 个字。")
    if data.village is not None and (
        data.village.town_id != town.pk or data.village.kind != UnitKind.VILLAGE
    ):
        errors.append("所在地须为本镇的嘎查村（社区）。")
    address = _line(data.address, "事故地点", 200, errors)
    course = data.course.strip()
    if not course:
        errors.append("请填写事故简要经过。")
    reporter = _line(data.reporter, "报告人", 100, errors)
    counts = {}
    for name, label in (("deaths", "死亡人数"), ("serious_injuries", "重伤人数"), ("missing", "失踪人数")):
        try:
            counts[name] = grading.parse_count(getattr(data, name), label)
        except ValueError as exc:
            errors.append(str(exc))
    try:
        loss = grading.parse_yuan(data.direct_loss)
    except ValueError as exc:
        errors.append(str(exc))
        loss = Decimal(0)
    if errors:
        raise ValidationError(errors)
    return ReportData(
        occurred_at=occurred_at,
        learned_at=learned_at,
        reported_at=reported_at,
        sector=data.sector,
        kind=data.kind,
        address=address,
        course=course,
        reporter=reporter,
        unit=data.unit,
        unit_name=unit_name,
        village=data.village,
        deaths=counts["deaths"],
        serious_injuries=counts["serious_injuries"],
        missing=counts["missing"],
        direct_loss=loss,
        measures=data.measures.strip(),
    )


def report_data(report: Report) -> ReportData:
    """A version's content, to start a change from."""
    return ReportData(**{f.name: getattr(report, f.name) for f in fields(ReportData)})


def snapshot(data: ReportData) -> dict[str, Any]:
    """The report as plain values (the audit entry, the comparison of versions)."""
    out: dict[str, Any] = {}
    for f in fields(ReportData):
        value = getattr(data, f.name)
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).isoformat()
        elif isinstance(value, Sector | Unit):
            value = value.name
        elif isinstance(value, Decimal):
            value = str(value)
        out[f.name] = value
    return out
