"""Demo sign-off for the demo town: every current holder gets an account, the regulation in force is distributed
and mostly confirmed, this year's duty lists partly, and this year's target letters half-signed — so the
tracking pages show real gaps. Idempotent and written through the actions; called from `yigang demo`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from yigang.org.models import Tenure, UnitKind
from yigang.regulations.choices import PostKind
from yigang.towns.actions import add_membership, create_account, link_person
from yigang.towns.models import Account, Role, Town
from yigang.towns.passwords import DEMO_PASSWORD

from . import actions
from .models import Document, Kind, Side, Task

# Of every N tasks (in a stable order) one is left unconfirmed: the regulation is mostly confirmed, the lists less.
LEAVE_OUT = {Kind.REGULATION: 6, Kind.DUTY_LIST: 3}


def _accounts(town: Town) -> None:
    today = timezone.localdate()
    tenures = (
        Tenure.objects.at(today)
        .filter(town=town, person__user__isnull=True)
        .exclude(post__kind="")
        .select_related("person", "post__unit")
        .order_by("person_id", "id")
    )
    done: set[int] = set()
    for tenure in tenures:
        person = tenure.person
        if person.pk in done or not person.phone:
            continue
        done.add(person.pk)
        username = person.phone.replace(" ", "")
        if get_user_model().objects.filter(username=username).exists():
            continue
        user, _ = create_account(
            username=username, full_name=person.name, password=DEMO_PASSWORD, actor=None, source="demo"
        )
        unit = tenure.post.unit
        if tenure.post.kind == PostKind.VILLAGE_SECRETARY and unit.kind == UnitKind.VILLAGE:
            add_membership(user=user, role=Role.VILLAGE_STAFF, town=town, unit=unit, actor=None)
        elif tenure.post.kind == PostKind.DEPARTMENT_HEAD and unit.kind == UnitKind.BODY:
            add_membership(user=user, role=Role.BODY_STAFF, town=town, unit=unit, actor=None)
        else:
            add_membership(user=user, role=Role.LEADER, town=town, actor=None)
        link_person(user=user, person=person, actor=None, source="demo")


def _confirm(task: Task) -> None:
    user = task.person.user
    # Only accounts still on the printed demo password (nobody has chosen their own yet).
    if user is None or not Account.objects.filter(user=user, must_change_password=True).exists():
        return
    actions.confirm(task=task, actor=user, secret=DEMO_PASSWORD, sha256=task.text_sha256, ip="127.0.0.1")


def _open(document: Document) -> list[Task]:
    return list(
        Task.objects.filter(document=document, ended_at__isnull=True)
        .select_related("person__user", "confirmation", "document__regulation")
        .order_by("post__unit__name", "post__title", "side", "person__name")
    )


def load(town: Town) -> None:
    """Accounts for the holders, distribution, confirmations, this year's target letters half-signed."""
    _accounts(town)
    actions.sync_town(town=town, actor=None)
    year = timezone.localdate().year
    for document in Document.objects.filter(town=town, kind__in=list(LEAVE_OUT)):
        if document.kind == Kind.DUTY_LIST and document.year != year:
            continue
        if document.regulation is not None and document.regulation.status != "active":
            continue
        every = LEAVE_OUT[Kind(document.kind)]
        for n, task in enumerate(_open(document), start=1):
            if n % every and not hasattr(task, "confirmation"):
                _confirm(task)
    letters = Document.objects.filter(town=town, kind=Kind.TARGET_LETTER, year=year).first()
    if letters is None:
        letters = actions.create_target_template(town=town, year=year, actor=None)
    if letters.is_draft:
        actions.issue_target_letters(document=letters, actor=None)
    signed = list(letters.letters.order_by("id"))[::2]  # every other letter signed by both sides
    for task in Task.objects.filter(
        letter__in=signed, ended_at__isnull=True, confirmation__isnull=True
    ).order_by("side", "id"):
        if task.side in (Side.TOWN, Side.PARTY_B):
            _confirm(task)
