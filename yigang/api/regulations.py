"""Regulation versions, their articles and duties."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from yigang.regulations.choices import DutyKind, Period, PostKind
from yigang.regulations.models import Regulation
from yigang.towns.access import get_for_user

from .contract import ID

router = Router(tags=["regulations"])


class RegulationOut(Schema):
    id: int
    town: str
    title: str
    issuer: str
    issued_on: datetime.date | None
    document_number: str
    version: int
    status: str
    effective_from: datetime.date | None
    effective_until: datetime.date | None


class ItemOut(Schema):
    number: int
    text: str


class ArticleOut(Schema):
    number: int
    chapter: int | None
    heading: str
    post: PostKind | None
    items: list[ItemOut]


class DutyOut(Schema):
    id: int
    article: int | None
    item: int | None
    post: PostKind | None
    kind: DutyKind
    min_count: int | None
    period: Period | None
    text: str
    phrase: str
    corrected: bool


class RegulationDetail(RegulationOut):
    articles: list[ArticleOut]
    duties: list[DutyOut]


def _out(r: Regulation) -> dict[str, object]:
    return {
        "id": r.pk,
        "town": r.town.name,
        "title": r.title,
        "issuer": r.issuer,
        "issued_on": r.issued_on,
        "document_number": r.document_number,
        "version": r.version,
        "status": r.status,
        "effective_from": r.effective_from,
        "effective_until": r.effective_until,
    }


@router.get("", response=list[RegulationOut], summary="Regulation versions of the towns the user may see")
def list_regulations(request: HttpRequest) -> list[dict[str, object]]:
    return [_out(r) for r in Regulation.objects.for_user(request.user).select_related("town")]


@router.get("/{regulation_id}", response=RegulationDetail, summary="One version with its articles and duties")
def get_regulation(request: HttpRequest, regulation_id: int = ID()) -> dict[str, object]:
    r = get_for_user(Regulation.objects.select_related("town"), request.user, pk=regulation_id)
    articles = [
        {
            "number": a.number,
            "chapter": a.chapter.number if a.chapter else None,
            "heading": a.heading,
            "post": a.post or None,
            "items": [{"number": i.number, "text": i.text} for i in a.items.all()],
        }
        for a in r.articles.select_related("chapter").prefetch_related("items")
    ]
    duties = [
        {
            "id": d.pk,
            "article": d.article.number if d.article else None,
            "item": d.item.number if d.item else None,
            "post": d.post or None,
            "kind": d.kind,
            "min_count": d.min_count,
            "period": d.period or None,
            "text": d.text,
            "phrase": d.phrase,
            "corrected": d.corrected,
        }
        for d in r.duties.select_related("article", "item").order_by("position")
    ]
    return {**_out(r), "articles": articles, "duties": duties}
