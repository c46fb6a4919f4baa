"""Duty pages: who is behind now, the heatmap, records (enter, read, amend — never edit or delete), a person's
year and duty file, the .xlsx import, attachments served through a scope check, the reminder setting."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yigang.audit.log import record as audit
from yigang.evidence import download
from yigang.exports.download import DOCX, XLSX, export_file
from yigang.inputs import parse_id, year_param
from yigang.org.models import Person, Post, Tenure
from yigang.towns.access import current_town, deny, get_for_user, require_role
from yigang.towns.models import Town

from . import actions, cache, importer
from .access import (
    WRITE_ROLES,
    creditable_posts,
    is_officer,
    may_amend,
    may_record,
    reading_part,
)
from .compliance import Status
from .duty_file import build_duty_file, duty_file_docx, duty_file_xlsx
from .forms import AmendForm, ImportForm, PolicyForm, RecordForm
from .heatmap import heatmap_data, heatmap_table
from .models import Attachment, Credit, DutyRecord, RecordRules, ReminderPolicy, Source
from .record_form import (
    counted_toward,
    form_data,
    form_uploads,
    holders_today,
    prefill,
    refuse_foreign_posts,
    submitted,
)
from .rules import RecordKind


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    # The whole town is computed (a fixed number of queries; kept until the next write, cache.py), then narrowed
    # to the reader's part. The two tables are kept rendered under the same mark: the template's {% cache %}
    # varies on `fragment` (the mark, day, year, reader's part, language is added there) and calls the lazy
    # lists below only when it renders them.
    mark = cache.data_mark()
    part = reading_part(request.user, town)
    result = part.town_year(cache.town_year(town, year, mark=mark))
    may_record = _may_record(request, town)

    def behind() -> list[Any]:
        return sorted(
            result.behind_now(), key=lambda r: (Status.SEVERITY.index(r.status), r.post, r.period_start)
        )

    def posts_behind() -> list[Any]:
        return sorted(result.posts_behind_now(), key=lambda r: (r.post, r.period_start))

    return TemplateResponse(
        request,
        "duties/overview.html",
        {
            "year": year,
            "result": result,
            "behind": behind,
            "posts_behind": posts_behind,
            "summary": [(Status.LABELS[s], s, n) for s, n in result.summary().items()],
            "current": len(result.current()),
            "may_record": may_record,
            "kept_seconds": cache.seconds(),
            "fragment": f"{town.pk}:{year}:{result.today}:{mark}:{part.key}:{int(may_record)}",
        },
    )


def _may_record(request: HttpRequest, town: Town) -> bool:
    return may_record(request.user, town)


@login_required
@require_GET
def heatmap(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    data = heatmap_data(reading_part(request.user, town).town_year(cache.town_year(town, year)))
    return TemplateResponse(
        request, "duties/heatmap.html", {"year": year, "data": data, "table": heatmap_table(data)}
    )


@login_required
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    records = (
        DutyRecord.objects.current()
        .for_user(request.user)
        .filter(town=town, occurred_on__year=year)
        .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("post", "person")))
    )
    kind = request.GET.get("kind", "")
    if kind in RecordKind.values:
        records = records.filter(kind=kind)
    post = request.GET.get("post", "")
    post_id = parse_id(post)
    if post_id:
        records = records.filter(credits__post_id=post_id)
    page = Paginator(records.order_by("-occurred_at", "-pk"), 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "duties/records.html",
        {
            "year": year,
            "page": page,
            "kinds": RecordKind.choices,
            "kind": kind,
            "post": post,
            "posts": Post.objects.for_user(request.user).filter(town=town).exclude(kind="").order_by("title"),
            "may_record": _may_record(request, town),
        },
    )


@login_required
def record_new(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, WRITE_ROLES)
    posts = creditable_posts(request.user, town)
    holders = holders_today(town)
    now = timezone.localtime()
    initial = {
        "date": now.date(),
        "time": now.time().replace(second=0, microsecond=0),
        **prefill(request, posts),
    }
    form = RecordForm(
        request.POST or None, request.FILES or None, posts=posts, holders=holders, initial=initial
    )
    if request.method == "POST":
        refuse_foreign_posts(request, town, posts)
    if request.method == "POST" and form.is_valid():
        entry = submitted(
            request,
            town,
            form,
            actions.create_record,
            town=town,
            data=form_data(form),
            files=form_uploads(form),
            source=Source.FORM,
            client_key=form.cleaned_data.get("client_key") or None,
        )
        if entry is not None:
            messages.success(request, _("履职记录已提交。提交后不能修改或删除，如有错误请提交更正。"))
            messages.info(request, counted_toward(town, entry))
            return redirect("duties:record", pk=entry.pk)
    # A browser never sends a file back: after an error, say plainly that the chosen files must be chosen again.
    attach_again = request.method == "POST" and bool(request.FILES.getlist("attachments"))
    return TemplateResponse(
        request,
        "duties/record_form.html",
        {
            "form": form,
            "amending": None,
            "late_after_days": RecordRules.for_town(town).late_after_days,
            "attach_again": attach_again,
        },
    )


def _chain(record: DutyRecord, user: Any) -> list[DutyRecord]:
    root_id = record.chain_root_id
    # Scoping is by chain (DutyRecordQuerySet): whoever reads one version reads them all, so the latest
    # version found here is the true latest, which the amendment rule needs.
    return list(
        DutyRecord.objects.for_user(user)
        .filter(Q(pk=root_id) | Q(root_id=root_id))
        .select_related("created_by", "amended_by")
        .prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("post", "person")), "attachments"
        )
        .order_by("version")
    )


@login_required
@require_GET
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_for_user(DutyRecord.objects.select_related("town"), request.user, pk=pk)
    versions = _chain(record, request.user)
    latest = versions[-1]
    return TemplateResponse(
        request,
        "duties/record_detail.html",
        {
            "record": record,
            "versions": list(reversed(versions)),
            "latest": latest,
            "may_amend": not latest.withdrawn and may_amend(request.user, latest),
        },
    )


@login_required
def record_amend(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_for_user(DutyRecord.objects.select_related("town"), request.user, pk=pk)
    town = record.town
    require_role(request, town, WRITE_ROLES)
    latest = _chain(record, request.user)[-1]
    if not may_amend(request.user, latest):
        deny(request, town)  # they may read the record, but it credits a post that is not theirs
    if latest.pk != record.pk:
        messages.info(request, _("该记录已有更正版本，以下为最新版本。"))
        return redirect("duties:record_amend", pk=latest.pk)
    current = actions.record_data(record)
    local = timezone.localtime(record.occurred_at)
    offered = creditable_posts(request.user, town) | Post.objects.filter(pk__in=[p.pk for p in current.posts])
    if request.method == "POST":
        refuse_foreign_posts(request, town, offered)
    form = AmendForm(
        request.POST or None,
        request.FILES or None,
        posts=offered,
        holders=holders_today(town),
        initial={
            "kind": record.kind,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "title": record.title,
            "place": record.place,
            "posts": [p.pk for p in current.posts],
            "led": [p.pk for p in current.led or []],
            "participants": record.participants,
            "findings": record.findings,
            "summary": record.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        entry = submitted(
            request,
            town,
            form,
            actions.amend_record,
            record=record,
            data=form_data(form),
            reason=form.cleaned_data["reason"],
            withdraw=form.cleaned_data["withdraw"],
            files=form_uploads(form),
        )
        if entry is not None:
            messages.success(request, _("已提交更正，原记录保留可查。"))
            return redirect("duties:record", pk=entry.pk)
    return TemplateResponse(
        request,
        "duties/record_form.html",
        {"form": form, "amending": record, "late_after_days": RecordRules.for_town(town).late_after_days},
    )


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_attachment(request, pk)


def serve_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment the user's scope holds (else 404), checked against its SHA-256 before it is sent; an image
    as its clean copy, or with `?original=1` as uploaded (the 安委办 and the audit administrator)."""
    item = download.get_evidence(Attachment.objects.select_related("town"), request.user, pk)
    return download.serve(request, item, town=item.town, stem="attachment", event="duties.attachment.corrupt")


