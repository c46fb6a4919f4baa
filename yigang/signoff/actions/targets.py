"""The year's 目标责任书: the template, its items, and the letters issued from it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yigang.audit.log import record
from yigang.org.models import Post, Unit, UnitKind, in_force
from yigang.regulations.choices import PostKind
from yigang.towns.models import Town
from yigang.towns.reauth import require_word

from .. import slots as slotting
from .. import texts
from ..indicators import DEFAULT_ITEMS, INDICATORS
from ..models import Document, Kind, TargetItem, TargetLetter, sha256_text
from .sync import SyncResult, _sync


def create_target_template(*, town: Town, year: int, actor: Any) -> Document:
    """The year's 目标责任书 template, started from the standard items; the 安委办 edits it before issuing."""
    if not 2000 <= year <= 2100:
        raise ValidationError("年度须在 2000 到 2100 之间。")
    with transaction.atomic():
        if Document.objects.filter(town=town, kind=Kind.TARGET_LETTER, year=year).exists():
            raise ValidationError(f"{year}年度的目标责任书已经建立。")
        document = Document.objects.create(
            town=town,
            kind=Kind.TARGET_LETTER,
            year=year,
            title=texts.letter_title(town.name, year),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for position, (text, indicator, target) in enumerate(DEFAULT_ITEMS, start=1):
            TargetItem.objects.create(
                document=document, position=position, text=text, indicator=indicator, target=target
            )
        record("signoff.target_template", actor=actor, obj=document, changes={"year": year})
    return document


def _require_template(document: Document) -> None:
    if document.kind != Kind.TARGET_LETTER:
        raise ValidationError("这不是目标责任书。")
    if not document.is_draft:
        raise ValidationError("目标责任书已下发，条目不能再修改；各方确认的是下发时的文本。")


def add_target_item(*, document: Document, text: str, indicator: str, target: str, actor: Any) -> TargetItem:
    """Add a target to a template not yet issued; an indicator needs a numeric target."""
    _require_template(document)
    text = text.strip()
    if not text:
        raise ValidationError("请填写目标内容。")
    if indicator and indicator not in INDICATORS:
        raise ValidationError("未知的考核指标。")
    target = target.strip()
    if indicator:
        try:
            value = float(target)
        except ValueError:
            raise ValidationError("选择了考核指标的，目标值须为数字。") from None
        if value < 0 or (INDICATORS[indicator].unit == "%" and value > 100):
            raise ValidationError("目标值超出范围（比率为 0–100）。")
    with transaction.atomic():
        last = TargetItem.objects.filter(document=document).aggregate(p=Max("position"))["p"] or 0
        item = TargetItem.objects.create(
            document=document, position=last + 1, text=text[:300], indicator=indicator, target=target[:20]
        )
        record(
            "signoff.target_item_add",
            actor=actor,
            obj=document,
            changes={"text": item.text, "indicator": indicator, "target": item.target},
        )
    return item


def remove_target_item(*, item: TargetItem, actor: Any) -> None:
    """Remove a target from a template not yet issued (nobody has confirmed anything of it)."""
    document = item.document
    _require_template(document)
    with transaction.atomic():
        record("signoff.target_item_remove", actor=actor, obj=document, changes={"text": item.text})
        item.delete()


def _party_b_posts(town: Town, day: datetime.date, include_leaders: bool) -> list[tuple[Unit, Post, str]]:
    heads = {UnitKind.BODY: PostKind.DEPARTMENT_HEAD, UnitKind.VILLAGE: PostKind.VILLAGE_SECRETARY}
    units = Unit.objects.at(day).filter(town=town, kind__in=list(heads)).order_by("kind", "name")
    posts = (
        Post.objects.at(day)
        .filter(town=town, unit__in=units, kind__in=list(heads.values()))
        .select_related("unit")
        .order_by("title", "id")
    )
    head_of: dict[int, Post] = {}
    for post in posts:
        if post.kind == heads[UnitKind(post.unit.kind)]:
            head_of.setdefault(post.unit_id, post)
    found = [(u, head_of[u.pk], u.name) for u in units if u.pk in head_of]
    if include_leaders:
        signatory = slotting.town_signatory(town, day)
        leaders = (
            Post.objects.at(day)
            .filter(town=town, kind__in=[PostKind.OTHER_DEPUTY, PostKind.DEPUTY_PARTY_SECRETARY])
            .filter(in_force(day, "valid_from", "valid_until", prefix="unit__"))
            .select_related("unit")
            .order_by("title", "id")
        )
        found += [(p.unit, p, p.title) for p in leaders if signatory is None or p.pk != signatory.post_id]
    return found


def issue_target_letters(
    *,
    document: Document,
    actor: Any,
    include_leaders: bool = False,
    day: datetime.date | None = None,
    secret: str | None = None,
    ip: str | None = None,
) -> SyncResult:
    """Freeze the template into one letter per body and village (and leader), and ask both sides to confirm.

    It binds both sides to the frozen text, so an officer re-enters their password or TOTP code (no actor: the
    demo loader, as the system); a refusal issues nothing and is audited as a failed `signoff.target_issue`."""
    _require_template(document)
    day = day or timezone.localdate()
    items = list(document.items.all())
    if not items:
        raise ValidationError("目标责任书还没有目标条目。")
    town = document.town
    require_word(actor, secret, "下发", "signoff.target_issue", ip=ip, obj=document)
    with transaction.atomic():
        parties = _party_b_posts(town, day, include_leaders)
        if not parties:
            raise ValidationError("登记册中没有可签订责任书的单位负责人或嘎查村书记岗位。")
        for unit, post, party_b in parties:
            text = texts.letter_text(
                town_name=town.name, year=document.year or day.year, party_b=party_b, items=items
            )
            TargetLetter.objects.create(
                document=document,
                unit=unit,
                post=post,
                party_b=party_b,
                text=text,
                text_sha256=sha256_text(text),
            )
        document.issued_at = timezone.now()
        document.include_leaders = include_leaders
        document.save(update_fields=["issued_at", "include_leaders"])
        result = _sync(document, slotting.letter_slots(document, day), "责任书变化")
        if slotting.town_signatory(town, day) is None:
            result.warnings.append("分管安全生产副职和镇长岗位均无人任职，甲方暂无人确认。")
        record(
            "signoff.target_issue",
            actor=actor,
            obj=document,
            changes={
                "letters": len(parties),
                "tasks": len(result.created),
                "include_leaders": include_leaders,
            },
        )
    return result
