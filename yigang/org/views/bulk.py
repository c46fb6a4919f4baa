"""Bulk people, posts and tenures: the template, import (all rows or none) and export."""

from __future__ import annotations

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


@login_required
def bulk_page(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_xlsx(town, upload.read(), actor=request.user, filename=upload.name)
        except ImportRefused as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(
                    request,
                    _(
                        "导入成功：共 %(r)d 行，新增人员 %(p)d 名、岗位 %(o)d 个、任职 %(t)d 条，登记离任 %(e)d 条，未变 %(u)d 条。"
                    )
                    % {
                        "r": result.rows,
                        "p": result.people,
                        "o": result.posts,
                        "t": result.tenures,
                        "e": result.ended,
                        "u": result.unchanged,
                    },
                )
                return redirect("org:people")
    return TemplateResponse(request, "org/bulk.html", {"form": form, "result": result})


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
