"""Hooks: how an app low in the house is told something by an app above it without importing it.

The app below declares a `Hooks` (what it will call, typed); the app above registers its function at start-up
(its AppConfig.ready). Nothing registered — the app below alone, or a test without the app above — and the
app below behaves as it did before the one above existed. The places app tells the hazard routing and the
accidents an enterprise's place this way, and the register check (`org.lint`) its place-type routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hooks(Generic[P, R]):
    """The functions registered for one question, in the order they were registered (each at most once)."""

    def __init__(self) -> None:
        self._hooks: list[Callable[P, R]] = []

    def register(self, hook: Callable[P, R]) -> None:
        if hook not in self._hooks:
            self._hooks.append(hook)

    def __bool__(self) -> bool:
        return bool(self._hooks)

    def __iter__(self) -> Iterator[Callable[P, R]]:
        return iter(self._hooks)

    def first(self, *args: P.args, **kwargs: P.kwargs) -> R | None:
        """The first answer that is not None (None when none answers or nothing is registered)."""
        for hook in self._hooks:
            found = hook(*args, **kwargs)
            if found is not None:
                return found
        return None

    def each(self, *args: P.args, **kwargs: P.kwargs) -> list[R]:
        """Every registered function's answer, in order."""
        return [hook(*args, **kwargs) for hook in self._hooks]
