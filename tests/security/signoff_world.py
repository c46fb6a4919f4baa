"""The sign-off part of the standing World: the version in force distributed today, the leader's regulation task
confirmed (with a scanned paper copy) and their duty list waiting, this year's target letters issued, next
year's template in draft."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.conftest import PASSWORD


@dataclass
class SignoffWorld:
    regulation_doc: Any
    waiting: Any  # the leader's duty-list task, open
    confirmation: Any  # the leader's confirmation of the regulation
    scan: Any
    letters_doc: Any  # this year's issued target letters
    letter: Any  # the body's letter
    draft: Any  # next year's template
    item: Any  # one of its items


def build(world: Any, png: bytes) -> SignoffWorld:
    from yigang.signoff import actions
    from yigang.signoff.models import Kind, Task

    officer, leader = world.users["officer"], world.users["leader"]
    year = timezone.localdate().year
    actions.sync_town(town=world.town, actor=officer)
    reg_task = Task.objects.get(document__kind=Kind.REGULATION, person=world.leader_person)
    confirmation = actions.confirm(task=reg_task, actor=leader, secret=PASSWORD, sha256=reg_task.text_sha256)
    scan = actions.attach_scan(
        confirmation=confirmation, upload=io.BytesIO(png), name="签字页.png", actor=leader
    )
    letters_doc = actions.create_target_template(town=world.town, year=year, actor=officer)
    actions.issue_target_letters(document=letters_doc, actor=officer, secret=PASSWORD)
    draft = actions.create_target_template(town=world.town, year=year + 1, actor=officer)
    return SignoffWorld(
        regulation_doc=reg_task.document,
        waiting=Task.objects.get(document__kind=Kind.DUTY_LIST, person=world.leader_person),
        confirmation=confirmation,
        scan=scan,
        letters_doc=letters_doc,
        letter=letters_doc.letters.get(unit=world.body),
        draft=draft,
        item=draft.items.first(),
    )
