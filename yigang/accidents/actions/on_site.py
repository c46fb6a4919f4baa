"""The frozen chain of responsibility and the on-site tasks it gives the leaders: opened, arrival confirmed."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.org import selectors
from yigang.org.chain import Role, build_chain
from yigang.org.models import ENTERPRISE_HEAD, Person, Post, Sector, Unit, UnitKind
from yigang.regulations.choices import PostKind

from .. import sources
from ..models import Accident, Closure, OnSiteTask
from .reports import CLOCK_SLACK, _aware

# The posts the regulation sends to the scene (Art. 5.5 mayor, 9.6 safety deputy, 10.4 the deputy in charge,
# 11 the village secretary), by their role in the chain.
ON_SITE_ROLES = {
    Role.TERRITORY: "属地（嘎查村党支部书记）",
    Role.PORTFOLIO: "分管领导",
    Role.SAFETY: "分管安全生产副职",
    Role.LEADERSHIP: "镇长",
}


def _create_tasks(accident: Accident) -> list[OnSiteTask]:
    """On-site tasks to the holders, at the accident's date, of the posts the frozen chain names."""
    links = accident.chain.get("links", [])
    mayor_posts = set(
        Post.objects.filter(pk__in=[link["post_id"] for link in links], kind=PostKind.MAYOR).values_list(
            "pk", flat=True
        )
    )
    existing = set(accident.tasks.values_list("post_id", flat=True))
    tasks = []
    for link in links:
        role = link["role"]
        if role not in ON_SITE_ROLES or link["post_id"] in existing:
            continue
        if role == Role.LEADERSHIP and link["post_id"] not in mayor_posts:
            continue  # the party secretary leads overall but the regulation does not send them to the scene
        existing.add(link["post_id"])
        tasks.append(
            OnSiteTask(
                town=accident.town,
                accident=accident,
                role=role,
                post_id=link["post_id"],
                person_id=link.get("person_id"),
            )
        )
    return OnSiteTask.objects.bulk_create(tasks)


def enterprise_link(unit: Unit | None, day: datetime.date) -> dict[str, Any] | None:
    """主体责任 of an accident at a registered enterprise: its legal representative (the place's under supervision,
    else the holder of the unit's 法定代表人 post) and safety manager, as they stood when it was recorded."""
    if unit is None or unit.kind != UnitKind.ENTERPRISE:
        return None
    facts = sources.place_of(unit, day)
    post = selectors.head_post(unit, day, (ENTERPRISE_HEAD,))
    holder = selectors.holder(post, day) if post is not None else None
    if facts is None and post is None:
        return None
    person = (facts.legal_representative if facts else "") or (holder.name if holder else "")
    return {
        "role_label": str(Role.label(Role.ENTERPRISE)),
        "unit": unit.name,
        "post": post.title if post is not None else "法定代表人",
        "person": person or None,
        "person_id": holder.pk if holder is not None and holder.name == person else None,
        "phone": facts.legal_representative_phone if facts and facts.legal_representative else "",
        "contact": facts.safety_manager if facts else "",
        "contact_phone": facts.safety_manager_phone if facts else "",
    }


def freeze_chain(
    sector: Sector, village: Unit | None, day: datetime.date, unit: Unit | None = None
) -> dict[str, Any]:
    """`yigang who` for the sector and place on the day, with the ids the on-site tasks need; at a registered
    enterprise (`unit`) also its 主体责任 (`enterprise`, shown first)."""
    chain = build_chain(sector=sector, place=village, at=day)
    frozen = chain.as_dict()
    frozen["links"] = [
        {
            **link.as_dict(),
            "role": link.role,
            "role_label": str(link.role_label),
            "post_id": link.post_id,
            "person_id": link.person_id,
            "scope": link.scope,
        }
        for link in chain.links
    ]
    frozen["regulation"] = str(chain.regulation) if chain.regulation else ""
    enterprise = enterprise_link(unit, day)
    if enterprise is not None:
        frozen["enterprise"] = enterprise
    return frozen


def confirm_arrival(*, task: OnSiteTask, arrived_at: datetime.datetime, actor: Any) -> OnSiteTask:
    """The holder (or the 安委办) confirms arrival at the scene; the time is kept and cannot be changed after."""
    arrived_at = _aware(arrived_at)
    errors = []
    occurred_at = task.accident.latest.occurred_at if task.accident.latest else None
    if arrived_at > timezone.now() + CLOCK_SLACK:
        errors.append("到达现场时间不能晚于当前时间。")
    if occurred_at is not None and arrived_at < occurred_at:
        errors.append("到达现场时间不能早于事故发生时间。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = OnSiteTask.objects.select_for_update().get(pk=task.pk)
        if locked.arrived_at is not None:
            raise ValidationError("已确认到场，到场时间不能更改。")
        if Closure.objects.filter(accident_id=locked.accident_id).exists():
            raise ValidationError("事故已结案，不能再确认到场；未确认的记为未到场。")
        locked.arrived_at = arrived_at
        locked.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["arrived_at", "confirmed_by", "confirmed_at"])
        audit(
            "accidents.arrival",
            actor=actor,
            obj=locked,
            changes={"post": locked.post_id, "arrived_at": timezone.localtime(arrived_at).isoformat()},
        )
    return locked


def verify_refusal(task: OnSiteTask, user: Any) -> str | None:
    """Why `user` may not check (核实) this arrival, in Chinese, or None. Who submitted a step cannot approve it:
    the account that confirmed the arrival, and the person who arrived, leave the check to another officer."""
    if task.arrived_at is None:
        return "尚未确认到场，无法核实。"
    if task.verified_at is not None:
        return "到场已核实。"
    if Closure.objects.filter(accident_id=task.accident_id).exists():
        return "事故已结案，不能再核实到场。"
    user_pk = getattr(user, "pk", None)
    if task.confirmed_by_id is not None and task.confirmed_by_id == user_pk:
        return "到场由您本人确认，不能再由您核实：请由安委办另一位工作人员核实。"
    if user_pk is not None and Person.objects.filter(pk=task.person_id or 0, user_id=user_pk).exists():
        return "您是到场人本人，不能核实自己的到场：请由安委办另一位工作人员核实。"
    return None


def verify_arrival(*, task: OnSiteTask, actor: Any) -> OnSiteTask:
    """A 安委办 officer checks (核实) a confirmed arrival — never the one who confirmed it, nor the person who
    arrived (separation of duties). A refusal changes nothing and is audited as a failed `accidents.verify_arrival`."""
    with transaction.atomic():
        locked = OnSiteTask.objects.select_for_update().get(pk=task.pk)
        problem = verify_refusal(locked, actor)
        if problem is None:
            locked.verified_by = actor
            locked.verified_at = timezone.now()
            locked.save(update_fields=["verified_by", "verified_at"])
        audit(
            "accidents.verify_arrival",
            actor=actor,
            obj=locked,
            success=problem is None,
            changes={"post": locked.post_id, "confirmed_by": locked.confirmed_by_id}
            | ({"reason": problem} if problem else {}),
        )
    if problem is not None:
        raise ValidationError(problem)
    return locked


def holder_user(task: OnSiteTask) -> Any:
    """The account of the task's holder, if they have one."""
    if task.person_id is None:
        return None
    person = Person.objects.filter(pk=task.person_id).select_related("user").first()
    return person.user if person is not None else None
