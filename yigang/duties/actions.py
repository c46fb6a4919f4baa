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
from yigang.evidence import uploads
from yigang.org import selectors
from yigang.org.models import Post
from yigang.regulations.choices import DutyKind, Period
from yigang.regulations.periods import local_date
from yigang.towns.models import Town

from . import access
from .access import creditable_posts
from .models import Attachment, Credit, DutyRecord, RecordRules, ReminderPolicy, Source, TownDuty
from .rules import RecordKind, is_late, missing, requirements_of

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
    if actor is not None and getattr(actor, "is_authenticated", False):
        if rights is not None:
            foreign = rights.foreign(town, data.posts)
        else:
            foreign = access.foreign_posts(actor, town, data.posts)
        if foreign:  # not an input error: a write the user has no right to (403, audited by the caller)
            raise access.CreditRefused(
                "您无权为岗位“" + "”“".join(str(p) for p in foreign) + "”填报履职记录："
                "只能认定本人任职的岗位和本单位（嘎查村）的岗位。"
            )
    errors: list[str] = []
    if data.kind not in RecordKind.values:
        errors.append("履职方式无效。")
    occurred_at = data.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SLACK:
        errors.append("履职时间不能晚于当前时间：请填写实际开展的日期。")
    elif entered_at is not None and occurred_at > entered_at + CLOCK_SLACK:
        errors.append(
            f"履职时间不能晚于该记录的录入时间（{timezone.localtime(entered_at):%Y-%m-%d %H:%M}）："
            "录入之后开展的工作请另行填报。"
        )
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
        day = local_date(occurred_at)
        if rights is not None:
            allowed = {p.pk for p in posts if rights.may_credit(p.pk, day)}
        else:
            allowed = set(
                creditable_posts(actor, town, day)
                .filter(pk__in=[p.pk for p in posts])
                .values_list("pk", flat=True)
            )
        for post in posts:
            if post.pk not in allowed:
                errors.append(f"您无权为岗位“{post}”填报该日期的履职记录。")
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
    if len(files) > uploads.MAX_FILES:
        raise ValidationError(f"附件不能超过 {uploads.MAX_FILES} 个。")
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(uploads.check(upload.file, upload.name))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


@contextmanager
def _stored_files(town: Town, files: list[uploads.CheckedFile]) -> Iterator[list[str]]:
    """Write the files; if anything after fails (rows roll back), remove them again: nothing half-saved."""
    paths: list[str] = []
    try:
        for checked in files:
            paths.append(uploads.store(town.pk, checked))
        yield paths
    except BaseException:
        for path in paths:
            default_storage.delete(path)
        raise


