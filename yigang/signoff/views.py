"""Sign-off pages: the year's documents, one document's tracking (.xlsx), a holder's waiting list, a task (read
and confirm), scans of the signed paper copy, the target template and its letters (.docx).

Reads are open to every reading role of the town (sign-off status is reference data like the register);
confirming is the holder's own act (anyone else is refused by the action, audited); distributing and editing the
target template are the 安委办 officer's (403, audited); a scan may be attached by the confirmer or the officer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yigang.audit.log import record as audit
from yigang.evidence import download
from yigang.exports.download import DOCX, XLSX, export_file
from yigang.inputs import year_param
from yigang.regulations.diff import diff_regulations
from yigang.towns.access import current_town, deny, get_for_user, require_role
from yigang.towns.models import AUDIT_ROLES, MANAGE_ROLES, Role, has_role
from yigang.towns.scope import Scope

from . import actions, letters, reminders
from .forms import (
    ConfirmForm,
    DistributeForm,
    IssueForm,
    PaperForm,
    PolicyForm,
    ScanForm,
    TargetItemForm,
)
from .indicators import describe
from .models import Confirmation, Document, Kind, Policy, Scan, TargetItem, TargetLetter, Task
from .tracking import documents_of, track, tracked_xlsx, unreached

DETAIL_ROLES = MANAGE_ROLES | AUDIT_ROLES | {Role.COUNTY_VIEWER}


def _is_officer(request: HttpRequest, town: Any) -> bool:
    return has_role(request.user, town, MANAGE_ROLES)


def _with_nudges(tracked: list[Any]) -> list[Any]:
    """Each document's last nudge (提醒未签收人员) and when the next is possible, for the tracking pages."""
    for t in tracked:
        last = actions.last_nudge(t.document)
        t.last_nudge = last
        t.next_nudge = actions.next_nudge_at(t.document) if last is not None else None
    return tracked


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    return TemplateResponse(
        request,
        "signoff/overview.html",
        {
            "year": year,
            "tracked": _with_nudges(track(documents_of(town, year))),
            "unreached": unreached(town, timezone.localdate()) if year == timezone.localdate().year else [],
            "targets": Document.objects.filter(town=town, kind=Kind.TARGET_LETTER, year=year).first(),
            "is_officer": _is_officer(request, town),
        },
    )


@login_required
def county(request: HttpRequest) -> HttpResponse:
    """Across the towns the user reads (a county viewer: every town of the county): the year's counts per town."""
    towns = list(Scope.for_user(request.user).towns.order_by("name"))
    if not towns:
        raise Http404
    year = year_param(request)
    rows = [(town, track(documents_of(town, year))) for town in towns]
    return TemplateResponse(request, "signoff/county.html", {"year": year, "rows": rows})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    tasks = (
        Task.objects.for_user(request.user)
        .filter(document__town=town, person__user_id=request.user.pk or 0)
        .select_related("document", "post__unit", "confirmation")
        .order_by("-created_at", "-id")
    )
    waiting = [t for t in tasks if t.ended_at is None and not hasattr(t, "confirmation")]
    done = [t for t in tasks if hasattr(t, "confirmation")]
    return TemplateResponse(request, "signoff/mine.html", {"waiting": waiting, "done": done})


def _document(request: HttpRequest, pk: int) -> Document:
    return get_for_user(Document.objects.select_related("regulation", "town"), request.user, pk=pk)


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    tracked = _with_nudges(track([doc]))[0]
    return TemplateResponse(
        request,
        "signoff/document.html",
        {"document": doc, "tracked": tracked, "is_officer": _is_officer(request, doc.town)},
    )


@login_required
def document_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    audit("export.signoff", actor=request.user, obj=doc, ip=request.META.get("REMOTE_ADDR"))
    return export_file(tracked_xlsx(track([doc])[0]), XLSX, f"{doc.title}-签收情况.xlsx", "signoff.xlsx")


def _task(request: HttpRequest, pk: int) -> Task:
    return get_for_user(
        Task.objects.select_related(
            "document__regulation__supersedes", "document__town", "post__unit", "person"
        ),
        request.user,
        pk=pk,
    )


