"""A hazard's steps, one table for the page and the API: who may take each step and which action it calls with
which of the fields sent. The page (views.step) and the API (api/hazards.take_step) read their input their own
way (a form; a schema, the new owner by name) and then both call `take_step`, so they cannot drift apart again
(they did: the API took a lone 应急预案 for no plan at all, the page for a plan missing four parts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from . import actions
from .access import may_decide, may_decide_extension, may_handle, may_submit
from .models import ExtensionStatus, Hazard

# The fields sent with a step, as cleaned: note, owner (a Unit or None), the five of 五落实 (PLAN_FIELDS),
# extension_deadline and decision, secret (the password or TOTP code 销号 asks for) and the caller's ip. A field
# a caller does not offer may be missing.
StepData = Mapping[str, Any]

PLAN_FIELDS = ("responsible", "measures", "funds", "plan_deadline", "emergency_plan")


def plan_of(data: StepData) -> actions.PlanData | None:
    """The 五落实 plan sent with 开始整改: none if all five fields are empty; with any one of them filled (the
    emergency plan too) it is a plan, and the action names the parts still missing rather than ignoring it."""
    if not any(data.get(name) for name in PLAN_FIELDS):
        return None
    return actions.PlanData(
        data.get("responsible") or "",
        data.get("measures") or "",
        data.get("funds") or "",
        data.get("plan_deadline"),
        data.get("emergency_plan") or "",
    )


def _note(data: StepData) -> str:
    return data.get("note") or ""


def _decline(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    actions.decline(hazard=hazard, reason=_note(data), actor=actor)


def _decide(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    actions.decide(hazard=hazard, owner=data.get("owner"), reason=_note(data), actor=actor)


def _rectify(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    actions.start_rectifying(hazard=hazard, actor=actor, plan=plan_of(data), note=_note(data))


def _submit(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    actions.submit(hazard=hazard, note=_note(data), photos=files, actor=actor)


def _accept(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    # 销号 binds people: the closer's password or TOTP code (`secret`), checked by the action (towns.reauth).
    actions.accept(
        hazard=hazard, note=_note(data), actor=actor, secret=data.get("secret") or "", ip=data.get("ip")
    )


def _send_back(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    actions.send_back(hazard=hazard, reason=_note(data), actor=actor)


def _extend(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    actions.ask_extension(
        hazard=hazard, deadline=data.get("extension_deadline"), reason=_note(data), actor=actor
    )


def _extend_decide(hazard: Hazard, actor: Any, data: StepData, files: Sequence[actions.Upload]) -> None:
    pending = hazard.extensions.filter(status=ExtensionStatus.PENDING).first()
    if pending is None:
        raise ValidationError("没有待审批的延期整改申请。")
    decision = data.get("decision")
    if decision not in ("approve", "refuse"):
        raise ValidationError({"decision": ["请选择同意延期或不予延期。"]})
    actions.decide_extension(
        extension=pending,
        approve=decision == "approve",
        note=_note(data),
        deadline=data.get("extension_deadline"),
        actor=actor,
    )


@dataclass(frozen=True)
class Step:
    may: Callable[[Any, Hazard], bool]  # who may take it (access.py)
    act: Callable[[Hazard, Any, StepData, Sequence[actions.Upload]], None]
    # The extension steps have their own API routes (ask, decide, read); the steps route refuses them.
    api: bool = True


# In the order the page's form and the API's schema list them (the schema's enum is this order).
TABLE: dict[str, Step] = {
    "decline": Step(may_handle, _decline),
    "decide": Step(may_decide, _decide),
    "rectify": Step(may_handle, _rectify),
    "submit": Step(may_submit, _submit),  # the enterprise's own account too (access.may_submit)
    "accept": Step(may_decide, _accept),
    "send_back": Step(may_decide, _send_back),
    "extend": Step(may_handle, _extend, api=False),
    "extend_decide": Step(may_decide_extension, _extend_decide, api=False),
}
STEPS = tuple(TABLE)
EXTENSION_STEPS = tuple(name for name, step in TABLE.items() if not step.api)


def may_take(user: Any, hazard: Hazard, step: str) -> bool:
    known = TABLE.get(step)
    return known is not None and known.may(user, hazard)


def take_step(
    hazard: Hazard, step: str, actor: Any, data: StepData, files: Sequence[actions.Upload] = ()
) -> None:
    """Take `step` on the hazard with the fields sent; a refusal is the action's ValidationError. Whether the
    actor may take it is the caller's check first (`may_take`), each answering a refusal its own way."""
    known = TABLE.get(step)
    if known is None:
        raise ValidationError("未知的办理步骤。")
    known.act(hazard, actor, data, files)
