"""Bulk people, posts and tenures: the template, import (all rows or none) and export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from yigang.exports.download import XLSX, export_file
from yigang.towns.access import current_town, require_role

from ..bulk import ImportRefused, export_xlsx, import_xlsx, template_xlsx
from ..forms import ImportForm


def import_page(
    request: HttpRequest,
    *,
    template_name: str,
    read: Callable[..., Any],
    summary: Callable[[Any], str],
    done: str,
) -> HttpResponse:
    """A register's import page (people here, the places register too): the officer's upload, all rows or none,
    the rows' errors by row and column on the page, the summary as a message once saved."""
    town = current_town(request)
    require_role(request, town)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = read(town, upload.read(), actor=request.user, filename=upload.name)
        except ImportRefused as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(request, summary(result))
                return redirect(done)
    return TemplateResponse(request, template_name, {"form": form, "result": result})


def _summary(result: Any) -> str:
    return _(
        "导入成功：共 %(r)d 行，新增人员 %(p)d 名、岗位 %(o)d 个、任职 %(t)d 条，登记离任 %(e)d 条，未变 %(u)d 条。"
    ) % {
        "r": result.rows,
        "p": result.people,
        "o": result.posts,
        "t": result.tenures,
        "e": result.ended,
        "u": result.unchanged,
    }


@login_required
def bulk_page(request: HttpRequest) -> HttpResponse:
    return import_page(
        request, template_name="org/bulk.html", read=import_xlsx, summary=_summary, done="org:people"
    )


@login_required
def bulk_template(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    return export_file(template_xlsx(town), XLSX, f"{town.name}-人员任职导入模板.xlsx", "people.xlsx")


@login_required
def bulk_export(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    body = export_xlsx(town, actor=request.user)
    return export_file(body, XLSX, f"{town.name}-人员任职-{timezone.localdate():%Y%m%d}.xlsx", "people.xlsx")