def _task_page(
    request: HttpRequest,
    task: Task,
    form: ConfirmForm | None = None,
    status: int = 200,
    paper_form: PaperForm | None = None,
) -> HttpResponse:
    confirmation = Confirmation.objects.filter(task=task).select_related("user", "person").first()
    details = confirmation is not None and sees_details(request.user, confirmation)
    mine_ = task.person.user_id == request.user.pk
    regulation = task.document.regulation
    previous = regulation.supersedes if regulation is not None else None
    changes = (
        diff_regulations(previous, regulation) if previous is not None and regulation is not None else None
    )
    return TemplateResponse(
        request,
        "signoff/task.html",
        {
            "task": task,
            "confirmation": confirmation,
            "scans": list(confirmation.scans.all()) if confirmation is not None and details else [],
            "details": details,
            "may_confirm": mine_ and confirmation is None and task.ended_at is None,
            # A holder without an account (or who signs on paper): the 安委办 enters the signed copy.
            "may_paper": confirmation is None
            and task.ended_at is None
            and _is_officer(request, task.document.town),
            "paper_form": paper_form
            or PaperForm(initial={"sha256": task.text_sha256, "signed_on": timezone.localdate()}),
            "may_scan": confirmation is not None and (mine_ or _is_officer(request, task.document.town)),
            "form": form or ConfirmForm(initial={"sha256": task.text_sha256}),
            "scan_form": ScanForm(),
            "previous": previous,
            "changes": changes,
        },
        status=status,
    )


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _task(request, pk))


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = _task(request, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm(
                task=item,
                actor=request.user,
                secret=form.cleaned_data["secret"],
                sha256=form.cleaned_data["sha256"],
                ip=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "已确认。确认记录（时间、地点、文本校验值）已存档，不可更改。")
            return redirect("signoff:task", pk=item.pk)
    return _task_page(request, item, form)


@login_required
@require_POST
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    item = _task(request, pk)
    town = item.document.town
    if not _is_officer(request, town):
        deny(request, town)
    form = PaperForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.record_paper_signature(
                task=item,
                actor=request.user,
                secret=form.cleaned_data["secret"],
                sha256=form.cleaned_data["sha256"],
                signed_on=form.cleaned_data["signed_on"],
                upload=upload,
                name=upload.name,
                ip=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"已录入{item.person.name}的纸质签字，扫描件已存档；确认记录不可更改。")
            return redirect("signoff:task", pk=item.pk)
    if form.errors and request.FILES:
        form.add_error(None, "未保存：浏览器不会保留已选的文件，请改正后重新选择扫描件。")
    return _task_page(request, item, paper_form=form)


@login_required
@require_POST
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = get_for_user(
        Confirmation.objects.select_related("task__document__town", "task__person"), request.user, pk=pk
    )
    town = confirmation.task.document.town
    if confirmation.task.person.user_id != request.user.pk and not _is_officer(request, town):
        deny(request, town)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的扫描件。")
    else:
        upload = form.cleaned_data["file"]
        try:
            actions.attach_scan(
                confirmation=confirmation, upload=upload, name=upload.name, actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "扫描件已上传。")
    return redirect("signoff:task", pk=confirmation.task_id)


def sees_details(user: Any, confirmation: Confirmation) -> bool:
    """A confirmation's details (when, how, from which address, by whose entry) and the scans of signed paper
    are the person's own, the 安委办's, the audit administrator's and the county's; everyone else of the town
    sees only whether it was confirmed, and when (the status stays town-wide)."""
    town = confirmation.task.document.town
    return confirmation.person.user_id == getattr(user, "pk", None) or has_role(user, town, DETAIL_ROLES)


@login_required
def scan_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = download.get_evidence(
        Scan.objects.select_related("confirmation__task__document__town", "confirmation__person"),
        request.user,
        pk,
        town_path="confirmation__task__document__town",
    )
    if not sees_details(request.user, item.confirmation):
        raise Http404
    town = item.confirmation.task.document.town
    return download.serve(request, item, town=town, stem="scan", event="signoff.scan.corrupt")


@login_required
def distribute(request: HttpRequest) -> HttpResponse:
    """下发: what it would do (who gets a task, which tasks end, what then binds them), then the officer's
    password and a tick. The system's runs (`yigang remind`) distribute without one."""
    town = current_town(request)
    require_role(request, town)
    form = DistributeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.distribute(
                town=town,
                actor=request.user,
                secret=form.cleaned_data["secret"],
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            reminders.remind_town(town, timezone.localdate(), request.user)
            if result.changed:
                messages.success(
                    request,
                    f"已下发 {len(result.created)} 项签收任务，{result.ended} 项因人员或文本变化失效。",
                )
            else:
                messages.info(request, "各项文件已下发给现任人员，无需重复下发。")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("signoff:overview")
    plan = actions.preview(town=town)
    return TemplateResponse(
        request,
        "signoff/distribute.html",
        {"preview": plan, "people": plan.people, "form": form, "policy": Policy.for_town(town)},
    )


def _nudged_message(request: HttpRequest, result: actions.NudgeResult) -> None:
    at = timezone.localtime(result.nudged[0].at)
    text = f"已于 {at:%Y-%m-%d %H:%M} 提醒 {result.reminded} 名未签收人员（站内消息和邮件）。"
    unreachable = sorted({name for n in result.nudged for name in n.unreachable})
    if unreachable:
        text += f"没有可用账号、需线下通知：{'、'.join(unreachable)}。"
    messages.success(request, text)
    for doc, again in result.waiting:
        messages.info(
            request,
            f"《{doc.title}》24 小时内已提醒过，下次可于 {timezone.localtime(again):%Y-%m-%d %H:%M} 之后提醒。",
        )


@login_required
@require_POST
def nudge(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """提醒未签收人员, for one document or (no pk) every document with someone missing: the 安委办 only."""
    doc = _document(request, pk) if pk is not None else None
    town = doc.town if doc is not None else current_town(request)
    require_role(request, town)
    try:
        result = actions.nudge(town=town, actor=request.user, document=doc)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        _nudged_message(request, result)
    return redirect("signoff:document", pk=doc.pk) if doc is not None else redirect("signoff:overview")


@login_required
def settings(request: HttpRequest) -> HttpResponse:
    """The officer's reminder setting: days until the missing are reminded, and until their leader is told."""
    town = current_town(request)
    require_role(request, town)
    policy = Policy.for_town(town)
    initial = {
        "remind_after_days": policy.remind_after_days,
        "escalate_after_days": policy.escalate_after_days,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_policy(town=town, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "已保存签收提醒设置。")
            return redirect("signoff:settings")
    return TemplateResponse(request, "signoff/settings.html", {"form": form})


# --- 目标责任书 -----------------------------------------------------------------------------------------------


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    doc = Document.objects.filter(town=town, kind=Kind.TARGET_LETTER, year=year).first()
    items = list(doc.items.all()) if doc else []
    return TemplateResponse(
        request,
        "signoff/targets.html",
        {
            "year": year,
            "document": doc,
            "items": [(item, describe(item.indicator, item.target)) for item in items],
            "letters": list(doc.letters.select_related("unit").order_by("id")) if doc else [],
            "is_officer": _is_officer(request, town),
            "item_form": TargetItemForm(),
            "issue_form": IssueForm(),
        },
    )


@login_required
@require_POST
def target_create(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else 0
    try:
        actions.create_target_template(town=town, year=year, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(f"{_targets_url()}?year={year or timezone.localdate().year}")


def _targets_url() -> str:
    return reverse("signoff:targets")


def _template(request: HttpRequest, pk: int) -> Document:
    doc = get_for_user(
        Document.objects.filter(kind=Kind.TARGET_LETTER).select_related("town"), request.user, pk=pk
    )
    require_role(request, doc.town)
    return doc


@login_required
@require_POST
def target_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _template(request, pk)
    form = TargetItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写目标内容；考核指标须从列表中选择。")
    else:
        try:
            actions.add_target_item(document=doc, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    return redirect(f"{_targets_url()}?year={doc.year}")


@login_required
@require_POST
def target_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(TargetItem.objects.select_related("document__town"), request.user, pk=pk)
    require_role(request, item.document.town)
    try:
        actions.remove_target_item(item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(f"{_targets_url()}?year={item.document.year}")


@login_required
@require_POST
def target_issue(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _template(request, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        for message in [str(m) for errors in form.errors.values() for m in errors]:
            messages.error(request, message)
        return redirect(f"{_targets_url()}?year={doc.year}")
    try:
        result = actions.issue_target_letters(
            document=doc,
            actor=request.user,
            include_leaders=form.cleaned_data["include_leaders"],
            secret=form.cleaned_data["secret"],
            ip=request.META.get("REMOTE_ADDR"),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        reminders.remind_town(doc.town, timezone.localdate(), request.user)
        messages.success(request, f"已生成目标责任书并下发 {len(result.created)} 项签署任务。")
        for warning in result.warnings:
            messages.warning(request, warning)
    return redirect(f"{_targets_url()}?year={doc.year}")


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_for_user(TargetLetter.objects.select_related("document__town", "unit"), request.user, pk=pk)
    audit(
        "export.signoff_letter",
        actor=request.user,
        obj=letter,
        town=letter.document.town,
        ip=request.META.get("REMOTE_ADDR"),
    )
    return export_file(
        letters.letter_docx(letter), DOCX, f"{letter.document.title}（{letter.party_b}）.docx", "signoff.docx"
    )