def _save(
    *,
    town: Town,
    data: RecordData,
    files: list[uploads.CheckedFile],
    paths: list[str],
    actor: Any,
    source: str,
    previous: DutyRecord | None = None,
    reason: str = "",
    withdrawn: bool = False,
    entered_at: datetime.datetime | None = None,
) -> DutyRecord:
    user = actor if getattr(actor, "is_authenticated", False) else None
    # An amendment keeps the first entry's time: 补录 is about when the evidence came in.
    entered = previous.entered_at if previous else (entered_at or timezone.now())
    entry = _new_record(
        town=town,
        data=data,
        entered=entered,
        late_after=RecordRules.for_town(town).late_after_days,
        source=source,
        user=user,
        previous=previous,
        reason=reason,
        withdrawn=withdrawn,
    )
    entry.save(force_insert=True)
    Credit.objects.bulk_create(
        _credits(town, entry, data, selectors.holder_ids(data.posts, entry.occurred_on))
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


def _new_record(
    *,
    town: Town,
    data: RecordData,
    entered: datetime.datetime,
    late_after: int,
    source: str,
    user: Any,
    previous: DutyRecord | None = None,
    reason: str = "",
    withdrawn: bool = False,
) -> DutyRecord:
    """The unsaved row of a cleaned record: the one place its stored fields (补录 included) are worked out, for a
    record entered by hand and for a bulk import alike."""
    occurred_on = local_date(data.occurred_at)
    return DutyRecord(
        town=town,
        kind=data.kind,
        occurred_at=data.occurred_at,
        occurred_on=occurred_on,
        title=data.title,
        place=data.place,
        participants=data.participants,
        summary=data.summary,
        findings=data.findings,
        entered_at=entered,
        is_late=is_late(local_date(entered), occurred_on, late_after),
        version=previous.version + 1 if previous else 1,
        root_id=previous.chain_root_id if previous else None,
        amends=previous,
        reason=reason,
        withdrawn=withdrawn,
        source=source,
        created_by=user,
    )


def _credits(town: Town, entry: DutyRecord, data: RecordData, holders: dict[int, int | None]) -> list[Credit]:
    return [
        Credit(
            town=town,
            record=entry,
            post=post,
            person_id=holders[post.pk],
            led=data.led is None or post in data.led,
        )
        for post in data.posts
    ]


def create_record(
    *,
    town: Town,
    data: RecordData,
    files: Sequence[Upload] = (),
    source: str = Source.FORM,
    entered_at: datetime.datetime | None = None,
    client_key: str | None = None,
    actor: Any,
) -> DutyRecord:
    """Submit a duty record (履职记录) crediting one or more posts; once saved it can only be amended.

    `entered_at` (when the demo's fictional records were entered) is the demo loader's alone: every other entry
    is stamped with the server's time. The same `client_key` sent again by the same person (a phone sending what
    it kept offline, then retrying) returns the record already saved and saves nothing. Raises ValidationError
    (nothing saved) with every problem found, in Chinese.
    """
    if entered_at is not None and source != Source.DEMO:
        raise ValueError("only the demo loader sets the entry time")
    key = (client_key or "").strip()
    if len(key) > 100 or "\x00" in key:
        raise ValidationError("幂等键不能超过 100 个字符，且不能含有无效字符。")
    if key and (found := _sent_before(town, key, actor)) is not None:
        return found
    data = _clean(data, town, actor)
    checked = _check_files(files)
    _check_requirements(town, data, checked, source)
    try:
        with _stored_files(town, checked) as paths, transaction.atomic():
            entry = _save(
                town=town,
                data=data,
                files=checked,
                paths=paths,
                actor=actor,
                source=source,
                entered_at=entered_at,
            )
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
                    "entered_at": timezone.localtime(entry.entered_at).isoformat(),
                    "is_late": entry.is_late,
                    "attachments": [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked],
                },
            )
    except IntegrityError:
        if key and (found := _sent_before(town, key, actor)) is not None:
            return found  # the same key won a race a moment ago: that record is this one
        raise
    return entry


