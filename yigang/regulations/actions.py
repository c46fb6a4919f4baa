"""Every write to the regulation register: one transaction and one audit entry each."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yigang.audit.log import record
from yigang.towns.models import Region, Town
from yigang.words import chinese_number

from .choices import ALL_POSTS, POST_LEVEL, DutyKind, Period, PostKind
from .models import Article, Chapter, Duty, Item, Regulation, RegulationPost, SectorClaim, Status
from .parser import ParsedRegulation, SourceError, parse_source


def import_regulation(
    *, town: Town | None = None, region: Region | None = None, data: bytes, filename: str, actor: Any
) -> Regulation:
    """Parse a source file and store it as a new draft version of the town's regulation, or of a region's own
    (a 旗县's or a 盟市's, issue 25.5: exactly one of `town` and `region`).

    A region's new version carries the model marks of its previous version to the same duties (same post, kind
    and words); a mark it cannot carry becomes a note for the reviewer, who marks again.
    Raises `SourceError` (nothing saved) when the file cannot be read as a regulation.
    """
    if (town is None) == (region is None):
        raise ValueError("a regulation belongs to a town or to a region")
    parsed = parse_source(data, filename)
    _refuse_repeated_numbers(parsed)
    with transaction.atomic():
        regulation = _store(
            owner=_owner(town, region), parsed=parsed, filename=filename, data=data, actor=actor
        )
        changes: dict[str, Any] = {
            "version": regulation.version,
            "filename": filename,
            "articles": len(parsed.articles),
            "duties": len(parsed.duties),
        }
        if region is not None:
            changes.update({"region": region.code, **carry_model_marks(regulation)})
        record("regulation.import", actor=actor, obj=regulation, changes=changes)
    return regulation


def _owner(town: Town | None, region: Region | None) -> dict[str, Any]:
    return {"town": town} if town is not None else {"region": region}


def owner_of(regulation: Regulation) -> dict[str, Any]:
    """The lookup that finds the other versions of the same owner (a town's, or a region's)."""
    if regulation.town_id is not None:
        return {"town_id": regulation.town_id}
    return {"region_id": regulation.region_id}


def _same_words(text: str) -> str:
    return "".join(text.split())


def carry_model_marks(regulation: Regulation) -> dict[str, int]:
    """Mark on a region's new version the duties its previous marked version marked (same post, kind, words);
    each mark not carried is a note in the version's parse warnings. Returns the counts for the audit entry."""
    assert regulation.region_id is not None, "a region's version"
    previous = (
        Regulation.objects.filter(region_id=regulation.region_id, version__lt=regulation.version)
        .exclude(status=Status.DISCARDED)
        .filter(duties__is_model=True)
        .order_by("-version")
        .first()
    )
    if previous is None:
        return {"marks_carried": 0, "marks_to_redo": 0}
    fresh = {(d.post, d.kind, _same_words(d.text)): d for d in regulation.duties.all()}
    carried: list[int] = []
    notes: list[str] = []
    for old in previous.duties.filter(is_model=True).order_by("position"):
        duty = fresh.get((old.post, old.kind, _same_words(old.text)))
        if duty is None:
            notes.append(
                f"第{previous.version}版的示范条款“{old.text[:40]}”在本版中没有相同的条文，请核对后重新标记。"
            )
        else:
            carried.append(duty.pk)
    Duty.objects.filter(pk__in=carried).update(is_model=True)
    if notes:
        regulation.parse_warnings = [*regulation.parse_warnings, *notes]
        regulation.save(update_fields=["parse_warnings"])
    return {"marks_carried": len(carried), "marks_to_redo": len(notes)}


def _refuse_repeated_numbers(parsed: ParsedRegulation) -> None:
    # Duties are tied to (article, item) numbers; a repeated number would make that tie ambiguous, so the
    # officer fixes the source instead of us guessing which 第五条 was meant.
    seen: set[int] = set()
    for article in parsed.articles:
        if article.number in seen:
            raise SourceError(
                f"第{chinese_number(article.number)}条在原文中重复出现，请修正原文编号后再导入。"
            )
        seen.add(article.number)
        numbers = [i.number for i in article.items]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise SourceError(
                f"第{chinese_number(article.number)}条的第{repeated[0]}项在原文中重复出现，请修正原文编号后再导入。"
            )


