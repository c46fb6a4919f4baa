"""What a duty record is made of, and the checks it passes before it is saved: its fields, the writer's right
to credit its posts, the town's requirements, its files."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from yigang.evidence import uploads
from yigang.org.models import Post
from yigang.regulations.periods import local_date
from yigang.towns.models import Town

from .. import access
from ..access import creditable_posts
from ..models import Attachment, DutyRecord, RecordRules, Source
from ..rules import RecordKind, missing, requirements_of

EARLIEST = datetime.date(2000, 1, 1)
# A phone's clock may run a little fast; a record dated later than this is refused as "in the future".
CLOCK_SLACK = datetime.timedelta(minutes=10)


@dataclass
class Upload:
    """An uploaded file as the views, API and importer hand it over."""

    file: IO[bytes]
    name: str


@dataclass
class RecordData:
    kind: str
    occurred_at: datetime.datetime
    title: str
    place: str
    summary: str
    participants: str
    posts: Sequence[Post]
    findings: str = ""
    # The credited posts that chaired or organised it (主持/组织); None: every credited post.
    led: Sequence[Post] | None = None


def _refuse_foreign(data: RecordData, town: Town, actor: Any, rights: access.CreditRights | None) -> None:
    """CreditRefused when the record credits a post the writer may never credit: not an input error but a write
    the user has no right to (403, audited by the caller)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        if rights is not None:
            foreign = rights.foreign(town, data.posts)
        else:
            foreign = access.foreign_posts(actor, town, data.posts)
        if foreign:
            raise access.CreditRefused(
                "您无权为岗位“" + "”“".join(str(p) for p in foreign) + "”填报履职记录："
                "只能认定本人任职的岗位和本单位（嘎查村）的岗位。"
            )


def _time_errors(occurred_at: datetime.datetime, entered_at: datetime.datetime | None) -> list[str]:
    """The work was done by now (and, for a correction, by when the record was first entered), since 2000."""
    errors: list[str] = []
    if occurred_at > timezone.now() + CLOCK_SLACK:
        errors.append("履职时间不能晚于当前时间：请填写实际开展的日期。")
    elif entered_at is not None and occurred_at > entered_at + CLOCK_SLACK:
        errors.append(
            f"履职时间不能晚于该记录的录入时间（{timezone.localtime(entered_at):%Y-%m-%d %H:%M}）："
            "录入之后开展的工作请另行填报。"
        )
    if local_date(occurred_at) < EARLIEST:
        errors.append("履职日期不能早于 2000 年。")
    return errors


def _uncreditable(
    posts: list[Post],
    town: Town,
    actor: Any,
    occurred_at: datetime.datetime,
    rights: access.CreditRights | None,
) -> list[str]:
    """The posts the writer may not credit on the record's day (a post held or a unit's on another day)."""
    day = local_date(occurred_at)
    if rights is not None:
        allowed = {p.pk for p in posts if rights.may_credit(p.pk, day)}
    else:
        allowed = set(
            creditable_posts(actor, town, day)
            .filter(pk__in=[p.pk for p in posts])
            .values_list("pk", flat=True)
        )
    return [f"您无权为岗位“{post}”填报该日期的履职记录。" for post in posts if post.pk not in allowed]


def _clean(
    data: RecordData,
    town: Town,
    actor: Any,
    rights: access.CreditRights | None = None,
    entered_at: datetime.datetime | None = None,
) -> RecordData:
    """The record as it will be saved, or ValidationError / CreditRefused. `rights` (a bulk import) answers the
    permission questions from memory instead of a query per record; the rules are the same. `entered_at` (a
    correction) is when the record was first entered: the work it reports cannot have been done after that."""
    _refuse_foreign(data, town, actor, rights)
    errors: list[str] = []
    if data.kind not in RecordKind.values:
        errors.append("履职方式无效。")
    occurred_at = data.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    errors += _time_errors(occurred_at, entered_at)
    title = " ".join(data.title.split())
    place = " ".join(data.place.split())
    summary = data.summary.strip()
    if not title:
        errors.append("请填写主题。")
    elif len(title) > 200:
        errors.append("主题不能超过 200 个字。")
    if not place:
        errors.append("请填写地点。")
    elif len(place) > 200:
        errors.append("地点不能超过 200 个字。")
    if not summary:
        errors.append("请填写内容摘要或会议纪要。")
    posts = list(dict.fromkeys(data.posts))
    if not posts:
        errors.append("请至少选择一个认定的岗位。")
    for post in posts:
        if post.town_id != town.pk:
            errors.append(f"岗位“{post}”不属于{town.name}。")
    if not errors and actor is not None and getattr(actor, "is_authenticated", False):
        errors += _uncreditable(posts, town, actor, occurred_at, rights)
    led = posts if data.led is None else list(dict.fromkeys(data.led))
    if any(post not in posts for post in led):
        errors.append("主持或组织的岗位须是认定的岗位之一。")
    if errors:
        raise ValidationError(errors)
    return RecordData(
        data.kind,
        occurred_at,
        title,
        place,
        summary,
        data.participants.strip(),
        posts,
        data.findings.strip(),
        led,
    )


def _check_requirements(
    town: Town,
    data: RecordData,
    files: Sequence[uploads.CheckedFile],
    source: str,
    previous: DutyRecord | None = None,
) -> None:
    """What the town asks records of this kind to carry (rules.py); entries by hand only (form and API)."""
    if source not in (Source.FORM, Source.API):
        return
    types = [f.content_type for f in files]
    if previous is not None:
        chain = previous.chain_root_id
        types += list(
            Attachment.objects.filter(Q(record_id=chain) | Q(record__root_id=chain)).values_list(
                "content_type", flat=True
            )
        )
    rules = RecordRules.for_town(town)
    errors = missing(
        requirements_of(rules.requirements, data.kind),
        participants=data.participants,
        findings=data.findings,
        content_types=types,
    )
    if errors:
        raise ValidationError(errors)


def _check_files(files: Sequence[Upload]) -> list[uploads.CheckedFile]:
    return uploads.check_all(files)