class RecordsRefused(Exception):
    """Rows of a bulk entry that cannot be saved; nothing was saved. `errors`: (row index, message, refused) for
    every problem of every row, `refused` True where the row credits a post the writer may never credit (a 403
    and an audited refusal, as `CreditRefused` is for one record)."""

    def __init__(self, errors: list[tuple[int, str, bool]]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def _id_runs(ids: Sequence[int]) -> list[list[int]]:
    """[[first, last], …] of consecutive ids: the exact set, short whatever the database's sequence did."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def create_records(
    *,
    town: Town,
    data: Sequence[RecordData],
    source: str = Source.IMPORT,
    event: str = "duties.record.import",
    details: dict[str, Any] | None = None,
    actor: Any,
) -> list[DutyRecord]:
    """Submit many records at once (an .xlsx import): every one checked as `create_record` checks one, then all
    saved in one transaction — or none, raising RecordsRefused with every problem of every row.

    The rows are written in bulk (stored exactly as `create_record` stores them: the same 补录 mark, entry time,
    credits and holders) and the trail gets one entry for the whole batch: `details` (the file's name and
    SHA-256), how many records, their ids and entry time — not one entry per row. No attachments, no
    idempotency keys: those are for entries by hand.
    """
    if source in (Source.DEMO,):
        raise ValueError("the demo loader enters records one by one, with their own entry times")
    rights = access.CreditRights.load(actor, town)
    cleaned: list[RecordData] = []
    errors: list[tuple[int, str, bool]] = []
    for index, one in enumerate(data):
        try:
            row = _clean(one, town, actor, rights)
            _check_requirements(town, row, [], source)
        except access.CreditRefused as exc:
            errors.append((index, exc.message, True))
        except ValidationError as exc:
            errors.extend((index, message, False) for message in exc.messages)
        else:
            cleaned.append(row)
    if errors:
        raise RecordsRefused(errors)
    if not cleaned:
        raise ValidationError("没有要保存的记录。")
    user = actor if getattr(actor, "is_authenticated", False) else None
    entered = timezone.now()  # one moment for the batch: the whole file came in at once
    with transaction.atomic():
        late_after = RecordRules.for_town(town).late_after_days
        entries = DutyRecord.objects.bulk_create(
            [
                _new_record(
                    town=town, data=row, entered=entered, late_after=late_after, source=source, user=user
                )
                for row in cleaned
            ],
            batch_size=500,
        )
        if any(entry.pk is None for entry in entries):  # SQLite ≥ 3.35 and PostgreSQL return the new ids
            raise RuntimeError("the database did not return the new records' ids")
        # Every tenure of the credited posts read once; each record's day answered from it (not a query each).
        register = selectors.TenureBook.of_posts({p.pk for row in cleaned for p in row.posts})
        Credit.objects.bulk_create(
            [
                credit
                for entry, row in zip(entries, cleaned, strict=True)
                for credit in _credits(town, entry, row, register.holder_ids(row.posts, entry.occurred_on))
            ],
            batch_size=500,
        )
        audit(
            event,
            actor=actor,
            town=town,
            changes={
                **(details or {}),
                "source": source,
                "records": len(entries),
                "ids": _id_runs([e.pk for e in entries]),
                "entered_at": timezone.localtime(entered).isoformat(),
                "late": sum(e.is_late for e in entries),
            },
            object_repr=f"{len(entries)} 条履职记录",
        )
    return entries


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
        "findings": data.findings,
        "posts": sorted(p.title for p in data.posts),
        "led": sorted(p.title for p in (data.posts if data.led is None else data.led)),
    }


def record_data(entry: DutyRecord) -> RecordData:
    """A record's content, to start an amendment from."""
    credits = list(entry.credits.select_related("post"))
    return RecordData(
        kind=entry.kind,
        occurred_at=entry.occurred_at,
        title=entry.title,
        place=entry.place,
        summary=entry.summary,
        participants=entry.participants,
        posts=[c.post for c in credits],
        findings=entry.findings,
        # None when every credited post led it: an amendment that changes the posts keeps that meaning.
        led=None if all(c.led for c in credits) else [c.post for c in credits if c.led],
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
    data = _clean(data, town, actor, entered_at=record.entered_at)
    checked = _check_files(files)
    if not withdraw:
        _check_requirements(town, data, checked, source, previous=record)
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
    from .rules import Requirement

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


def add_town_duty(
    *,
    post: Post,
    kind: str,
    period: str,
    min_count: int,
    text: str,
    valid_from: datetime.date,
    actor: Any,
) -> TownDuty:
    """A frequency duty the town sets on one of its posts (镇定要求), kept apart from the regulation's."""
    text = text.strip()
    errors = []
    if kind not in DutyKind.values:
        errors.append("履职方式无效。")
    if period not in Period.values:
        errors.append("周期无效。")
    if not 1 <= min_count <= 100:
        errors.append("至少次数须在 1 到 100 之间。")
    if not text:
        errors.append("请填写要求内容。")
    if valid_from < EARLIEST:
        errors.append("起始日期不能早于 2000 年。")
    if errors:
        raise ValidationError(errors)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        duty = TownDuty.objects.create(
            town_id=post.town_id,
            post=post,
            kind=kind,
            period=period,
            min_count=min_count,
            text=text,
            valid_from=valid_from,
            created_by=user,
        )
        audit(
            "duties.town_duty.add",
            actor=actor,
            obj=duty,
            changes={
                "post": post.title,
                "kind": kind,
                "period": period,
                "min_count": min_count,
                "text": text,
                "valid_from": valid_from.isoformat(),
            },
        )
    return duty


def end_town_duty(*, duty: TownDuty, last_day: datetime.date, actor: Any) -> TownDuty:
    """End a town duty on its last day; it keeps judging the days before (history is never rewritten)."""
    with transaction.atomic():
        current = TownDuty.objects.select_for_update().get(pk=duty.pk)
        if current.valid_until is not None:
            raise ValidationError(f"该要求已于{current.valid_until}终止。")
        if last_day < current.valid_from:
            raise ValidationError("终止日期不能早于起始日期。")
        current.valid_until = last_day
        current.save(update_fields=["valid_until"])
        audit("duties.town_duty.end", actor=actor, obj=current, changes={"valid_until": last_day.isoformat()})
    return current
