"""The edge: what every request passes before any view reads it.

- `InputGuardMiddleware` refuses (400, with a message naming the field and the character) a request whose
  query string, form fields, uploaded file names or JSON body hold characters no one types and no document can
  hold (yigang/inputs.py): NUL, \\x01, ESC, U+FFFE … Once stored they broke the .docx and .xlsx exports.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse

from .inputs import first_control_character

Handler = Callable[[HttpRequest], HttpResponse]


def refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """A refusal the caller can act on: JSON for the API, a page for everyone else."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    response = TemplateResponse(request, "refused.html", {"message": message}, status=status)
    return response.render()


class InputGuardMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            message = first_control_character(self._fields(request))
        except RequestDataTooBig:
            return refuse(request, "提交的内容过大。", status=413)
        except (MultiPartParserError, SuspiciousOperation) as exc:
            return refuse(request, f"无法读取提交的内容：{exc}")
        if message is not None:
            return refuse(request, message)
        return self.get_response(request)

    @staticmethod
    def _fields(request: HttpRequest) -> Iterator[tuple[str, Any]]:
        yield from request.GET.lists()
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            yield from request.POST.lists()
            for name, files in request.FILES.lists():
                yield name, [f.name or "" for f in files]
        elif content_type.endswith("json"):
            try:
                body = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return  # not JSON: the API answers that itself
            yield from body.items() if isinstance(body, dict) else [("JSON", body)]
