"""The JSON API (django-ninja): one router per app, the session login, OpenAPI at /api/docs.

The schema and its documentation page need a login too: they map every operation of the application.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import django_auth

from .accidents import router as accidents_router
from .assessment import router as assessment_router
from .contract import declare_errors, messages
from .duties import router as duties_router

# The hazards router's 催办 and 延期整改 operations live in their own module (imported for what it registers).
from . import hazard_followups  # noqa: F401  # isort: skip
from .hazards import router as hazards_router
from .notify import router as notify_router
from .org import router as org_router
from .places import router as places_router

# The places router's 责令限期整改通知书 operations live in their own module (imported for what it registers).
from . import place_orders  # noqa: F401  # isort: skip
from .regulations import router as regulations_router
from .signoff import router as signoff_router
from .workcalendar import router as calendar_router


class YigangAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The document with the error statuses every operation can answer (contract.py)."""
        return declare_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = YigangAPI(
    title="Yigang API",
    version="1",
    description="一岗双责 safety-responsibility register. Every call is scoped to what the user may see.",
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)


# Odd input is the caller's error, with a message, also under DEBUG (where django-ninja would answer 500 with a
# traceback for any exception it has no handler for): a body the parser refuses, a number the database cannot hold.
@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
def _unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    status = 413 if isinstance(exc, RequestDataTooBig) else 400
    return api.create_response(request, {"detail": f"无法读取提交的内容：{exc}"}, status=status)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    from yigang.middleware import odd_input_message  # the pages' words for the same

    return api.create_response(request, {"detail": odd_input_message(exc)}, status=400)


# Parameters the operation's schema refuses: 400 with a Chinese detail naming the field (django-ninja: 422, English).
@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    found = messages(exc)
    return api.create_response(request, {"detail": "；".join(found), "errors": found}, status=400)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "未找到，或不在您可查看的范围内"}, status=404)


# django-ninja's own refusals (no login, too many calls) carry English words; the API speaks Chinese as the pages do.
HTTP_ERROR_WORDS = {
    AuthenticationError: "未登录或登录已失效：请先通过 /login/ 登录。",
    Throttled: "请求过于频繁，请稍后再试。",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    words = next((w for kind, w in HTTP_ERROR_WORDS.items() if isinstance(exc, kind)), str(exc))
    return api.create_response(request, {"detail": words}, status=exc.status_code)


api.add_router("/regulations", regulations_router)
api.add_router("/register", org_router)
api.add_router("/duties", duties_router)
api.add_router("/notify", notify_router)
api.add_router("/hazards", hazards_router)
api.add_router("/signoff", signoff_router)
api.add_router("/accidents", accidents_router)
api.add_router("/assessment", assessment_router)
api.add_router("/calendar", calendar_router)
api.add_router("/places", places_router)
