"""Every duty and notification page, for every role, another town's officer, a user with no role, anonymous."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

READ = ["officer", "leader", "body_staff", "village_staff", "county_viewer"]
# Body and village staff read only their unit's or village's part (tests/duties/test_scope.py); here they belong
# to no unit, so the standing record and person are outside their part.
WHOLE_TOWN = ["officer", "leader", "county_viewer"]
WRITERS = ["officer", "leader", "body_staff", "village_staff"]


def _read_pages(world: Any) -> list[str]:
    person, record = world["mayor"], world["record"]
    return [
        reverse("duties:overview"),
        reverse("duties:heatmap") + "?year=2025",
        reverse("duties:records") + "?year=2025",
        reverse("duties:people") + "?year=2025",
        reverse("duties:record", args=[record.pk]),
        reverse("duties:person_year", args=[person.pk, 2025]),
        reverse("duties:person_year_docx", args=[person.pk, 2025]),
        reverse("duties:person_year_xlsx", args=[person.pk, 2025]),
        reverse("duties:attachment", args=[world["attachment"].pk]),
    ]


def _write_pages(world: Any) -> list[str]:
    return [
        reverse("duties:record_new"),
        reverse("duties:import"),
        reverse("duties:import_template"),
        reverse("duties:record_amend", args=[world["record"].pk]),
    ]


OFFICER_PAGES = ["duties:settings", "duties:notify:robots", "duties:notify:deliveries"]
OWN_PAGES = ["duties:notify:list", "duties:notify:badge"]


@pytest.mark.parametrize("role", WHOLE_TOWN)
def test_whole_town_readers_see_every_duty_page(role: str, users: Any, world: Any, login: Any) -> None:
    client = login(users[role])
    for url in _read_pages(world):
        assert client.get(url).status_code == 200, (role, url)
    for name in OWN_PAGES:
        assert client.get(reverse(name)).status_code == 200, (role, name)


@pytest.mark.parametrize("role", WRITERS)
def test_writers_open_the_forms(role: str, users: Any, world: Any, login: Any) -> None:
    client = login(users[role])
    *forms, amend = _write_pages(world)
    for url in forms:
        assert client.get(url).status_code == 200, (role, url)
    # The standing record credits the mayor and the safety deputy: only the officer may amend it
    # (tests/duties/test_amendments.py has a writer amending their own record); the leader reads it (403),
    # body and village staff of no unit do not even read it (404).
    assert client.get(amend).status_code == {"officer": 200, "leader": 403}.get(role, 404), role


def test_the_county_viewer_may_not_write(users: Any, world: Any, login: Any) -> None:
    client = login(users["county_viewer"])
    for url in _write_pages(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code in (403, 405), url


@pytest.mark.parametrize("role", ["leader", "body_staff", "village_staff", "county_viewer"])
def test_only_the_officer_manages_reminders_and_robots(role: str, users: Any, world: Any, login: Any) -> None:
    from yigang.notify.actions import add_robot

    robot = add_robot(
        town=world["record"].town,
        name="群",
        kind="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
        actor=None,
    )
    client = login(users[role])
    for name in OFFICER_PAGES:
        assert client.get(reverse(name)).status_code == 403, (role, name)
    assert client.post(reverse("duties:settings"), {"month_days": 3}).status_code == 403
    for name in ["duties:notify:robot_active", "duties:notify:robot_test", "duties:notify:robot_remove"]:
        assert client.post(reverse(name, args=[robot.pk])).status_code == 403, name
    officer = login(users["officer"])
    for name in OFFICER_PAGES:
        assert officer.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("role", ["other_officer", "nobody", "sysadmin"])
def test_outsiders_get_404_for_this_towns_objects(role: str, users: Any, world: Any, login: Any) -> None:
    client = login(users[role])
    objects = [
        reverse("duties:record", args=[world["record"].pk]),
        reverse("duties:record_amend", args=[world["record"].pk]),
        reverse("duties:person_year", args=[world["mayor"].pk, 2025]),
        reverse("duties:person_year_docx", args=[world["mayor"].pk, 2025]),
        reverse("duties:attachment", args=[world["attachment"].pk]),
        f"/api/duties/records/{world['record'].pk}",
        f"/api/duties/attachments/{world['attachment'].pk}",
        f"/api/duties/people/{world['mayor'].pk}/2025",
        "/api/duties/compliance?town=wushenzhao&year=2025",
        "/api/duties/towns/wushenzhao/behind",
    ]
    for url in objects:
        assert client.get(url).status_code == 404, (role, url)
    assert client.post(reverse("duties:record_amend", args=[world["record"].pk]), {}).status_code == 404


@pytest.mark.parametrize("role", ["nobody", "sysadmin"])
def test_users_without_a_town_see_no_town_pages(role: str, users: Any, world: Any, login: Any) -> None:
    client = login(users[role])
    for url in [reverse("duties:overview"), reverse("duties:record_new"), reverse(OFFICER_PAGES[0])]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("duties:notify:list")).status_code == 200  # their own (empty) bell


def test_another_towns_officer_sees_only_their_town(users: Any, world: Any, login: Any) -> None:
    html = login(users["other_officer"]).get(reverse("duties:records") + "?year=2025").content.decode()
    assert "春季安全生产联合检查" not in html


def test_anonymous_users_are_sent_to_login(client: Any, world: Any) -> None:
    pages = [*_read_pages(world), *_write_pages(world), *(reverse(n) for n in OFFICER_PAGES + OWN_PAGES)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_anonymous_api_calls_are_refused(client: Any, world: Any) -> None:
    for url in [
        "/api/duties/records",
        f"/api/duties/records/{world['record'].pk}",
        "/api/duties/compliance?town=wushenzhao&year=2025",
        "/api/notify/notifications",
    ]:
        assert client.get(url).status_code == 401, url
    assert client.post("/api/duties/records", {}).status_code == 401


def test_the_overview_uses_a_bounded_number_of_queries(
    users: Any, world: Any, login: Any, rec: Any, posts: Any, django_assert_max_num_queries: Any
) -> None:
    import datetime

    client = login(users["officer"])
    client.get(reverse("duties:overview"))
    for i in range(30):
        rec(posts["safety"], "meeting", datetime.date(2025, 1, 1) + datetime.timedelta(days=i * 9))
    for url in [
        reverse("duties:overview") + "?year=2025",
        reverse("duties:heatmap") + "?year=2025",
        reverse("duties:records") + "?year=2025",
        reverse("duties:person_year", args=[world["safety"].pk, 2025]),
    ]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
