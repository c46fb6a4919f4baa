"""Rectifying and accepting: the plan of 五落实, the start, the submission with photos, 销号 or a send-back."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.towns.models import Role
from yigang.towns.reauth import require_word

from ..models import EventKind, Grade, Hazard, HazardEvent, Plan, Stage, Status
from .base import Upload, _event, _locked, _now, _reason, _require, _user
from .photos import _save_photos, _stored, check_photos


@dataclass
class PlanData:
    """五落实: 责任 (responsible), 措施 (measures), 资金 (funds), 时限 (deadline), 预案 (emergency plan)."""

    responsible: str
    measures: str
    funds: str
    deadline: datetime.date | None
    emergency_plan: str


def _clean_plan(plan: PlanData, hazard: Hazard) -> PlanData:
    missing = [
        label
        for label, value in (
            ("责任人（责任落实）", plan.responsible.strip()),
            ("整改措施（措施落实）", plan.measures.strip()),
            ("整改资金（资金落实）", plan.funds.strip()),
            ("整改时限（时限落实）", plan.deadline),
            ("应急预案（预案落实）", plan.emergency_plan.strip()),
        )
        if not value
    ]
    if missing:
        raise ValidationError(f"重大隐患治理方案须做到五落实，还缺：{'、'.join(missing)}。")
    assert plan.deadline is not None
    if plan.deadline < hazard.found_on:
        raise ValidationError("治理方案的整改时限不能早于发现日期。")
    return PlanData(
        plan.responsible.strip()[:100],
        plan.measures.strip(),
        plan.funds.strip()[:200],
        plan.deadline,
        plan.emergency_plan.strip(),
    )


def start_rectifying(*, hazard: Hazard, actor: Any, plan: PlanData | None = None, note: str = "") -> Hazard:
    """The owner starts rectifying. A major hazard needs a plan holding all of 五落实 (given now or before)."""
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.ASSIGNED,), "开始整改（退回申请须先由安委办裁定）")
        if plan is not None:
            plan = _clean_plan(plan, hazard)
            assert plan.deadline is not None
            saved = Plan.objects.create(
                town_id=hazard.town_id,
                hazard=hazard,
                responsible=plan.responsible,
                measures=plan.measures,
                funds=plan.funds,
                deadline=plan.deadline,
                emergency_plan=plan.emergency_plan,
                created_by=_user(actor),
                created_at=_now(),
            )
            _event(
                hazard,
                EventKind.PLAN,
                actor,
                plan.measures[:200],
                plan=saved.pk,
                responsible=plan.responsible,
                funds=plan.funds,
                deadline=plan.deadline.isoformat() if plan.deadline else None,
            )
        if hazard.grade == Grade.MAJOR and not hazard.plans.exists():
            raise ValidationError(
                "重大隐患须先制定治理方案并做到五落实（责任、措施、资金、时限、预案），才能开始整改。"
            )
        _event(hazard, EventKind.RECTIFYING, actor, note.strip()[:2000])
        hazard.status = Status.RECTIFYING
        hazard.save(update_fields=["status"])
        audit("hazards.rectify", actor=actor, obj=hazard, changes={"plan": plan is not None})
    return hazard


def submit(*, hazard: Hazard, note: str, photos: Sequence[Upload], actor: Any) -> Hazard:
    """The owner reports the rectification done and asks for acceptance, with photos after rectification."""
    note = _reason(note, "整改情况说明")
    checked = check_photos(photos)
    if not checked:
        raise ValidationError("提请验收须上传整改后的照片。")
    with _stored(hazard.town, checked) as paths, transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.RECTIFYING,), "提请验收（须在整改中）")
        _event(hazard, EventKind.SUBMITTED, actor, note, photos=[c.sha256 for c in checked])
        _save_photos(hazard, Stage.AFTER, checked, paths, actor)
        hazard.status = Status.SUBMITTED
        hazard.save(update_fields=["status"])
        audit("hazards.submit", actor=actor, obj=hazard, changes={"note": note, "photos": len(checked)})
    return hazard


def last_submission(hazard: Hazard) -> HazardEvent | None:
    """The submission (提请验收) now waiting to be judged: the last one (a send-back and a new one replace it)."""
    return (
        hazard.events.filter(kind=EventKind.SUBMITTED).select_related("actor").order_by("-at", "-id").first()
    )


def _other_officers(hazard: Hazard, but: Any) -> list[str]:
    """The names of the town's other 安委办 officers: those who may judge a submission `but` made."""
    from django.contrib.auth import get_user_model

    from ..notices import name_of

    others = (
        get_user_model()
        .objects.filter(is_active=True, memberships__town_id=hazard.town_id, memberships__role=Role.OFFICER)
        .exclude(pk=but.pk)
        .distinct()
        .order_by("pk")
    )
    return [name_of(user) for user in others[:5]]


