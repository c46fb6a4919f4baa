"""Who sees a sign-off confirmation (issue 26.1): whether someone confirmed, and when, stays town-wide; the
confirmation's details (how, from which address, with which browser, entered by whom) and the scans of the
signed paper are the person's, the 安委办's, the audit administrator's and the county's only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

from .conftest import PNG

pytestmark = pytest.mark.django_db
IP = "10.20.30.40"


def _confirmed(world: Any) -> tuple[Any, Any]:
    """The leader confirms their waiting duty list from a known address and attaches a scan of the paper."""
    from yigang.signoff import actions

    task = world.signoff.waiting
    confirmation = actions.confirm(
        task=task,
        actor=world.users["leader"],
        secret=PASSWORD,
        sha256=task.text_sha256,
        ip=IP,
        user_agent="Mozilla/5.0 (Linux; Android 14) 测试浏览器",
    )
    scan = actions.attach_scan(
        confirmation=confirmation, upload=io.BytesIO(PNG), name="签字页.png", actor=world.users["leader"]
    )
    return confirmation, scan


SEE_DETAILS = ("leader", "officer", "county_viewer")  # the person, the 安委办, the county
STATUS_ONLY = ("body_staff", "village_staff")


@pytest.mark.parametrize("principal", SEE_DETAILS + STATUS_ONLY)
def test_the_task_page_shows_status_to_all_and_details_to_few(world: Any, principal: str) -> None:
    confirmation, scan = _confirmed(world)
    page = world.client(principal).get(reverse("signoff:task", args=[confirmation.task_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "李强" in text and "确认" in text  # the status: who, and that it is done
    shows = principal in SEE_DETAILS
    assert (IP in text) is shows
    assert (reverse("signoff:scan_file", args=[scan.pk]) in text) is shows
    assert ("签字页.png" in text) is shows
    assert ("重新输入密码" in text) is shows  # how it was confirmed
    if not shows:
        assert "仅本人、安委办、审计管理员和旗县监管人员可见" in text


@pytest.mark.parametrize(
    ("principal", "status"),
    [
        ("leader", 200),  # their own paper
        ("officer", 200),
        ("county_viewer", 200),
        ("auditor", 200),
        ("body_staff", 404),
        ("village_staff", 404),
        ("other_officer", 404),
        ("sysadmin", 404),
        ("nobody", 404),
    ],
)
def test_a_scan_of_signed_paper_opens_for_the_person_the_office_the_audit_and_the_county(
    world: Any, principal: str, status: int
) -> None:
    _confirmation, scan = _confirmed(world)
    response = world.client(principal).get(reverse("signoff:scan_file", args=[scan.pk]))
    assert response.status_code == status


def test_another_holders_scan_stays_closed_to_a_body_holder_who_confirmed_their_own(world: Any) -> None:
    """A body staff member who is themselves a holder sees their own details, never the leader's."""
    from yigang.org.models import Person

    _confirmation, scan = _confirmed(world)
    Person.objects.filter(pk=world.person.pk).update(user=world.users["body_staff"])
    client = world.client("body_staff")
    assert client.get(reverse("signoff:scan_file", args=[scan.pk])).status_code == 404
    page = client.get(reverse("signoff:task", args=[scan.confirmation.task_id]))
    assert IP not in page.content.decode()


def test_the_town_wide_status_still_lists_who_confirmed(world: Any) -> None:
    confirmation, _scan = _confirmed(world)
    page = world.client("village_staff").get(
        reverse("signoff:document", args=[confirmation.task.document_id])
    )
    assert page.status_code == 200
    assert "李强" in page.content.decode()
    assert IP not in page.content.decode()
