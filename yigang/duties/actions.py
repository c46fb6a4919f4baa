"""Every write to duty records and reminder settings: one transaction and one audit entry each.

Records are evidence: there is no edit and no delete. `amend_record` adds a new version with a reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.org.models import Post, Tenure
from yigang.regulations.choices import DutyKind, Period
from yigang.towns.models import Town

from . import attachments
from .access import creditable_posts
from .models import Attachment, Credit, DutyRecord, ReminderPolicy, Source
from .periods import local_date

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


def _clean(data: RecordData, town: Town, actor: Any) -> RecordData:
    errors: list[str] = []
    if data.kind not in DutyKind.values:
        errors.append("履职方式无效。")
    occurred_at = data.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SLACK:
        errors.append("履职时间不能晚于当前时间：请填写实际开展的日期。")
    if local_date(occurred_at) < EARLIEST:
        errors.append("履职日期不能早于 2000 年。")
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
        allowed = set(
            creditable_posts(actor, town, local_date(occurred_at))
            .filter(pk__in=[p.pk for p in posts])
            .values_list("pk", flat=True)
        )
        for post in posts:
            if post.pk not in allowed:
                errors.append(f"您无权为岗位“{post}”填报该日期的履职记录。")
    if errors:
        raise ValidationError(errors)
    return RecordData(data.kind, occurred_at, title, place, summary, data.participants.strip(), posts)


def _check_files(files: Sequence[Upload]) -> list[attachments.CheckedFile]:
    if len(files) > attachments.MAX_FILES:
        raise ValidationError(f"附件不能超过 {attachments.MAX_FILES} 个。")
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(attachments.check(upload.file, upload.name))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _holders(posts: Sequence[Post], day: datetime.date) -> dict[int, int | None]:
    holders: dict[int, int | None] = dict.fromkeys((p.pk for p in posts), None)
    for tenure in Tenure.objects.filter(post__in=posts, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    ):
        holders[tenure.post_id] = tenure.person_id
    return holders


@contextmanager
def _stored_files(town: Town, files: list[attachments.CheckedFile]) -> Iterator[list[str]]:
    """Write the files; if anything after fails (rows roll back), remove them again: nothing half-saved."""
    paths: list[str] = []
    try:
        for checked in files:
            paths.append(attachments.store(town.pk, checked))
        yield paths
    except BaseException:
        for path in paths:
            default_storage.delete(path)
        raise


def _save(
    *,
    town: Town,
    data: RecordData,
    files: list[attachments.CheckedFile],
    paths: list[str],
    actor: Any,
    source: str,
    previous: DutyRecord | None = None,
    reason: str = "",
    withdrawn: bool = False,
) -> DutyRecord:
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = DutyRecord.objects.create(
        town=town,
        kind=data.kind,
        occurred_at=data.occurred_at,
        occurred_on=local_date(data.occurred_at),
        title=data.title,
        place=data.place,
        participants=data.participants,
        summary=data.summary,
        version=previous.version + 1 if previous else 1,
        root_id=previous.chain_root_id if previous else None,
        amends=previous,
        reason=reason,
        withdrawn=withdrawn,
        source=source,
        created_by=user,
    )
    holders = _holders(data.posts, entry.occurred_on)
    Credit.objects.bulk_create(
        Credit(town=town, record=entry, post=post, person_id=holders[post.pk]) for post in data.posts
    )
    Attachment.objects.bulk_create(
        Attachment(
            town=town,
            record=entry,
            file=path,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user,
        )
        for path, checked in zip(paths, files, strict=True)
    )
    return entry


def create_record(
    *,
    town: Town,
    data: RecordData,
    files: Sequence[Upload] = (),
    source: str = Source.FORM,
    client_key: str | None = None,
    actor: Any,
) -> DutyRecord:
    """Submit a duty record (履职记录) crediting one or more posts; once saved it can only be amended.

    The same `client_key` sent again by the same person (a phone sending what it kept offline, then retrying)
    returns the record already saved and saves nothing. Raises ValidationError (nothing saved) with every problem
    found, in Chinese.
    """
    key = (client_key or "").strip()
    if len(key) > 100 or "\x00" in key:
        raise ValidationError("幂等键不能超过 100 个字符，且不能含有无效字符。")
    if key and (found := _sent_before(town, key, actor)) is not None:
        return found
    data = _clean(data, town, actor)
    checked = _check_files(files)
    try:
        with _stored_files(town, checked) as paths, transaction.atomic():
            entry = _save(town=town, data=data, files=checked, paths=paths, actor=actor, source=source)
            if key:
                entry.client_key = key
                entry.save(update_fields=["client_key"])
        audit(
            "duties.record.create",
            actor=actor,
            obj=entry,
            changes={
                **_snapshot(data),
                "source": source,
                "attachments": [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked],
            },
        )
    except IntegrityError:
        if key and (found := _sent_before(town, key, actor)) is not None:
            return found  # the same key won a race a moment ago: that record is this one
        raise
    return entry


def _sent_before(town: Town, key: str, actor: Any) -> DutyRecord | None:
    found = DutyRecord.objects.filter(town=town, client_key=key).first()
    if found is None:
        return None
    if found.created_by_id != getattr(actor, "pk", None):
        raise ValidationError("该幂等键已被另一次提交使用，请为新的记录生成新的键。")
    return found


def _snapshot(data: RecordData) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "occurred_at": timezone.localtime(data.occurred_at).isoformat(),
        "title": data.title,
        "place": data.place,
        "participants": data.participants,
        "summary": data.summary,
        "posts": sorted(p.title for p in data.posts),
    }


def record_data(entry: DutyRecord) -> RecordData:
    """A record's content, to start an amendment from."""
    return RecordData(
        kind=entry.kind,
        occurred_at=entry.occurred_at,
        title=entry.title,
        place=entry.place,
        summary=entry.summary,
        participants=entry.participants,
        posts=[c.post for c in entry.credits.select_related("post")],
    )


