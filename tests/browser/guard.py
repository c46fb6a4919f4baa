"""What every journey page must satisfy (issue 15, point 7): no console error, no failed request, no page wider
than its viewport, no untranslated string — and a screenshot of it under test-results/ (gitignored) for people
to look at (docs/user-guide.md shows a few of them, copied to docs/img/)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
# Words that reached the page untranslated: a snake_case name (`issued_on`, an event code), a template or format
# placeholder, or the translation machinery's own marks.
UNTRANSLATED = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\{\{|\}\}|\{%|%\(\w+\)s|\bNone\b|\bTrue\b|\bFalse\b")
WIDTH = "[document.scrollingElement.scrollWidth, window.innerWidth]"


@dataclass
class Guard:
    """Listens to one page; `check` is called on each page a journey reaches."""

    page: Any
    journey: str
    problems: list[str] = field(default_factory=list)
    offline: bool = False
    aborted: bool = False

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        (RESULTS / self.journey).mkdir(parents=True, exist_ok=True)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        if self.offline and "ERR_INTERNET_DISCONNECTED" in message.text:
            return
        # htmx reports the notification badge's request that a navigation cancelled (see _failed) as an error.
        if (self.offline or self.aborted) and message.text.startswith(
            ("htmx:afterRequest", "htmx:sendError")
        ):
            return
        self.problems.append(f"console: {message.text}")

    def _failed(self, request: Any) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:  # a navigation cancelled the page's own pending requests: not a failure
            self.aborted = True
            return
        if self.offline and "ERR_INTERNET_DISCONNECTED" in failure:
            return
        self.problems.append(f"request failed: {request.method} {request.url} {failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def check(self, name: str) -> Path:
        """The page fits its viewport, reads in words (not codes), nothing has gone wrong so far; screenshot."""
        self.page.wait_for_load_state("load")
        shot = RESULTS / self.journey / f"{name}.png"
        self.page.screenshot(path=str(shot))
        scroll, inner = self.page.evaluate(WIDTH)
        assert scroll <= inner, f"{self.journey}/{name}: the page is {scroll}px wide in a {inner}px viewport"
        text = self.page.inner_text("body")
        found = UNTRANSLATED.findall(text)
        assert not found, f"{self.journey}/{name}: untranslated {found[:5]}"
        assert not self.problems, f"{self.journey}/{name}: {self.problems}"
        return shot


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    # Home, or for a county supervisor the county view that is their home.
    assert page.url in (f"{base}/", f"{base}/county/"), (
        f"login as {username} went to {page.url}: {page.inner_text('main')[:300]}"
    )


def load_demo() -> None:
    """The demo town 乌审召镇 (`yigang demo`), its accounts past the first-login password change."""
    from django.core.management import call_command

    from yigang.towns.models import Account

    call_command("demo", quiet=True)
    Account.objects.update(must_change_password=False)
