"""What a town asks of its duty records (docs/compliance.md, "Evidence").

- 补录: a record entered (server time, `DutyRecord.entered_at`) more than `late_after_days` days after the day it
  reports is marked late. It still counts, but is marked on every page, export and API answer and counted
  separately in compliance. The mark is fixed when the record is entered (an amendment keeps the first entry's
  time), so a later change of the setting does not rewrite what was recorded.
- Requirements: per record kind, what an entry through the form or the API must carry (a meeting: minutes or a
  sign-in sheet attached; an inspection: a photo or the findings). Imports and the demo bring ledgers kept
  elsewhere, without files, and are not held to them.
- Kinds: which record kinds meet which duty kind is a table the town edits (`matches`): an inspection duty is
  met by 检查, 督导检查, 专项整治, 调研检查 … by default. Record kinds are the duty kinds plus a few that people
  name their work by (督导检查, 专项整治, 调研检查, 应急演练).
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


class RecordKind(models.TextChoices):
    """What a record says was done: the duty kinds (same codes) and the names people give their work."""

    MEETING = DutyKind.MEETING.value, DutyKind.MEETING.label
    INSPECTION = DutyKind.INSPECTION.value, DutyKind.INSPECTION.label
    GUIDED_INSPECTION = "guided_inspection", _("督导检查")
    RECTIFICATION = "rectification", _("专项整治")
    SURVEY_INSPECTION = "survey_inspection", _("调研检查")
    SUPERVISION = DutyKind.SUPERVISION.value, DutyKind.SUPERVISION.label
    HEARING = DutyKind.HEARING.value, DutyKind.HEARING.label
    RESEARCH = DutyKind.RESEARCH.value, DutyKind.RESEARCH.label
    TRAINING = DutyKind.TRAINING.value, DutyKind.TRAINING.label
    DRILL = "drill", _("应急演练")
    CAMPAIGN = DutyKind.CAMPAIGN.value, DutyKind.CAMPAIGN.label
    OTHER = DutyKind.OTHER.value, DutyKind.OTHER.label


# Which record kinds meet a duty of each kind, unless the town has set its own table. A duty kind always
# accepts records of its own code.
DEFAULT_MATCHES: dict[str, list[str]] = {
    DutyKind.MEETING: [RecordKind.MEETING],
    DutyKind.INSPECTION: [
        RecordKind.INSPECTION,
        RecordKind.GUIDED_INSPECTION,
        RecordKind.RECTIFICATION,
        RecordKind.SURVEY_INSPECTION,
    ],
    DutyKind.SUPERVISION: [RecordKind.SUPERVISION, RecordKind.GUIDED_INSPECTION],
    DutyKind.HEARING: [RecordKind.HEARING],
    DutyKind.RESEARCH: [RecordKind.RESEARCH, RecordKind.SURVEY_INSPECTION],
    DutyKind.TRAINING: [RecordKind.TRAINING, RecordKind.DRILL],
    DutyKind.CAMPAIGN: [RecordKind.CAMPAIGN, RecordKind.RECTIFICATION],
    DutyKind.OTHER: [RecordKind.OTHER],
}


def matches_of(table: Mapping[str, list[str]] | None, duty_kind: str) -> list[str]:
    """The record kinds that meet a duty of `duty_kind`: the town's table if it has one, else the defaults;
    always the duty kind's own code first."""
    source = DEFAULT_MATCHES if table is None else table
    kinds = [duty_kind] + [k for k in source.get(duty_kind, []) if k in RecordKind.values]
    return list(dict.fromkeys(kinds))


LEAD_WORDS = ("主持", "组织")


class Requirement(models.TextChoices):
    ATTACHMENT = "attachment", _("附件（会议纪要、签到表等）")
    PHOTO_OR_FINDINGS = "photo_or_findings", _("现场照片或发现的问题")
    PARTICIPANTS = "participants", _("参加人员")


# The seed's words: meetings are 召开 with minutes and a sign-in; inspections, supervision and campaigns 检查、
# 排查、整治 a place, which a photo or the problems found show.
DEFAULT_REQUIREMENTS: dict[str, list[str]] = {
    RecordKind.MEETING: [Requirement.ATTACHMENT],
    RecordKind.INSPECTION: [Requirement.PHOTO_OR_FINDINGS],
    RecordKind.GUIDED_INSPECTION: [Requirement.PHOTO_OR_FINDINGS],
    RecordKind.RECTIFICATION: [Requirement.PHOTO_OR_FINDINGS],
    RecordKind.SURVEY_INSPECTION: [Requirement.PHOTO_OR_FINDINGS],
    RecordKind.SUPERVISION: [Requirement.PHOTO_OR_FINDINGS],
    RecordKind.CAMPAIGN: [Requirement.PHOTO_OR_FINDINGS],
    RecordKind.TRAINING: [Requirement.PARTICIPANTS],
    RecordKind.DRILL: [Requirement.PARTICIPANTS],
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