def amend_record(
    *,
    record: DutyRecord,
    data: RecordData,
    reason: str,
    files: Sequence[Upload] = (),
    withdraw: bool = False,
    source: str = Source.FORM,
    actor: Any,
) -> DutyRecord:
    """Correct a record by adding a new version with a reason; the earlier version stays, visible, unchanged.

    `withdraw=True` says the record should not have been entered: the new version keeps its content and counts
    for nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写更正理由。")
    if len(reason) > 1000:
        raise ValidationError("更正理由不能超过 1000 个字。")
    town = record.town
    data = _clean(data, town, actor)
    checked = _check_files(files)
    with _stored_files(town, checked) as paths, transaction.atomic():
        latest = DutyRecord.objects.select_for_update().get(pk=record.pk)
        if DutyRecord.objects.filter(amends=latest).exists():
            raise ValidationError("该记录已有更正版本：请在最新版本上更正。")
        if latest.withdrawn:
            raise ValidationError("该记录已撤销，不能再更正。")
        before = _snapshot(record_data(latest))
        try:
            with transaction.atomic():
                entry = _save(
                    town=town,
                    data=data,
                    files=checked,
                    paths=paths,
                    actor=actor,
                    source=source,
                    previous=latest,
                    reason=reason,
                    withdrawn=withdraw,
                )
        except IntegrityError:
            raise ValidationError("该记录刚被他人更正：请刷新后在最新版本上更正。") from None
        after = _snapshot(data)
        audit(
            "duties.record.amend",
            actor=actor,
            obj=entry,
            changes={
                "amends": latest.pk,
                "version": entry.version,
                "reason": reason,
                "withdrawn": withdraw,
                "fields": {k: [before[k], after[k]] for k in after if before[k] != after[k]},
                "attachments": [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked],
            },
        )
    return entry


def set_reminder_policy(*, town: Town, days: dict[str, int], actor: Any) -> ReminderPolicy:
    """How many days before each kind of period ends the town's holders are reminded."""
    limits: dict[str, int] = {
        Period.WEEK: 6,
        Period.MONTH: 27,
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
