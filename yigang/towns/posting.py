"""What a form posted from a page shares, whichever app's page it is: the form's fields are the action's own
words; a wrong field or the action's refusal is said as a message and nothing is written; the calling view
sends the browser back where it belongs. (Beside `access`: the guards come first, then this.)"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.views.decorators.http import require_POST


def say_errors(request: HttpRequest, said: Iterable[Any], *, joined: bool = False) -> None:
    """Each message apart, or (`joined`) all of them in one, divided by "；"."""
    if joined:
        messages.error(request, "；".join(str(message) for message in said))
        return
    for message in said:
        messages.error(request, message)


@contextmanager
def said(request: HttpRequest, done: str, *, joined: bool = False) -> Iterator[None]:
    """Around a write: its refusal (a ValidationError) said as messages and swallowed, else `done` said."""
    try:
        yield
    except ValidationError as exc:
        say_errors(request, exc.messages, joined=joined)
    else:
        messages.success(request, done)


def form_errors(request: HttpRequest, form: forms.Form, *, joined: bool = False) -> None:
    say_errors(request, [e for errors in form.errors.values() for e in errors], joined=joined)


def take(
    request: HttpRequest,
    form: forms.Form | None,
    act: Callable[..., Any],
    done: str | Callable[[Any], str],
    *,
    joined: bool = False,
    **words: Any,
) -> Any:
    """`act` with the form's fields (no form: none), `words` and the actor, then `done` said (or
    `done(result)`, for a message that names what was made); the action's result, or None when the form or
    the action refused."""
    if form is not None and not form.is_valid():
        form_errors(request, form, joined=joined)
        return None
    try:
        result = act(actor=request.user, **words, **(form.cleaned_data if form is not None else {}))
    except ValidationError as exc:
        say_errors(request, exc.messages, joined=joined)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


def step_view(
    find: Callable[[HttpRequest, int], Any],
    form: type[forms.Form],
    act: Callable[..., Any],
    done: Promise,
    *,
    word: str,
    back: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page of one step on one row: `find(request, pk)` gives the row (its guards refuse whoever may not),
    the posted form is taken (`take`, the row given to the action as `word`), then the row's page (`back`)."""

    @login_required
    @require_POST
    def step(request: HttpRequest, pk: int) -> HttpResponse:
        row = find(request, pk)
        take(request, form(request.POST), act, str(done), **{word: row})
        return redirect(back, pk=row.pk)

    return step