def _store(
    *, owner: dict[str, Any], parsed: ParsedRegulation, filename: str, data: bytes, actor: Any
) -> Regulation:
    # Lock the owner's versions so two imports at once cannot take the same number.
    last = Regulation.objects.select_for_update().filter(**owner).aggregate(v=Max("version"))["v"] or 0
    regulation = Regulation.objects.create(
        **owner,
        title=parsed.title[:300] or filename[:300],
        issuer=parsed.issuer[:200],
        issued_on=parsed.issued_on,
        document_number=parsed.document_number[:100],
        recipients=parsed.recipients[:300],
        reason=parsed.reason[:500],
        preamble=parsed.preamble,
        version=last + 1,
        source_text=parsed.text,
        source_filename=filename[:255],
        source_sha256=hashlib.sha256(data).hexdigest(),
        parse_warnings=list(parsed.warnings),
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    chapters = {
        c.number: Chapter.objects.create(regulation=regulation, number=c.number, title=c.title[:200])
        for c in parsed.chapters
    }
    articles: dict[int, Article] = {}
    items: dict[tuple[int, int], Item] = {}
    for a in parsed.articles:
        article = Article.objects.create(
            regulation=regulation,
            chapter=chapters.get(a.chapter) if a.chapter is not None else None,
            number=a.number,
            heading=a.heading,
            text=a.text,
            post=a.post or "",
        )
        articles[a.number] = article
        for i in a.items:
            items[(a.number, i.number)] = Item.objects.create(article=article, number=i.number, text=i.text)
    Duty.objects.bulk_create(
        Duty(
            regulation=regulation,
            article=articles.get(d.article) if d.article is not None else None,
            item=items.get((d.article, d.item)) if d.article is not None and d.item is not None else None,
            post=d.post or "",
            kind=d.kind,
            min_count=d.min_count,
            period=d.period or "",
            text=d.text,
            phrase=d.phrase[:200],
            position=position,
        )
        for position, d in enumerate(parsed.duties, start=1)
    )
    for claim in parsed.sector_claims:
        article_number = next(
            (
                a.number
                for a in parsed.articles
                if any(i.number == claim.item and i.text == claim.text for i in a.items)
            ),
            None,
        )
        SectorClaim.objects.create(
            regulation=regulation,
            item=items.get((article_number, claim.item)) if article_number is not None else None,
            unit_name=claim.unit[:120],
            note=claim.note[:200],
            sectors=[{"name": s.name, "scope": s.scope} for s in claim.sectors],
        )
    seen: set[str] = set()
    for a in parsed.articles:
        if a.post and a.post not in seen:
            seen.add(a.post)
            level, designation = POST_LEVEL[a.post]
            RegulationPost.objects.create(
                regulation=regulation,
                kind=a.post,
                level=level,
                designation=designation,
                article=articles[a.number],
            )
    return regulation


def _require_draft(regulation: Regulation) -> None:
    if regulation.status != Status.DRAFT:
        raise ValidationError("只有待审核的版本可以修改；现行版本须导入修订稿后生成新版本。")


def correct_duty(*, duty: Duty, post: str, kind: str, min_count: int | None, period: str, actor: Any) -> Duty:
    """The reviewer's correction of one parsed duty (draft versions only)."""
    _require_draft(duty.regulation)
    allowed = PostKind.values if duty.regulation.town_id is not None else dict(ALL_POSTS)
    if post and post not in allowed:
        raise ValidationError("岗位不在制度岗位列表中。")
    if kind not in DutyKind.values:
        raise ValidationError("履职方式无效。")
    if period and period not in Period.values:
        raise ValidationError("周期无效。")
    if min_count is not None and min_count < 1:
        raise ValidationError("最少次数须为正整数。")
    if min_count is not None and not period:
        raise ValidationError("填写了次数就必须选择周期。")
    before = {"post": duty.post, "kind": duty.kind, "min_count": duty.min_count, "period": duty.period}
    after = {"post": post, "kind": kind, "min_count": min_count, "period": period}
    if before == after:
        return duty
    with transaction.atomic():
        for field, value in after.items():
            setattr(duty, field, value)
        duty.corrected = True
        duty.save(update_fields=[*after, "corrected"])
        record(
            "regulation.duty.correct",
            actor=actor,
            obj=duty,
            town=duty.regulation.town,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return duty


def add_duty(
    *,
    regulation: Regulation,
    article: Article | None,
    item: Item | None,
    post: str,
    kind: str,
    min_count: int | None,
    period: str,
    text: str,
    actor: Any,
) -> Duty:
    """A duty the parser missed, added by the reviewer to a draft."""
    _require_draft(regulation)
    if not text.strip():
        raise ValidationError("请填写履职要求的条文。")
    with transaction.atomic():
        position = (regulation.duties.aggregate(p=Max("position"))["p"] or 0) + 1
        duty = Duty.objects.create(
            regulation=regulation,
            article=article,
            item=item,
            post="",
            kind=DutyKind.OTHER,
            text=text.strip(),
            position=position,
            corrected=True,
        )
        correct_duty(duty=duty, post=post, kind=kind, min_count=min_count, period=period, actor=actor)
        record(
            "regulation.duty.add", actor=actor, obj=duty, town=regulation.town, changes={"text": duty.text}
        )
    return duty


def remove_duty(*, duty: Duty, actor: Any) -> None:
    """Drop a duty the parser found by mistake (draft versions only)."""
    _require_draft(duty.regulation)
    with transaction.atomic():
        record(
            "regulation.duty.remove",
            actor=actor,
            obj=duty,
            town=duty.regulation.town,
            changes={"text": duty.text, "phrase": duty.phrase},
        )
        duty.delete()


def activate_regulation(
    *, regulation: Regulation, actor: Any, effective_from: datetime.date | None = None
) -> Regulation:
    """Make a reviewed draft the town's regulation in force; the previous version is superseded the day before.

    Without ``effective_from`` it takes effect on the day its text names (自…起施行), else its issue date.
    """
    _require_draft(regulation)
    start = effective_from or regulation.stated_effective_from or regulation.issued_on or timezone.localdate()
    with transaction.atomic():
        previous = (
            Regulation.objects.select_for_update(of=("self",))
            .filter(**owner_of(regulation), status=Status.ACTIVE)
            .first()
        )
        if previous is not None:
            if previous.effective_from and start <= previous.effective_from:
                raise ValidationError(
                    f"生效日期须晚于现行版本的生效日期（{previous.effective_from:%Y-%m-%d}）。"
                )
            previous.status = Status.SUPERSEDED
            previous.effective_until = start - datetime.timedelta(days=1)
            previous.save(update_fields=["status", "effective_until"])
            record(
                "regulation.supersede",
                actor=actor,
                obj=previous,
                changes={"effective_until": previous.effective_until},
            )
        regulation.status = Status.ACTIVE
        regulation.effective_from = start
        regulation.supersedes = previous
        regulation.activated_at = timezone.now()
        regulation.save(update_fields=["status", "effective_from", "supersedes", "activated_at"])
        record(
            "regulation.activate",
            actor=actor,
            obj=regulation,
            changes={"effective_from": start, "supersedes": previous.version if previous else None},
        )
    return regulation


def discard_draft(*, regulation: Regulation, actor: Any) -> Regulation:
    """A draft that will not be used is kept, marked discarded (the import stays on record)."""
    _require_draft(regulation)
    with transaction.atomic():
        regulation.status = Status.DISCARDED
        regulation.save(update_fields=["status"])
        record("regulation.discard", actor=actor, obj=regulation)
    return regulation
