"""Regulation pages (yigang/regulations/urls.py)."""

from __future__ import annotations

from . import Expect, object_read, object_write, town_read, town_write


def _active(w: object) -> dict[str, int]:
    return {"pk": w.regulation.pk}  # type: ignore[attr-defined]


def _draft(w: object) -> dict[str, int]:
    return {"pk": w.draft.pk}  # type: ignore[attr-defined]


def _post(w: object) -> dict[str, object]:
    return {"pk": w.regulation.pk, "post": "mayor"}  # type: ignore[attr-defined]


def _duty(w: object) -> dict[str, int]:
    return {"pk": w.draft.pk, "duty_pk": w.draft_duty.pk}  # type: ignore[attr-defined]


PAGES = {
    "regulations:list": Expect(town_read()),
    "regulations:current": Expect(town_read(302), note="redirects to the active version or the list"),
    "regulations:import": Expect(town_write(200), note="the form"),
    "regulations:diff": Expect(town_read()),
    "regulations:detail": Expect(object_read(), kwargs=_active),
    "regulations:source": Expect(object_read(), kwargs=_active),
    "regulations:review": Expect(object_write(200), kwargs=_draft),
    "regulations:activate": Expect(
        object_write(), method="POST", kwargs=_draft, data=lambda w: {"effective_from": "2030-01-01"}
    ),
    "regulations:discard": Expect(object_write(), method="POST", kwargs=_draft),
    "regulations:duty_add": Expect(
        object_write(),
        method="POST",
        kwargs=_draft,
        data=lambda w: {"new-post": "mayor", "new-kind": "other", "new-text": "新增的履职要求"},
    ),
    "regulations:duty_correct": Expect(
        object_write(),
        method="POST",
        kwargs=_duty,
        data=lambda w: {f"d{w.draft_duty.pk}-post": "mayor", f"d{w.draft_duty.pk}-kind": "other"},
    ),
    "regulations:duty_remove": Expect(object_write(), method="POST", kwargs=_duty),
    "regulations:posts": Expect(object_read(), kwargs=_active),
    "regulations:duty_list": Expect(object_read(), kwargs=_post),
    "regulations:duty_list_docx": Expect(object_read(), kwargs=_post),
    "regulations:duty_list_xlsx": Expect(object_read(), kwargs=_post),
}
