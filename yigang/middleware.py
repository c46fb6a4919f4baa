"""The edge: what every request passes before any view reads it.

- `RequestLimitMiddleware` refuses (413) a request whose declared body is larger than the caller may send —
  `MAX_REQUEST_BYTES` for a logged-in user, `ANONYMOUS_MAX_REQUEST_BYTES` (a login form's worth) for anyone
  else — before a byte of it is read, so a 1 GB upload is never written to disk. `UploadLimitHandler`, first
  of the upload handlers, counts while the body streams in and stops a file larger than
  `MAX_UPLOAD_FILE_BYTES` (or a body larger than declared) at that point.
- `InputGuardMiddleware` answers what the view cannot: a body the parser refuses (multipart without a boundary,
  too many fields: 400), and a number the database cannot hold (a 20-digit id that slipped past a form's
  checks: 400), and it refuses (400, with a message naming the field and the character) a request whose
  query string, form fields, uploaded file names or JSON body hold characters no one types and no document can
  hold (yigang/inputs.py): NUL, \\x01, ESC, U+FFFE … Once stored they broke the .docx and .xlsx exports.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse

from .inputs import first_control_character

Handler = Callable[[HttpRequest], HttpResponse]


def refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """A refusal the caller can act on: JSON for the API, a page for everyone else."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    response = TemplateResponse(request, "refused.html", {"message": message}, status=status)
    return response.render()


def odd_input_message(exception: BaseException) -> str | None:
    """What to tell the caller when a request failed on input no check caught, or None for a real failure."""
    if isinstance(exception, OverflowError):  # SQLite: an integer beyond 64 bits
        return "提交的编号超出范围：没有这样的记录。"
    if isinstance(exception, DataError):  # PostgreSQL: out of range, too long for its column
        return "提交的数据超出范围或不符合格式。"
    return None


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def request_limit(request: HttpRequest) -> int:
    """The largest body this caller may send."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return int(settings.MAX_REQUEST_BYTES)
    return int(settings.ANONYMOUS_MAX_REQUEST_BYTES)


def max_file_bytes() -> int:
    """MAX_UPLOAD_FILE_BYTES, or more where a deployment raised a form's own limit."""
    slack = 1024 * 1024
    return max(
        int(settings.MAX_UPLOAD_FILE_BYTES),
        int(getattr(settings, "DUTY_ATTACHMENT_MAX_BYTES", 0)) + slack,
        int(getattr(settings, "REGULATION_MAX_UPLOAD_BYTES", 0)) + slack,
    )


class RequestTooLarge(RequestDataTooBig):
    """More than the caller may send; the message says how much is allowed."""


class RequestLimitMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            declared = int(raw)
        except ValueError:
            return refuse(request, "请求头 Content-Length 无效。")
        if declared < 0:
            return refuse(request, "请求头 Content-Length 无效。")
        limit = request_limit(request)
        if declared > limit:
            return refuse(
                request,
                f"提交的内容过大（{_mib(declared)}），一次最多 {_mib(limit)}。"
                + ("附件请分几次提交。" if limit > settings.ANONYMOUS_MAX_REQUEST_BYTES else "请先登录。"),
                status=413,
            )
        return self.get_response(request)


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes of a multipart body as they stream in and stops at the
    limits, before the next handlers keep more of it in memory or in a temporary file."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.limit = request_limit(self.request) if self.request is not None else settings.MAX_REQUEST_BYTES
        if content_length > self.limit:
            raise RequestTooLarge(f"提交的内容过大，一次最多 {_mib(self.limit)}。")
        self.total = 0
        self.file_bytes = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.total += len(raw_data)
        self.file_bytes += len(raw_data)
        if self.file_bytes > max_file_bytes():
            raise RequestTooLarge(f"文件“{self.file_name}”过大：单个文件最多 {_mib(max_file_bytes())}。")
        if self.total > self.limit:
            raise RequestTooLarge(f"提交的内容过大，一次最多 {_mib(self.limit)}。")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class InputGuardMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            message = first_control_character(self._fields(request))
        except RequestDataTooBig as exc:
            return refuse(request, str(exc) or "提交的内容过大。", status=413)
        except (MultiPartParserError, SuspiciousOperation) as exc:
            return refuse(request, f"无法读取提交的内容：{exc}")
        if message is not None:
            return refuse(request, message)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The last line against odd input: a value the database cannot hold is the caller's error."""
        message = odd_input_message(exception)
        return refuse(request, message) if message else None

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


