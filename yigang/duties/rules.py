"""What a town asks of its duty records (docs/compliance.md, "Evidence").

- 补录: a record entered (server time, `DutyRecord.entered_at`) more than `late_after_days` days after the day it
  reports is marked late. It still counts, but is marked on every page, export and API answer and counted
  separately in compliance. The mark is fixed when the record is entered (an amendment keeps the first entry's
  time), so a later change of the setting does not rewrite what was recorded.
- Requirements: per record kind, what an entry through the form or the API must carry (a meeting: minutes or a
  sign-in sheet attached; an inspection: a photo or the findings). Imports and the demo bring ledgers kept
  elsewhere, without files, and are not held to them.
- 主持/组织: a record names the credited posts that chaired or organised it (`Credit.led`); a duty whose text says
  主持 or 组织 counts only the records its post chaired or organised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from yigang.regulations.choices import DutyKind

LATE_AFTER_DAYS = 7
LEAD_WORDS = ("主持", "组织")


class Requirement(models.TextChoices):
    ATTACHMENT = "attachment", _("附件（会议纪要、签到表等）")
    PHOTO_OR_FINDINGS = "photo_or_findings", _("现场照片或发现的问题")
    PARTICIPANTS = "participants", _("参加人员")


# The seed's words: meetings are 召开 with minutes and a sign-in; inspections, supervision and campaigns 检查、
# 排查、整治 a place, which a photo or the problems found show.
DEFAULT_REQUIREMENTS: dict[str, list[str]] = {
    DutyKind.MEETING: [Requirement.ATTACHMENT],
    DutyKind.INSPECTION: [Requirement.PHOTO_OR_FINDINGS],
    DutyKind.SUPERVISION: [Requirement.PHOTO_OR_FINDINGS],
    DutyKind.CAMPAIGN: [Requirement.PHOTO_OR_FINDINGS],
    DutyKind.TRAINING: [Requirement.PARTICIPANTS],
}


def requirements_of(table: Mapping[str, list[str]] | None, kind: str) -> list[str]:
    """The requirements of a record kind: the town's table if it has one, else the defaults."""
    source = DEFAULT_REQUIREMENTS if table is None else table
    return [r for r in source.get(kind, []) if r in Requirement.values]


def missing(
    requirements: Iterable[str],
    *,
    participants: str,
    findings: str,
    content_types: list[str],
) -> list[str]:
    """What a record lacks of its kind's requirements, as Chinese messages (empty: nothing)."""
    errors = []
    for code in requirements:
        if code == Requirement.ATTACHMENT and not content_types:
            errors.append("该类记录须附会议纪要、签到表等附件。")
        elif code == Requirement.PHOTO_OR_FINDINGS and not (
            findings.strip() or any(t.startswith("image/") for t in content_types)
        ):
            errors.append("该类记录须附现场照片，或填写发现的问题。")
        elif code == Requirement.PARTICIPANTS and not participants.strip():
            errors.append("该类记录须填写参加人员。")
    return errors


def is_late(entered_on: datetime.date, occurred_on: datetime.date, late_after_days: int) -> bool:
    """补录: entered more than `late_after_days` days after the day it reports."""
    return (entered_on - occurred_on).days > late_after_days


def needs_lead(duty_text: str) -> bool:
    """Whether a duty asks its post to chair or organise (主持/组织) what it does."""
    return any(word in duty_text for word in LEAD_WORDS)
