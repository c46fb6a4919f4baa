"""Sets `request.town`: the town the user is working in (chosen in the session, else the first one)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models import Town, towns_for

SESSION_KEY = "yigang_town"


class CurrentTownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.town = self._current(request)  # type: ignore[attr-defined]
        return self.get_response(request)

    @staticmethod
    def _current(request: HttpRequest) -> Town | None:
        if not request.user.is_authenticated:
            return None
        towns = towns_for(request.user)
        chosen = request.session.get(SESSION_KEY)
        if chosen:
            town = towns.filter(pk=chosen).first()
            if town:
                return town
        return towns.order_by("name").first()