@login_required
@require_GET
def person_year(request: HttpRequest, pk: int, year: int, fmt: str = "html") -> HttpResponse:
    person = get_for_user(Person.objects.select_related("town"), request.user, pk=pk)
    if not 2000 <= year <= 2100:
        raise Http404
    # The register is town-wide, but a person's duty year is performance data: out of the reader's part → 404.
    part = reading_part(request.user, person.town)
    if not part.covers_person(person, year):
        raise Http404
    file = build_duty_file(person, year, part=part)
    if fmt == "html":
        return TemplateResponse(
            request,
            "duties/person_year.html",
            {
                "person": person,
                "year": year,
                "file": file,
                "summary": [(Status.LABELS[s], s, n) for s, n in file.summary().items() if n],
            },
        )
    audit("export.duty_file", actor=request.user, obj=person, changes={"year": year, "format": fmt})
    name = f"履职档案-{person.name}-{year}.{fmt}"
    if fmt == "docx":
        return export_file(duty_file_docx(file), DOCX, name, f"duty-file-{year}.docx")
    return export_file(duty_file_xlsx(file), XLSX, name, f"duty-file-{year}.xlsx")


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Everyone who held a post of the town during the year, with a link to their year."""
    town = current_town(request)
    year = year_param(request)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    tenures = (
        Tenure.objects.for_user(request.user)
        .filter(town=town, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("person", "post__unit")
        .order_by("person__name", "start")
    )
    part = reading_part(request.user, town)
    by_person: dict[Person, list[Tenure]] = {}
    for t in tenures:
        if part.holds(t):  # the reader's part: their unit's or village's posts, and their own
            by_person.setdefault(t.person, []).append(t)
    mine = set(Person.objects.filter(town=town, user_id=request.user.pk or 0).values_list("pk", flat=True))
    return TemplateResponse(
        request, "duties/people.html", {"year": year, "people": list(by_person.items()), "mine": mine}
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, WRITE_ROLES)
    return export_file(
        importer.template_xlsx(town), XLSX, "履职记录导入模板.xlsx", "duty-records-template.xlsx"
    )


@login_required
def import_records(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, WRITE_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[importer.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importer.import_records(
                town=town, data=upload.read(importer.MAX_BYTES + 1), filename=upload.name, actor=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)d 条履职记录。") % {"n": result.created})
                return redirect("duties:records")
            errors = result.errors
            audit(
                "duties.record.import",
                actor=request.user,
                town=town,
                success=False,
                changes={"filename": upload.name[:200], "errors": len(errors)},
            )
            if result.refused:  # rows crediting posts the user may never credit: a refusal, audited
                try:
                    deny(request, town, "；".join(result.refused[:5]))
                except PermissionDenied:
                    return TemplateResponse(
                        request, "duties/import.html", {"form": form, "errors": errors}, status=403
                    )
    return TemplateResponse(request, "duties/import.html", {"form": form, "errors": errors})


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    policy = ReminderPolicy.objects.filter(town=town).first() or ReminderPolicy(town=town)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        days = {name.removesuffix("_days"): value for name, value in form.cleaned_data.items()}
        try:
            actions.set_reminder_policy(town=town, days=days, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存提醒设置。"))
            return redirect("duties:settings")
    return TemplateResponse(
        request, "duties/settings.html", {"form": form, "is_officer": is_officer(request.user, town)}
    )