# ---------------------------------------------------------------- health and an unreachable database

DATABASE_DOWN_MESSAGE = "系统暂时无法访问：数据库暂时无法连接，请稍后再试。您刚才提交的内容没有保存。"


def database_down(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached (stopped, restarting, the network between)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


class HealthCheckMiddleware:
    """`/healthz` for nginx or a load balancer: 200 "ok" when the database answers a query, 503 "unavailable"
    otherwise — nothing else (no version, no error text). First of the middleware: no session, no login, no
    host check (a balancer may probe by address) and no HTTPS redirect (it probes the port directly)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != "/healthz":
            return self.get_response(request)
        from django.db import connection

        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            status, body = 200, "ok"
        except Exception:  # any failure means "not healthy"; nothing of it is answered
            with contextlib.suppress(Exception):  # a connection that cannot even close is closed enough
                connection.close()  # the next request (or probe) opens a new connection
            status, body = 503, "unavailable"
        response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that cannot be reached is a 503 with a Chinese page ("系统暂时无法访问") or, for
    the API, a JSON `detail`; every other error is Django's 500 page (templates/500.html)."""
    import sys

    from django.template import loader
    from django.views import defaults

    if not database_down(sys.exc_info()[1]):
        return defaults.server_error(request)
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": DATABASE_DOWN_MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


def _local_back(request: HttpRequest) -> str:
    """The page the user came from, for 返回上一页: only a page of this site (never another host's address, which
    a crafted Referer could name) and never the refused page itself."""
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    if referer.split("#", 1)[0].endswith(request.get_full_path()):
        return ""
    return referer


def _denied(request: HttpRequest, template: str, status: int, api_detail: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": api_detail}, status=status, json_dumps_params={"ensure_ascii": False})
    context = {"back": _local_back(request), "writing": request.method not in ("GET", "HEAD")}
    # An htmx request swaps the answer into part of the page (yigang.js lets a 403/404 swap): the note alone.
    if request.headers.get("HX-Request") == "true":
        template = "_denied.html"
        context["status"] = status
    return TemplateResponse(request, template, context, status=status).render()


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler404: "无权查看或不存在" with 返回上一页 and 返回首页. An object out of the user's scope answers exactly
    like one that does not exist (404), so guessing ids tells nobody what exists (docs/security.md)."""
    return _denied(request, "404.html", 404, "未找到，或不在您可查看的范围内")


def forbidden(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler403: a page the user's role may not open at all (无权查看) or a write it may not make (无权操作),
    with the way back; the refusal was audited where it was decided (`towns.access.deny`)."""
    return _denied(request, "403.html", 403, "您的角色无权进行此操作")


class RefusalLogFilter:
    """For the `django.request` logger: a refusal (403, 404) is one line ("Forbidden: /path"), not a
    traceback — PermissionDenied and Http404 are how views say no, not errors; a database that cannot be
    reached (503) is one line naming the error. Other errors keep their traceback."""

    def filter(self, record: Any) -> bool:
        status = getattr(record, "status_code", None)
        if status in (403, 404) or (status == 503 and record.exc_info and database_down(record.exc_info[1])):
            if status == 503 and record.exc_info:
                record.msg = f"{record.msg} (%s)"
                record.args = (*(record.args or ()), str(record.exc_info[1]).strip().splitlines()[0][:200])
            record.exc_info = None
            record.exc_text = None
        return True
