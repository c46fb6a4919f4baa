"""Request middleware: the account policy (second factor, forced password change) and `request.town`."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import policy
from .models import ENTERPRISE_ROLES, READ_ROLES, Town, memberships_kept, user_towns

SESSION_KEY = "yigang_town"
REFRESHED_KEY = "yigang_refreshed"  # when the session's expiry was last pushed out (epoch seconds)

# Pages an account that owes something may still reach: the one page that settles what it owes first, logging
# out, the language. Only that page: while a second-factor code is owed, the password-change page is out of
# reach too, or a stolen password alone could change the password and lock the owner out.
EXEMPT = frozenset({"login", "logout", "set_language", "jsi18n"})


class AccountPolicyMiddleware:
    """An account that owes a second-factor code, a password change or OTP enrolment reaches nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            page = policy.owed(request)
            if page is not None and not self._exempt(request, page):
                return self._block(request, page)
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest, page: str) -> bool:
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return False
        return name == page or name in EXEMPT

    @staticmethod
    def _block(request: HttpRequest, page: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            messages = {
                "accounts:otp_verify": _("请先在网页上输入动态验证码完成登录。"),
                "accounts:password_change": _("请先在网页上修改初始密码。"),
                "accounts:otp_setup": _("请先在网页上启用双因素认证。"),
            }
            return JsonResponse({"detail": messages[page]}, status=403)
        target = reverse(page)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class IdleSessionMiddleware:
    """Activity keeps a session alive: its expiry is pushed out to a full idle period again (SESSION_COOKIE_AGE)
    when the last push is SESSION_REFRESH_SECONDS old or more, so an idle session ends within a minute before
    SESSION_IDLE_MINUTES after the last request (29–30 minutes by default) — without a database write on every
    page view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None:
            return response  # no session (a new one is saved by SessionMiddleware with a full expiry)
        now = int(time.time())
        # A session saved anyway (a login, a message) gets a fresh expiry too: note it.
        if (
            session.modified
            or abs(now - int(session.get(REFRESHED_KEY, 0))) >= settings.SESSION_REFRESH_SECONDS
        ):
            session[REFRESHED_KEY] = now  # modified: SessionMiddleware saves it with a new expiry and cookie
        return response


class CurrentTownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with memberships_kept():  # the user's memberships and towns are read once for the whole request
            request.town = self._current(request)  # type: ignore[attr-defined]
            return self.get_response(request)

    @staticmethod
    def _current(request: HttpRequest) -> Town | None:
        if not request.user.is_authenticated:
            return None
        # An enterprise's account works in its enterprise's town (its pages are kept to its place: enterprise.py).
        towns = user_towns(request.user) or user_towns(request.user, READ_ROLES | ENTERPRISE_ROLES)
        chosen = request.session.get(SESSION_KEY)
        return next((t for t in towns if t.pk == chosen), towns[0] if towns else None)
