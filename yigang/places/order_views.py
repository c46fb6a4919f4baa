"""Pages of the 责令限期整改通知书: issue one to a place (from its page or a hazard there), download it as .docx,
record its receipt, withdraw it.

Readers are those who read the place; the 安委办 officer issues for any body that may issue to the place, a
body's staff for their own body, and the same record receipts and withdraw (403, audited, for the others)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.exports.download import DOCX, export_file
from yigang.hazards.models import Hazard
from yigang.towns.access import current_town, deny, get_for_user
from yigang.towns.posting import take

from . import actions
from .models import Place, RectificationOrder
from .order_access import bodies_for, may_handle
from .order_document import filename, order_docx
from .order_forms import OrderForm, ReceiptForm, WithdrawForm


def _back(order: RectificationOrder) -> HttpResponse:
    return redirect(reverse("places:detail", args=[order.place_id]) + "#orders")


def _wanted(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or request.POST.get(name) or ""
    return int(value) if value.isdigit() and len(value) < 12 else None


def _prefill(request: HttpRequest, place: Place) -> tuple[dict[str, Any], Any, Any]:
    """The form's first values; from a hazard at the place (`?hazard=`) or a withdrawn order (`?replaces=`)."""
    today = timezone.localdate()
    initial: dict[str, Any] = {"issued_on": today, "found_on": today, "found_at": place.address}
    hazard = replaced = None
    wanted = _wanted(request, "hazard")
    if wanted is not None and place.unit_id is not None:
        hazard = (
            Hazard.objects.for_user(request.user)
            .filter(town=place.town, enterprise_id=place.unit_id, pk=wanted)
            .first()
        )
    if hazard is not None:
        initial.update(
            hazard=hazard.pk,
            finding=hazard.description,
            deadline=hazard.deadline,
            found_on=hazard.found_on,
            found_at=hazard.address or place.address,
        )
    wanted = _wanted(request, "replaces")
    if wanted is not None:
        replaced = place.orders.filter(pk=wanted, withdrawn_at__isnull=False).first()
    if replaced is not None:
        initial.update(
            replaces=replaced.pk,
            unit=replaced.unit_id,
            word=replaced.word,
            finding=replaced.finding,
            items="\n".join(replaced.items),
            legal_basis=replaced.legal_basis,
            found_on=replaced.found_on,
            found_at=replaced.found_at,
        )
        hazard = hazard or replaced.hazard
        if hazard is not None:
            initial["hazard"] = hazard.pk
    return initial, hazard, replaced


@login_required
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    place = get_for_user(Place.objects.filter(town=town), request.user, pk=pk)
    bodies = bodies_for(request.user, place, timezone.localdate())
    if not bodies:
        deny(request, town, _("只有安委办或监管该场所的单位可以下达责令限期整改通知书。"))
    initial, hazard, replaced = _prefill(request, place)
    if len(bodies) == 1 and "unit" not in initial:
        initial["unit"] = bodies[0].pk
    form = OrderForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        data = actions.OrderData(
            unit=c["unit"],
            deadline=c["deadline"],
            finding=c["finding"],
            items=form.item_lines(),
            legal_basis=form.basis(),
            found_on=c["found_on"],
            found_at=c["found_at"],
            issued_on=c["issued_on"],
            word=c["word"],
            hazard=hazard,
            replaces=replaced,
        )
        try:
            order = actions.issue_order(place=place, data=data, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已下达 %(n)s。请打印送达，签收后登记签收。") % {"n": order.number})
            return _back(order)
    year = timezone.localdate().year
    upcoming = [(b, actions.next_number(b, year)[1]) for b in bodies]
    return TemplateResponse(
        request,
        "places/order_form.html",
        {
            "place": place,
            "form": form,
            "hazard": hazard,
            "replaced": replaced,
            "upcoming": upcoming,
        },
    )


def _order(request: HttpRequest, pk: int) -> RectificationOrder:
    town = current_town(request)
    queryset = RectificationOrder.objects.filter(town=town).select_related("town", "place", "unit")
    order: RectificationOrder = get_for_user(queryset, request.user, pk=pk)
    return order


@login_required
def order_download(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return export_file(order_docx(order), DOCX, filename(order), "order.docx")


@login_required
@require_POST
def order_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not may_handle(request.user, order):
        deny(request, order.town, _("只有安委办或下达单位可以登记签收。"))
    take(request, ReceiptForm(request.POST), actions.record_receipt, _("已登记签收。"), order=order)
    return _back(order)


@login_required
@require_POST
def order_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not may_handle(request.user, order):
        deny(request, order.town, _("只有安委办或下达单位可以撤销通知书。"))
    withdrawal = WithdrawForm(request.POST)
    take(
        request, withdrawal, actions.withdraw_order, _("已撤销，记录保留。如需要，请重新下达。"), order=order
    )
    return _back(order)
