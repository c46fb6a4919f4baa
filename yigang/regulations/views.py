"""Regulation pages: versions, the article tree, review and activation, duty lists, diff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.audit.log import record
from yigang.exports.download import DOCX, XLSX, export_file
from yigang.towns.access import current_town, get_for_user, require_role
from yigang.towns.models import WHOLE_TOWN_ROLES, has_role

from . import actions
from .choices import PostKind
from .diff import diff_regulations
from .duty_list import build_duty_list, duty_list_docx, duty_list_xlsx
from .forms import ActivateForm, DutyForm, ImportForm, NewDutyForm
from .model_check import town_checks
from .models import Article, Duty, Item, Regulation, Status
from .parser import SourceError


def _regulation(request: HttpRequest, pk: int) -> Regulation:
    return get_for_user(Regulation.objects.select_related("town"), request.user, pk=pk)


def _versions(request: HttpRequest) -> QuerySet[Regulation]:
    return Regulation.objects.for_user(request.user).filter(town=current_town(request))


@login_required
def regulation_list(request: HttpRequest) -> HttpResponse:
    versions = _versions(request).order_by("-version")
    town = current_town(request)
    # 上级示范条款对照 (issue 25.5): what the town's regulation lacks against the levels above it, for the people
    # who read the whole town (安委办, the town's leaders, the county).
    checks = town_checks(town) if has_role(request.user, town, WHOLE_TOWN_ROLES) else []
    return TemplateResponse(request, "regulations/list.html", {"versions": versions, "model_checks": checks})


@login_required
def regulation_current(request: HttpRequest) -> HttpResponse:
    active = _versions(request).filter(status=Status.ACTIVE).first()
    if active is None:
        return redirect("regulations:list")
    return redirect("regulations:detail", pk=active.pk)


@login_required
def regulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    article_duties: QuerySet[Duty] = Duty.objects.filter(item__isnull=True)
    articles = Article.objects.filter(regulation=regulation).prefetch_related(
        Prefetch("items", queryset=Item.objects.prefetch_related("duties")),
        Prefetch("duties", queryset=article_duties, to_attr="article_duties"),
    )
    chapters: dict[object, list[Article]] = {}
    for article in articles.select_related("chapter"):
        chapters.setdefault(article.chapter, []).append(article)
    loose = regulation.duties.filter(article__isnull=True)
    return TemplateResponse(
        request,
        "regulations/detail.html",
        {
            "regulation": regulation,
            "chapters": chapters.items(),
            "loose_duties": loose,
            "posts": regulation.posts.select_related("article"),
            "duty_count": regulation.duties.count(),
        },
    )


@login_required
def regulation_source(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    return HttpResponse(regulation.source_text, content_type="text/plain; charset=utf-8")


@login_required
def regulation_import(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        regulation = import_upload(request, form, {}, town=town)
        if regulation is not None:
            return redirect("regulations:review", pk=regulation.pk)
    return TemplateResponse(request, "regulations/import.html", {"form": form})


def import_upload(
    request: HttpRequest, form: ImportForm, audit: dict[str, object], **owner: Any
) -> Regulation | None:
    """Import the form's file for the owner (`town=` or `region=`) as a new draft, with the reviewer's message; or
    put the reason on the form, audit the refusal (with `audit` added) and return None."""
    upload = form.cleaned_data["file"]
    try:
        regulation = actions.import_regulation(
            **owner, data=upload.read(), filename=upload.name, actor=request.user
        )
    except SourceError as exc:
        form.add_error("file", exc.message)
        record(
            "regulation.import",
            actor=request.user,
            town=owner.get("town"),
            success=False,
            changes={**audit, "filename": upload.name, "error": exc.message},
        )
        return None
    messages.success(
        request, _("已导入为第 %(v)d 版草稿，请对照原文审核后启用。") % {"v": regulation.version}
    )
    return regulation


@login_required
def regulation_review(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    require_role(request, regulation.town)
    duties = regulation.duties.select_related("article", "item").order_by("position")
    return TemplateResponse(
        request,
        "regulations/review.html",
        {
            "regulation": regulation,
            "rows": [(d, DutyForm(initial=_initial(d), prefix=f"d{d.pk}")) for d in duties],
            "new_form": NewDutyForm(prefix="new"),
            "activate_form": ActivateForm(
                initial={"effective_from": regulation.stated_effective_from or regulation.issued_on}
            ),
        },
    )


def _initial(duty: Duty) -> dict[str, object]:
    return {"post": duty.post, "kind": duty.kind, "min_count": duty.min_count, "period": duty.period}


@login_required
@require_POST
def duty_correct(request: HttpRequest, pk: int, duty_pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    require_role(request, regulation.town)
    duty = regulation.duties.select_related("article", "item").filter(pk=duty_pk).first()
    if duty is None:
        raise Http404
    form = DutyForm(request.POST, prefix=f"d{duty.pk}")
    saved = False
    if form.is_valid():
        try:
            actions.correct_duty(duty=duty, actor=request.user, **form.cleaned_data)
            saved = True
        except ValidationError as exc:
            form.add_error(None, exc)
    if request.htmx:  # type: ignore[attr-defined]
        return TemplateResponse(
            request,
            "regulations/_duty_row.html",
            {"duty": duty, "form": form, "regulation": regulation, "saved": saved},
        )
    if saved:
        messages.success(request, _("已保存校正。"))
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("regulations:review", pk=regulation.pk)


@login_required
@require_POST
def duty_add(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    require_role(request, regulation.town)
    add_from_form(request, regulation, NewDutyForm(request.POST, prefix="new"))
    return redirect("regulations:review", pk=regulation.pk)


def add_from_form(request: HttpRequest, regulation: Regulation, form: NewDutyForm) -> None:
    """Add the duty the reviewer typed (its article and item by number) to a draft, with a message either way."""
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return
    data = form.cleaned_data
    article = regulation.articles.filter(number=data["article"]).first() if data["article"] else None
    item = article.items.filter(number=data["item"]).first() if article and data["item"] else None
    try:
        if data["article"] and article is None:
            raise ValidationError(_("本版制度没有第 %(n)d 条。") % {"n": data["article"]})
        if data["item"] and item is None:
            raise ValidationError(_("该条没有第 %(n)d 项。") % {"n": data["item"]})
        actions.add_duty(
            regulation=regulation,
            article=article,
            item=item,
            post=data["post"],
            kind=data["kind"],
            min_count=data["min_count"],
            period=data["period"],
            text=data["text"],
            actor=request.user,
        )
        messages.success(request, _("已添加履职要求。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))


@login_required
@require_POST
def duty_remove(request: HttpRequest, pk: int, duty_pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    require_role(request, regulation.town)
    duty = regulation.duties.filter(pk=duty_pk).first()
    if duty is None:
        raise Http404
    try:
        actions.remove_duty(duty=duty, actor=request.user)
        messages.success(request, _("已删除该履职要求。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("regulations:review", pk=regulation.pk)


@login_required
@require_POST
def regulation_activate(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    require_role(request, regulation.town)
    form = ActivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("regulations:review", pk=regulation.pk)
    try:
        actions.activate_regulation(
            regulation=regulation, actor=request.user, effective_from=form.cleaned_data["effective_from"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("regulations:review", pk=regulation.pk)
    messages.success(request, _("第 %(v)d 版已启用。") % {"v": regulation.version})
    return redirect("regulations:detail", pk=regulation.pk)


@login_required
@require_POST
def regulation_discard(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    require_role(request, regulation.town)
    try:
        actions.discard_draft(regulation=regulation, actor=request.user)
        messages.success(request, _("草稿已作废。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("regulations:list")


@login_required
def post_list(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = _regulation(request, pk)
    lists = [build_duty_list(regulation, p.kind) for p in regulation.posts.all()]
    return TemplateResponse(request, "regulations/posts.html", {"regulation": regulation, "lists": lists})


@login_required
def duty_list(request: HttpRequest, pk: int, post: str, fmt: str = "html") -> HttpResponse:
    regulation = _regulation(request, pk)
    if post not in PostKind.values:
        raise Http404
    data = build_duty_list(regulation, post)
    if fmt == "html":
        return TemplateResponse(
            request, "regulations/duty_list.html", {"regulation": regulation, "list": data}
        )
    if fmt == "docx":
        body = duty_list_docx(data)
        mime = DOCX
    else:
        body = duty_list_xlsx(data)
        mime = XLSX
    record("export.duty_list", actor=request.user, obj=regulation, changes={"post": post, "format": fmt})
    return export_file(
        body, mime, f"责任清单-{data.post_name}-第{regulation.version}版.{fmt}", f"duty-list.{fmt}"
    )


@login_required
def regulation_diff(request: HttpRequest) -> HttpResponse:
    versions = list(_versions(request).order_by("version"))
    context: dict[str, object] = {"versions": versions}
    old_pk, new_pk = request.GET.get("old"), request.GET.get("new")
    if old_pk and new_pk:
        old = get_for_user(Regulation.objects, request.user, pk=old_pk)
        new = get_for_user(Regulation.objects, request.user, pk=new_pk)
        context.update({"old": old, "new": new, "diff": diff_regulations(old, new)})
    elif len(versions) >= 2:
        context.update({"old": versions[-2], "new": versions[-1]})
    return TemplateResponse(request, "regulations/diff.html", context)
