"""Serving a stored file (`yigang.evidence.models.StoredFile`) to whoever the calling view let through.

The calling view keeps its own question of who may read the file (its scope, its roles) and its own audit
event; `serve` does the rest the same way for every kind of evidence: the bytes are checked against the
SHA-256 taken at upload (a mismatch is audited and answered 409), an image is served as its clean
re-encoded copy (`yigang.images.display_copy`), the original only with `?original=1` and only to the town's
安委办 and audit administrator, and the answer carries headers that let a browser show it but never run it.

Who may have an original and what the audit administrator may read are tenancy questions, so this module asks
`yigang.towns` (the ground floor) — never a domain app: the town and the object to audit are passed in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from yigang import images
from yigang.audit.log import record as audit
from yigang.towns.access import deny, get_for_user
from yigang.towns.models import AUDIT_ROLES, MANAGE_ROLES, has_role, towns_for

from .uploads import read_verified


def may_have_original(user: Any, town: Any) -> bool:
    """The 安委办 and the audit administrator of the town download an image as it was uploaded."""
    return has_role(user, town, MANAGE_ROLES | AUDIT_ROLES)


def get_evidence(queryset: Any, user: Any, pk: int, *, town_path: str = "town") -> Any:
    """The stored file the user's scope holds, or — for the audit administrator of its town, who reads no
    other business data — the file itself (they check evidence against its SHA-256); else a 404."""
    if pk >= 2**62:
        raise Http404
    audited = queryset.filter(pk=pk, **{f"{town_path}__in": towns_for(user, AUDIT_ROLES)}).first()
    return audited if audited is not None else get_for_user(queryset, user, pk=pk)


def serve(
    request: HttpRequest,
    stored: Any,
    *,
    town: Any,
    stem: str,
    event: str,
    audit_obj: models.Model | None = None,
) -> HttpResponse:
    """Serve `stored` (a StoredFile row), checked against its SHA-256 first.

    `stem` is the plain ASCII file name offered beside the real (UTF-8) one. A mismatch is audited as `event`
    (about `audit_obj`, by default the row itself) and answered 409; `?original=1` from anyone but the
    安委办 and the audit administrator is an audited 403."""
    original = request.GET.get("original") == "1"
    if original and not may_have_original(request.user, town):
        deny(request, town, "original")
    content_type, name = stored.content_type, stored.name
    try:
        body = read_verified(stored.file.name, stored.sha256)
    except FileNotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        obj = stored if audit_obj is None else audit_obj
        audit(event, actor=request.user, obj=obj, town=town, success=False)
        return _plain(exc.messages[0])
    extension = name.rsplit(".", 1)[-1]
    if images.is_image(content_type) and not original:
        try:
            copy = images.display_copy(body, content_type, stored.sha256)
        except ValueError:
            return _plain("该图片无法生成预览（格式无法解码）。如需查看，请联系安委办下载原件。")
        body, content_type, extension = copy.data, copy.content_type, copy.extension
        name = f"{name.rsplit('.', 1)[0]}.{extension}"
    response = HttpResponse(body, content_type=content_type)
    shown = images.is_image(content_type) or content_type == "application/pdf"
    disposition = "inline" if shown and not original else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{stem}.{extension}\"; filename*=UTF-8''{quote(name)}"
    )
    # Evidence is shown, never run: no scripts, no plugins, even inside a PDF viewer.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; plugin-types application/pdf; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _plain(message: str) -> HttpResponse:
    """A 409 in words: the file is there but cannot be served as it is."""
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
