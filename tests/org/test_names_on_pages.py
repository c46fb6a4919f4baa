"""Names, not logins, on the demo town's timelines, pages and exports (issue 27 point 6): once the 安委办 account
is linked to its register person (the demo's 王晓燕, given a post in the office here unless the demo links one), its
hazard timelines, an accident's arrival, the accountability file (page and Word) and the auditor's trail name the
person and post — and only the auditor sees the login "anweiban", beside the name."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

OFFICE = "镇安全生产委员会及其办公室"


def _docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_demo_names_people_not_logins(settings: Any, tmp_path: Any) -> None:
    from yigang.accidents.actions import confirm_arrival
    from yigang.accidents.models import OnSiteTask
    from yigang.assessment.actions import issue_file
    from yigang.hazards.models import Hazard
    from yigang.org import actions as org_actions
    from yigang.org.models import Person, Unit
    from yigang.towns.actions import link_person
    from yigang.towns.models import Account
    from yigang.towns.naming import display_name

    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("demo", quiet=True)
    Account.objects.update(must_change_password=False)
    users = get_user_model().objects
    officer = users.get(username="anweiban")
    if not Person.objects.filter(user=officer).exists():  # the demo may link them already (issue 27 point 6)
        office = Unit.objects.get(town__code=officer.memberships.get().town.code, name=OFFICE)
        post = org_actions.add_post(unit=office, title="安委办专职工作人员", actor=None)
        person = org_actions.add_person(town=office.town, name="王晓燕", actor=None)
        org_actions.appoint(post=post, person=person, start=datetime.date(2021, 9, 1), actor=None)
        link_person(user=officer, person=person, actor=None)
    person = Person.objects.get(user=officer)
    name = display_name(officer)
    assert name.startswith(f"{person.name}（") and "anweiban" not in name
    client = Client()
    client.force_login(officer)

    hazards = list(Hazard.objects.filter(events__actor=officer).distinct().order_by("pk")[:5])
    assert hazards, "the demo's hazards have steps the 安委办 took"
    for hazard in hazards:
        page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
        timeline = page[page.index('<ol class="timeline">') :]
        assert name in timeline and "anweiban" not in page, hazard.pk

    task = OnSiteTask.objects.filter(arrived_at__isnull=True).select_related("accident").first()
    assert task is not None
    confirm_arrival(task=task, arrived_at=timezone.now(), actor=officer)
    page = client.get(reverse("accidents:detail", args=[task.accident_id])).content.decode()
    assert f"确认人 {name}" in page and "anweiban" not in page

    issue_file(kind="hazard", subject_id=hazards[0].pk, actor=officer)
    page = client.get(reverse("assessment:hazard_file", args=[hazards[0].pk]) + "?version=1").content.decode()
    assert name in page and "anweiban" not in page
    word = client.get(reverse("assessment:hazard_file_docx", args=[hazards[0].pk]) + "?version=1")
    assert word.status_code == 200
    text = _docx_text(b"".join(word.streaming_content) if word.streaming else word.content)
    assert f"由{name}" in text and "anweiban" not in text

    auditor = Client()
    auditor.force_login(users.get(username="shenji"))
    trail = auditor.get(reverse("audit:list")).content.decode()
    assert f"{name} · anweiban" in trail  # the auditor needs both
