"""The bell (in-app notifications), the town's group robots and the delivery log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.towns.access import current_town, get_for_user, require_role

from . import actions
from .forms import RobotForm
from .models import Delivery, Notification, NotificationKind, NotificationQuerySet, Robot

# Unread notifications shown under each kind's heading; the rest of a kind is a tap away (?kind=…).
UNREAD_SHOWN = 20


@dataclass
class Group:
    kind: str
    label: str
    count: int
    notes: list[Notification]


def _unread_groups(mine: NotificationQuerySet, only: str) -> list[Group]:
    """The unread notifications by kind, in the kinds' own order, each newest first (one query per kind)."""
    counts = dict(mine.unread().order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    labels = dict(NotificationKind.choices)
    groups = []
    for kind in NotificationKind.values:
        if counts.get(kind) and (not only or kind == only):
            shown = mine.unread().filter(kind=kind).select_related("town")
            groups.append(Group(kind, str(labels[kind]), counts[kind], list(shown[:UNREAD_SHOWN])))
    return groups


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own bell: the unread by kind (a heading and a count each, newest first, 全部标为已读 for all or
    one kind), then the read ones, paged. `?kind=` narrows both to one kind."""
    mine = Notification.objects.for_user(request.user)
    only = request.GET.get("kind", "")
    if only not in NotificationKind.values:
        only = ""
    groups = _unread_groups(mine, only)
    read = mine.filter(read_at__isnull=False).select_related("town")
    if only:
        read = read.filter(kind=only)
    page = Paginator(read, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "notify/list.html",
        {
            "groups": groups,
            "unread": sum(g.count for g in groups),
            "page": page,
            "only": only,
            "only_label": dict(NotificationKind.choices).get(only, ""),
            "shown": UNREAD_SHOWN,
        },
    )


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the header, loaded by htmx so other pages pay no query for it."""
    count = Notification.objects.for_user(request.user).unread().count()
    return TemplateResponse(request, "notify/_badge.html", {"count": count})


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_for_user(Notification.objects, request.user, pk=pk)
    actions.mark_read(notification=note, actor=request.user)
    target = note.url or "duties:notify:list"
    if note.url and not url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        target = "duties:notify:list"
    return redirect(target)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark the user's own unread notifications read: all of them, or those of the kind the form names."""
    kind = request.POST.get("kind") or None
    try:
        count = actions.mark_all_read(user=request.user, actor=request.user, kind=kind)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("duties:notify:list")


@login_required
def robots(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = RobotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_robot(town=town, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已添加群机器人。"))
            return redirect("duties:notify:robots")
    return TemplateResponse(
        request,
        "notify/robots.html",
        {"form": form, "robots": Robot.objects.for_user(request.user).filter(town=town)},
    )


def _robot(request: HttpRequest, pk: int) -> Robot:
    robot = get_for_user(Robot.objects.select_related("town"), request.user, pk=pk)
    require_role(request, robot.town)
    return robot


@login_required
@require_POST
def robot_active(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot(request, pk)
    actions.set_robot_active(robot=robot, active=not robot.active, actor=request.user)
    return redirect("duties:notify:robots")


@login_required
@require_POST
def robot_test(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot(request, pk)
    outcome = actions.send_test_message(robot=robot, actor=request.user)
    if outcome.sent:
        messages.success(request, _("测试消息已送达。"))
    else:
        messages.error(request, _("测试消息发送失败：%(e)s") % {"e": "；".join(outcome.errors)})
    return redirect("duties:notify:robots")


@login_required
@require_POST
def robot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot(request, pk)
    actions.remove_robot(robot=robot, actor=request.user)
    messages.success(request, _("已删除群机器人。"))
    return redirect("duties:notify:robots")


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    """The delivery log of the town: every message, its channel, recipient, status and tries."""
    town = current_town(request)
    require_role(request, town)
    log = Delivery.objects.for_user(request.user).filter(town=town).prefetch_related("log")
    status = request.GET.get("status", "")
    if status in {"sent", "failed", "pending"}:
        log = log.filter(status=status)
    page = Paginator(log, 100).get_page(request.GET.get("page"))
    return TemplateResponse(request, "notify/deliveries.html", {"page": page, "status": status})