def separation_problem(hazard: Hazard, actor: Any, what: str = "验收") -> str | None:
    """Whoever submitted the rectification now waiting may not judge it (验收 or 退回): the one who reports the
    work done is not the one who finds it done (docs/hazards.md, "Separation of duties"). None if `actor` may.
    The system (no actor: the demo's replay) is nobody's submission and judges nothing of its own."""
    user = _user(actor)
    if user is None:
        return None
    event = last_submission(hazard)
    if event is None or event.actor_id != user.pk:
        return None
    others = _other_officers(hazard, user)
    instead = (
        f"请由安委办的其他人员（{'、'.join(others)}）{what}。"
        if others
        else "本镇安委办目前没有其他人员的账号：请系统管理员为安委办另一名工作人员开通账号，由其"
        + what
        + "。"
    )
    return (
        f"本次提请验收由{event.actor_name}于{timezone.localtime(event.at):%Y-%m-%d %H:%M}提出，"
        f"提请验收的人不能{what}自己提请的整改（整改与验收分离）。{instead}"
    )


def _closing_problems(hazard: Hazard, actor: Any, on: datetime.date) -> None:
    """What refuses a 销号 before any secret is asked: the state, the dates' order, the separation of duties."""
    _require(hazard, (Status.SUBMITTED,), "验收销号（须先由责任单位整改并提请验收）")
    separated = separation_problem(hazard, actor, "验收销号")
    if separated:
        raise ValidationError(separated)
    # Every broken order at once (docs/dates.md): accepted before found, after today, before it was submitted.
    problems = []
    if on < hazard.found_on:
        problems.append("销号日期不能早于发现日期。")
    if on > timezone.localdate():
        problems.append("销号日期不能晚于今天。")
    submitted = last_submission(hazard)
    if submitted is not None and on < timezone.localdate(submitted.at):
        problems.append(
            f"销号日期不能早于提请验收的日期（{timezone.localdate(submitted.at):%Y-%m-%d}）：须先整改、提请验收，才能验收销号。"
        )
    if problems:
        raise ValidationError(problems)


def accept(
    *,
    hazard: Hazard,
    note: str,
    actor: Any,
    secret: str | None = None,
    on: datetime.date | None = None,
    ip: str | None = None,
    notify: bool = True,
) -> Hazard:
    """The 安委办 accepts the rectification and closes the hazard (销号); only a submitted one, never by the person
    who submitted it, and with the closer's password or TOTP code (`secret`): 销号 is final and binds those who
    answer for the hazard. A wrong secret is audited as a failed `hazards.close` (kind `bad_credential`, counted
    toward the lockout); every refusal leaves the hazard as it was. Those who answered for it are told."""
    on = on or timezone.localdate()
    _closing_problems(Hazard.objects.select_related("town").get(pk=hazard.pk), actor, on)
    method = require_word(_user(actor), secret, "销号", "hazards.close", ip=ip, field="secret", obj=hazard)
    with transaction.atomic():
        hazard = _locked(hazard)
        _closing_problems(hazard, actor, on)  # again under the lock: a send-back may have come meanwhile
        _event(hazard, EventKind.CLOSED, actor, note.strip()[:2000], closed_on=on.isoformat(), method=method)
        hazard.status = Status.CLOSED
        hazard.closed_on = on
        hazard.save(update_fields=["status", "closed_on"])
        audit(
            "hazards.close",
            actor=actor,
            obj=hazard,
            ip=ip,
            changes={"closed_on": on, "note": note.strip(), "method": method},
        )
    if notify:
        from ..notices import closed, closing_recipients

        hazard = Hazard.objects.select_related("town", "sector", "owner_unit").get(pk=hazard.pk)
        closed(hazard, closing_recipients(hazard, timezone.localdate()))
    return hazard


def send_back(*, hazard: Hazard, reason: str, actor: Any) -> Hazard:
    """The 安委办 finds the rectification wanting and sends it back to rectifying, with a reason; not the person
    who submitted it (they would be judging their own work)."""
    reason = _reason(reason, "退回整改的理由")
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.SUBMITTED,), "退回整改（须在待验收状态）")
        separated = separation_problem(hazard, actor, "退回整改")
        if separated:
            raise ValidationError(separated)
        _event(hazard, EventKind.SENT_BACK, actor, reason)
        hazard.status = Status.RECTIFYING
        hazard.save(update_fields=["status"])
        audit("hazards.send_back", actor=actor, obj=hazard, changes={"reason": reason})
    return hazard
