"""Every write of the assessment: schemes, rounds, manual adjustments, 不适用 markings, tie decisions, publishing.
One transaction, one audit entry."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record
from yigang.evidence import uploads
from yigang.towns.models import Town
from yigang.towns.reauth import require_word

from .models import Adjustment, NotApplicable, Round, Scheme, SubjectKind, TieDecision
from .results import compute, compute_round, year_closed
from .scoring import DEFAULT_RULES, INDICATORS, validate


def save_scheme(*, town: Town, year: int, title: str, rules: dict[str, Any], actor: Any) -> Scheme:
    """A new scheme for the year (the latest one is used). A scheme a round has used is never changed."""
    validate(rules)
    if Round.objects.filter(town=town, year=year, published=True).exists():
        raise ValidationError(f"{year}年度考核结果已发布，不能再更换考核方案。")
    title = title.strip() or f"{year}年度安全生产责任制考核方案"
    with transaction.atomic():
        latest = Scheme.objects.select_for_update().filter(town=town, year=year).order_by("-version").first()
        version = (latest.version + 1) if latest else 1
        scheme = Scheme.objects.create(
            town=town, year=year, version=version, title=title, rules=rules, created_by=actor
        )
        Round.objects.filter(town=town, year=year, published=False).update(scheme=scheme)
        if Round.objects.filter(town=town, year=year).exists():
            scheme.frozen = True
            scheme.save(update_fields=["frozen"])
        record(
            "assessment.scheme",
            actor=actor,
            obj=scheme,
            town=town,
            changes={"year": year, "version": version, "rules": rules},
        )
    return scheme


def default_scheme(*, town: Town, year: int, actor: Any) -> Scheme:
    """The scheme built from the seed regulation (scoring.DEFAULT_RULES), for a year that has none."""
    found = Scheme.objects.filter(town=town, year=year).order_by("-id").first()
    if found is not None:
        return found
    return save_scheme(
        town=town,
        year=year,
        title=f"{year}年度安全生产责任制考核方案（依制度第四条、第九条第7项）",
        rules=copy.deepcopy(DEFAULT_RULES),
        actor=actor,
    )


def open_round(*, town: Town, year: int, actor: Any) -> Round:
    """Start the year's round with the year's scheme (the default one if none); the scheme is frozen from now."""
    found = Round.objects.filter(town=town, year=year).first()
    if found is not None:
        return found
    if year > timezone.localdate().year:
        raise ValidationError(f"{year}年度尚未开始，不能开展考核。")
    with transaction.atomic():
        scheme = default_scheme(town=town, year=year, actor=actor)
        rnd = Round.objects.create(town=town, year=year, scheme=scheme)
        Scheme.objects.filter(pk=scheme.pk).update(frozen=True)
        record(
            "assessment.open",
            actor=actor,
            obj=rnd,
            town=town,
            changes={
                "year": year,
                "scheme": scheme.pk,
                "scheme_version": scheme.version,
                "provisional": not year_closed(year),
            },
        )
    return rnd


def add_adjustment(
    *, rnd: Round, subject: str, points: str, reason: str, upload: IO[bytes], filename: str, actor: Any
) -> Adjustment:
    """A documented manual adjustment: reason and supporting file required; refused once published."""
    errors: list[str] = []
    if rnd.published:
        raise ValidationError("考核结果已发布，不能再调整。")
    reason = reason.strip()
    if not reason:
        errors.append("请填写调整理由。")
    try:
        value = round(float(points), 1)
    except ValueError:
        value = 0.0
        errors.append("调整分值须为数字，如 2 或 -1.5。")
    if value == 0 or not -20 <= value <= 20:
        errors.append("调整分值须在 -20 到 20 分之间且不为 0。")
    kind = subject.split(":", 1)[0]
    if kind not in SubjectKind.values:
        errors.append("调整对象不存在。")
    if upload is None:
        errors.append("请上传佐证材料。")
    if errors:
        raise ValidationError(errors)
    checked = uploads.check(upload, filename)
    known = compute(rnd.town, rnd.year, rules=rnd.scheme.rules)
    if subject not in {r["key"] for r in known["units"] + known["persons"]}:
        raise ValidationError("调整对象不在本年度考核范围内。")
    path = uploads.store(rnd.town_id, checked)
    try:
        with transaction.atomic():
            adj = Adjustment.objects.create(
                round=rnd,
                subject_kind=kind,
                subject=subject,
                points=Decimal(str(value)),
                reason=reason,
                created_by=actor,
                **checked.fields(path),
            )
            record(
                "assessment.adjust",
                actor=actor,
                obj=adj,
                town=rnd.town,
                changes={
                    "subject": subject,
                    "points": str(value),
                    "reason": reason,
                    "sha256": checked.sha256,
                },
            )
    except Exception:
        default_storage.delete(path)
        raise
    return adj


def publish(
    *,
    rnd: Round,
    actor: Any,
    secret: str | None = None,
    doc_number: str = "",
    doc_date: datetime.date | None = None,
    as_of: datetime.date | None = None,
    ip: str | None = None,
) -> Round:
    """Freeze the results and their workings as they stand now; later records never change them.

    Only a year that has ended (its results judged whole, not 预评), with every tie at the 先进 line decided, and
    with the publisher's password or TOTP code. The 通报 carries `doc_number` (文号) and `doc_date` (成文日期,
    default today). Refusals save nothing; a wrong secret is audited as a failed `assessment.publish`."""
    if rnd.published:
        raise ValidationError("考核结果已发布。")
    if not year_closed(rnd.year):
        raise ValidationError(
            f"{rnd.year}年度尚未结束，目前为预评结果；须待 {rnd.year + 1}年1月1日起全年各期均已结束后才能发布。"
        )
    doc_number = (doc_number or "").strip()
    if len(doc_number) > 60:
        raise ValidationError("文号不能超过 60 个字。")
    doc_date = doc_date or timezone.localdate()
    if doc_date > timezone.localdate():
        raise ValidationError("成文日期不能晚于今天。")
    if doc_date <= datetime.date(rnd.year, 12, 31):
        raise ValidationError(f"成文日期须在 {rnd.year}年度结束之后。")
    method = require_word(actor, secret, "发布", "assessment.publish", ip=ip, obj=rnd, town=rnd.town)
    as_of = as_of or datetime.date(rnd.year, 12, 31)
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("scheme", "town").get(pk=rnd.pk)
        if locked.published:
            raise ValidationError("考核结果已发布。")
        data = compute_round(locked, as_of=as_of)
        undecided = [t for t in data["ties"].values() if t["decision"] is None]
        if undecided:
            names = "；".join("、".join(t["names"]) for t in undecided)
            raise ValidationError(f"先进名额线上有并列（{names}），须由安委办决定后才能发布。")
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        locked.snapshot = data
        locked.snapshot_sha256 = hashlib.sha256(text.encode()).hexdigest()
        locked.published = True
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.as_of = as_of
        locked.doc_number = doc_number
        locked.doc_date = doc_date
        locked.publish_method = method
        locked.save()
        record(
            "assessment.publish",
            actor=actor,
            obj=locked,
            town=locked.town,
            ip=ip,
            changes={
                "year": locked.year,
                "sha256": locked.snapshot_sha256,
                "scheme_version": locked.scheme.version,
                "doc_number": doc_number,
                "doc_date": doc_date.isoformat(),
                "method": method,
            },
        )
    return locked


# --- issue 21: 不适用 markings and tie decisions -------------------------------------------------------------------


def _draft(rnd: Round) -> None:
    if rnd.published:
        raise ValidationError("考核结果已发布，不能再更改。")


def mark_not_applicable(*, rnd: Round, subject: str, item: str, reason: str, actor: Any) -> NotApplicable:
    """The 安委办 marks one scoring item 不适用 for one subject, with a reason (the item is left out and the others
    are scaled to 100)."""
    _draft(rnd)
    reason = (reason or "").strip()
    errors: list[str] = []
    if not reason:
        errors.append("请填写不适用的理由：无理由不能标注不适用。")
    if item not in INDICATORS or item not in {i["key"] for i in rnd.scheme.rules.get("indicators", [])}:
        errors.append("考核方案中没有该考核指标。")
    if errors:
        raise ValidationError(errors)
    known = compute_round(rnd)
    row = next((r for r in known["units"] + known["persons"] if r["key"] == subject), None)
    if row is None:
        raise ValidationError("该对象不在本年度考核范围内。")
    applicable = [i for i in row["items"] if not i["not_applicable"]]
    if item not in {i["key"] for i in applicable}:
        raise ValidationError("该指标已标注为不适用。")
    if len(applicable) <= 1:
        raise ValidationError("至少须保留一项适用的考核指标。")
    with transaction.atomic():
        na = NotApplicable.objects.create(
            round=rnd, subject=subject, item=item, reason=reason, created_by=actor
        )
        record(
            "assessment.not_applicable",
            actor=actor,
            obj=na,
            town=rnd.town,
            changes={"subject": subject, "name": row["name"], "item": item, "reason": reason},
        )
    return na


def withdraw_not_applicable(*, marking: NotApplicable, reason: str, actor: Any) -> NotApplicable:
    """Withdraw a 不适用 marking (kept, with who withdrew it, when and why): the item is scored again."""
    _draft(marking.round)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写撤销不适用标注的理由。")
    if marking.withdrawn_at is not None:
        raise ValidationError("该标注已撤销。")
    with transaction.atomic():
        marking.withdrawn_at = timezone.now()
        marking.withdrawn_by = actor
        marking.withdraw_reason = reason
        marking.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        record(
            "assessment.not_applicable_withdraw",
            actor=actor,
            obj=marking,
            town=marking.round.town,
            changes={"subject": marking.subject, "item": marking.item, "reason": reason},
        )
    return marking


def decide_tie(*, rnd: Round, group: str, chosen: list[str], reason: str, actor: Any) -> TieDecision:
    """The 安委办 decides a tie at the 先进 line: which of the tied take the seats left (at most that many; fewer
    or none is allowed — the share is a ceiling), with a reason."""
    _draft(rnd)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写决定理由。")
    tie = compute_round(rnd)["ties"].get(group)
    if tie is None:
        raise ValidationError("该名单当前没有需要决定的并列。")
    picked = sorted(set(chosen))
    if not set(picked) <= set(tie["keys"]):
        raise ValidationError("只能从并列的对象中确定先进。")
    if len(picked) > tie["seats"]:
        raise ValidationError(
            f"先进名额为上限：并列者中至多还能确定 {tie['seats']} 个，现选了 {len(picked)} 个。"
        )
    with transaction.atomic():
        decision = TieDecision.objects.create(
            round=rnd,
            group=group,
            tied=tie["keys"],
            seats=tie["seats"],
            chosen=picked,
            reason=reason,
            created_by=actor,
        )
        record(
            "assessment.tie",
            actor=actor,
            obj=decision,
            town=rnd.town,
            changes={
                "group": group,
                "tied": tie["keys"],
                "seats": tie["seats"],
                "chosen": picked,
                "reason": reason,
            },
        )
    return decision


# --- The accountability file (issue 21, point 5): 补录 admitted, the 安委办's finding, issuing ---------------------


def _subject_town(kind: str, subject_id: int) -> Town:
    from yigang.accidents.models import Accident
    from yigang.hazards.models import Hazard

    from .models import FileKind

    found: Accident | Hazard | None
    if kind == FileKind.ACCIDENT:
        found = Accident.objects.filter(pk=subject_id, latest__isnull=False).select_related("town").first()
    elif kind == FileKind.HAZARD:
        found = Hazard.objects.filter(pk=subject_id).select_related("town").first()
    else:
        found = None
    if found is None:
        raise ValidationError("没有这份履职情况材料对应的事故或隐患。")
    return found.town


def build_file(kind: str, subject_id: int) -> Any:
    """The accountability file of an accident or a hazard as it can be read now (accountability.py)."""
    from yigang.accidents.models import Accident
    from yigang.hazards.models import Hazard

    from . import accountability
    from .models import FileKind

    if kind == FileKind.ACCIDENT:
        return accountability.for_accident(Accident.objects.get(pk=subject_id))
    return accountability.for_hazard(Hazard.objects.get(pk=subject_id))


def admit_late_record(*, kind: str, subject_id: int, record_id: int, reason: str, actor: Any) -> Any:
    """The 安委办 admits a 事后补录 record of the file as evidence: a reason is required; audited."""
    from yigang.duties.models import DutyRecord

    from .models import LateAdmission

    town = _subject_town(kind, subject_id)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(
            "请填写采信理由：事后补录的记录须说明为何可作为事故（隐患）发生前已履职的证据。"
        )
    if len(reason) > 2000:
        raise ValidationError("采信理由不能超过 2000 个字。")
    rec = DutyRecord.objects.filter(town=town, pk=record_id).first()
    if rec is None or rec.root_id is not None:
        raise ValidationError("该履职记录不存在。")
    late_ids = {r["id"] for r in build_file(kind, subject_id).late_records}
    if rec.pk not in late_ids:
        raise ValidationError("该记录不是本材料的事后补录记录，无需采信。")
    with transaction.atomic():
        if LateAdmission.objects.filter(subject_kind=kind, subject_id=subject_id, record=rec).exists():
            raise ValidationError("该记录已采信，采信记录不可更改。")
        admission = LateAdmission.objects.create(
            town=town, subject_kind=kind, subject_id=subject_id, record=rec, reason=reason, created_by=actor
        )
        changes = {
            "subject": f"{kind}:{subject_id}",
            "record": rec.pk,
            "entered_at": timezone.localtime(rec.entered_at).isoformat(),
            "reason": reason,
        }
        record("assessment.file.admit_late", actor=actor, obj=admission, town=town, changes=changes)
    return admission


FINDING_EVENT = "assessment.file.finding"


def _too_many_wrong_secrets(actor: Any) -> bool:
    from yigang.audit.models import AuditEntry
    from yigang.towns.reauth import BAD_CREDENTIAL, MAX_WRONG_SECRETS, WRONG_SECRET_WINDOW

    since = timezone.now() - WRONG_SECRET_WINDOW
    return (
        AuditEntry.objects.filter(
            event=FINDING_EVENT, user_id=actor.pk, success=False, at__gte=since, changes__kind=BAD_CREDENTIAL
        ).count()
        >= MAX_WRONG_SECRETS
    )


def record_finding(
    *,
    kind: str,
    subject_id: int,
    person_id: int,
    post_id: int,
    verdict: str,
    reasons: str,
    secret: str,
    actor: Any,
) -> Any:
    """The 安委办's own finding on one person of the file (追责建议 / 免责建议) with its reasons, confirmed with
    the officer's password (their TOTP code when they have a second factor), as sign-off confirms; audited.
    A wrong password saves nothing (the refusal is audited; five in 15 minutes lock it for a while)."""
    from yigang.towns.reauth import BAD_CREDENTIAL
    from yigang.towns.reauth import check_secret as _check_secret

    from .models import FileFinding, Verdict

    town = _subject_town(kind, subject_id)
    reasons = reasons.strip()
    errors = []
    if verdict not in Verdict.values:
        errors.append("请选择意见：追责建议或免责建议。")
    if not reasons:
        errors.append("请填写意见的理由（所依据的事实与记录）。")
    elif len(reasons) > 5000:
        errors.append("理由不能超过 5000 个字。")
    entry = next(
        (
            e
            for e in build_file(kind, subject_id).entries
            if e.person_id == person_id and e.post_id == post_id
        ),
        None,
    )
    if entry is None:
        errors.append("该人员不在本材料中。")
    if not secret:
        errors.append("请输入您的登录密码（已启用动态验证码的，输入当前验证码）以确认本意见。")
    if errors:
        raise ValidationError(errors)
    if _too_many_wrong_secrets(actor):
        raise ValidationError("密码错误次数过多，请 15 分钟后再试。")
    refusal, method = _check_secret(actor, secret)
    if refusal is not None:
        record(
            FINDING_EVENT,
            actor=actor,
            town=town,
            success=False,
            changes={"subject": f"{kind}:{subject_id}", "kind": BAD_CREDENTIAL, "method": method},
        )
        raise ValidationError(refusal.replace("未确认", "意见未保存"))
    with transaction.atomic():
        finding = FileFinding.objects.create(
            town=town,
            subject_kind=kind,
            subject_id=subject_id,
            person_id=person_id,
            post_id=post_id,
            verdict=verdict,
            reasons=reasons,
            method=method,
            created_by=actor,
        )
        record(
            FINDING_EVENT,
            actor=actor,
            obj=finding,
            town=town,
            changes={
                "subject": f"{kind}:{subject_id}",
                "person": person_id,
                "post": post_id,
                "verdict": verdict,
                "reasons": reasons,
                "method": method,
                "reading": entry.finding if entry else "",
            },
        )
    return finding


def file_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def issue_file(*, kind: str, subject_id: int, actor: Any) -> Any:
    """Issue (出具) the file as it reads now: its content frozen with its SHA-256, as the next version; earlier
    versions stay as they were."""
    from .models import IssuedFile

    town = _subject_town(kind, subject_id)
    content = build_file(kind, subject_id).as_json()
    digest = file_sha256(content)
    with transaction.atomic():
        last = (
            IssuedFile.objects.select_for_update()
            .filter(subject_kind=kind, subject_id=subject_id)
            .order_by("-version")
            .first()
        )
        issued = IssuedFile.objects.create(
            town=town,
            subject_kind=kind,
            subject_id=subject_id,
            version=(last.version + 1) if last else 1,
            content=content,
            sha256=digest,
            issued_by=actor,
        )
        record(
            "assessment.file.issue",
            actor=actor,
            obj=issued,
            town=town,
            changes={"subject": f"{kind}:{subject_id}", "version": issued.version, "sha256": digest},
        )
    return issued
