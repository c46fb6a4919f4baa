"""The sectors table (Art. 12) and the register's gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.regulations.models import Regulation, Status
from yigang.towns.access import current_town, get_for_user, require_role

from .. import actions
from ..chain import is_safety_office
from ..forms import DayForm, EndSupervisionForm, SectorForm, SectorWordsForm, SupervisionForm
from ..lint import headless_sectors, lint_town
from ..models import Sector, Supervision, Unit, UnitKind, in_force
from . import take


@login_required
def sector_table(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    today = timezone.localdate()
    current = Supervision.objects.at(today).filter(
        in_force(today, "valid_from", "valid_until", prefix="unit__")
    )
    sectors = (
        Sector.objects.for_user(request.user)
        .filter(town=town)
        .select_related("broader")
        .prefetch_related(Prefetch("supervisions", queryset=current.select_related("unit")))
    )
    active = Regulation.objects.for_user(request.user).filter(town=town, status=Status.ACTIVE).first()
    rows = []
    # No sector without a head (管行业必须管安全): an error on the row, with the fix offered.
    headless = {h.sector_id: h for h in headless_sectors(town, today)}
    for sector in sectors:
        # As in the chain: the 安委办's 综合监管 and a county body above the town are not 行业 supervisors.
        marked = [(s, _part(s.unit)) for s in sector.supervisions.all()]
        rows.append((sector, marked, sum(1 for _s, mark in marked if not mark), headless.get(sector.pk)))
    return TemplateResponse(
        request,
        "org/sectors.html",
        {
            "sectors": sectors,
            "rows": rows,
            "sector_form": SectorForm(),
            "supervision_form": SupervisionForm(town=town),
            "active": active,
            "pending": actions.pending_claims(active) if active else [],
        },
    )


def _part(unit: Unit) -> str:
    if unit.kind == UnitKind.COUNTY:
        return str(_("旗县级"))
    if is_safety_office(unit):
        return str(_("综合监管"))
    return ""


@login_required
@require_POST
def sector_add(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    take(request, SectorForm(request.POST), actions.add_sector, _("已添加行业领域。"), town=town)
    return redirect("org:sectors")


@login_required
@require_POST
def sector_words(request: HttpRequest, pk: int) -> HttpResponse:
    """The other names of a sector and the wider sector it is part of, for the lint's synonym check."""
    sector = get_for_user(Sector.objects.select_related("broader"), request.user, pk=pk)
    require_role(request, sector.town)
    form = SectorWordsForm(request.POST, town=sector.town, sector=sector)
    take(request, form, actions.set_sector_words, _("已保存同义词。"), sector=sector)
    return redirect("org:sectors")


@login_required
@require_POST
def supervision_add(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    take(request, SupervisionForm(request.POST, town=town), actions.add_supervision, _("已添加监管关系。"))
    return redirect("org:sectors")


@login_required
def supervision_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a supervision on a date, after a confirmation; a supervision is never deleted."""
    supervision = get_for_user(Supervision.objects.select_related("sector", "unit"), request.user, pk=pk)
    require_role(request, supervision.town)
    if supervision.end is not None:
        messages.error(request, _("该监管关系已于%(d)s终止。") % {"d": supervision.end})
        return redirect("org:sectors")
    form = EndSupervisionForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_supervision(supervision=supervision, end=form.cleaned_data["end"], actor=request.user)
        except ValidationError as exc:
            form.add_error("end", "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("已终止：%(s)s 自%(d)s后不再由该单位监管。") % {"s": supervision, "d": supervision.end},
            )
            return redirect("org:sectors")
    return TemplateResponse(request, "org/supervision_end.html", {"supervision": supervision, "form": form})


@login_required
@require_POST
def sectors_sync(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    active = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    if active is None:
        messages.error(request, _("本镇还没有现行有效的制度。"))
        return redirect("org:sectors")
    result = actions.sync_sectors_from_regulation(regulation=active, actor=request.user)
    messages.success(
        request,
        _("已按现行制度更新：新增单位 %(u)d 个、行业领域 %(s)d 个、监管关系 %(v)d 条。")
        % {"u": result.units, "s": result.sectors, "v": result.supervisions},
    )
    return redirect("org:sectors")


@login_required
def register_lint(request: HttpRequest) -> HttpResponse:
    """The register's check, as of today or of `?at=` (the effective date of a reorganisation)."""
    town = current_town(request)
    form = DayForm(request.GET or None)
    day = form.cleaned_data["at"] if form.is_valid() and form.cleaned_data["at"] else None
    return TemplateResponse(request, "org/lint.html", {"report": lint_town(town, day), "form": form})
