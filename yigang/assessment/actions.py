"""Every write of the assessment: schemes, rounds, manual adjustments, publishing. One transaction, one audit entry."""

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
from yigang.duties import attachments
from yigang.towns.models import Town

from .models import Adjustment, Round, Scheme, SubjectKind
from .results import compute
from .scoring import DEFAULT_RULES, validate


def save_scheme(*, town: Town, year: int, title: str, rules: dict[str, Any], actor: Any) -> Scheme:
    """A new scheme for the year (the latest one is used). A scheme a round has used is never changed."""
    validate(rules)
    if Round.objects.filter(town=town, year=year, published=True).exists():
        raise ValidationError(f"{year}年度考核结果已发布，不能再更换考核方案。")
    title = title.strip() or f"{year}年度安全生产责任制考核方案"
    with transaction.atomic():
        scheme = Scheme.objects.create(town=town, year=year, title=title, rules=rules, created_by=actor)
        Round.objects.filter(town=town, year=year, published=False).update(scheme=scheme)
        if Round.objects.filter(town=town, year=year).exists():
            scheme.frozen = True
            scheme.save(update_fields=["frozen"])
        record(
            "assessment.scheme", actor=actor, obj=scheme, town=town, changes={"year": year, "rules": rules}
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
    with transaction.atomic():
        scheme = default_scheme(town=town, year=year, actor=actor)
        rnd = Round.objects.create(town=town, year=year, scheme=scheme)
        Scheme.objects.filter(pk=scheme.pk).update(frozen=True)
        record(
            "assessment.open", actor=actor, obj=rnd, town=town, changes={"year": year, "scheme": scheme.pk}
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
    checked = attachments.check(upload, filename)
    known = compute(rnd.town, rnd.year, rules=rnd.scheme.rules)
    if subject not in {r["key"] for r in known["units"] + known["persons"]}:
        raise ValidationError("调整对象不在本年度考核范围内。")
    path = attachments.store(rnd.town_id, checked)
    try:
        with transaction.atomic():
            adj = Adjustment.objects.create(
                round=rnd,
                subject_kind=kind,
                subject=subject,
                points=Decimal(str(value)),
                reason=reason,
                file=path,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                created_by=actor,
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


def publish(*, rnd: Round, actor: Any, as_of: datetime.date | None = None) -> Round:
    """Freeze the results and their workings as they stand now; later records never change them."""
    if rnd.published:
        raise ValidationError("考核结果已发布。")
    as_of = as_of or min(timezone.localdate(), datetime.date(rnd.year, 12, 31))
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=rnd.pk)
        if locked.published:
            raise ValidationError("考核结果已发布。")
        adjustments = list(Adjustment.objects.filter(round=locked).select_related("created_by"))
        data = compute(
            locked.town, locked.year, rules=locked.scheme.rules, as_of=as_of, adjustments=adjustments
        )
        data["scheme"] = {"id": locked.scheme_id, "title": locked.scheme.title, "rules": locked.scheme.rules}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        locked.snapshot = data
        locked.snapshot_sha256 = hashlib.sha256(text.encode()).hexdigest()
        locked.published = True
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.as_of = as_of
        locked.save()
        record(
            "assessment.publish",
            actor=actor,
            obj=locked,
            town=locked.town,
            changes={"year": locked.year, "sha256": locked.snapshot_sha256},
        )
    return locked
