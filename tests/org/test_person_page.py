"""A person's page: current and past posts, the personal duty list, and the period each frequency duty runs in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from yigang.org import actions
from yigang.org.due import window
from yigang.org.models import Tenure
from yigang.org.profile import build_profile

from .conftest import MAYOR_CHANGE, Register

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_profile_splits_current_and_past_posts_and_builds_the_duty_list(register: Register) -> None:
    person = register.person("张建华")  # mayor until 2024-03-31
    gov_deputy = register.posts["副镇长"]
    tenure = Tenure.objects.get(post=gov_deputy)
    actions.end_tenure(tenure=tenure, end=MAYOR_CHANGE - datetime.timedelta(days=1), actor=None)
    actions.appoint(post=gov_deputy, person=person, start=MAYOR_CHANGE, actor=None)

    profile = build_profile(person, D(2024, 5, 15))
    assert [h.post.title for h in profile.current] == ["副镇长"]
    assert [(h.post.title, h.level) for h in profile.past] == [("镇长", "第一责任人")]
    assert profile.past[0].regulation == register_regulation(register)
    assert [d.post for d in profile.duty_lists] == ["other_deputy"]
    assert profile.duty_lists[0].lines  # Art. 10 of the seed, item by item
    # Art. 10 item 2: an inspection at least once a month: the window is May 2024.
    assert [(d.duty.frequency_label, d.window.start, d.window.end, d.days_left) for d in profile.due] == [
        ("每月至少1次", D(2024, 5, 1), D(2024, 5, 31), 17)
    ]
    in_charge = {p.unit.name for p in profile.portfolios}
    assert "乡村振兴办公室" in in_charge and "平安建设办公室" not in in_charge  # the seat's portfolios


def register_regulation(reg: Register) -> Any:
    from yigang.regulations.models import Regulation

    return Regulation.objects.get(town=reg.town)


def test_the_page_shows_posts_duties_and_what_is_due(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users["village_staff"])
    page = client.get(reverse("org:person", args=[register.person("巴图").pk])).content.decode()
    assert "镇长" in page and "第一责任人" in page
    assert "每年至少4次" in page  # Art. 5 of the seed
    assert "完成情况以履职记录为准" in page  # counts come from duty records, never invented here
    past = client.get(reverse("org:person", args=[register.person("张建华").pk])).content.decode()
    reg = register_regulation(register)
    assert reverse("regulations:duty_list", args=[reg.pk, "mayor"]) in past
    assert "2024-03-31" in past


@pytest.mark.parametrize(
    ("period", "day", "start", "end"),
    [
        ("week", D(2024, 6, 6), D(2024, 6, 3), D(2024, 6, 9)),  # Thursday → Monday..Sunday
        ("week", D(2024, 6, 3), D(2024, 6, 3), D(2024, 6, 9)),
        ("month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),
        ("month", D(2023, 2, 10), D(2023, 2, 1), D(2023, 2, 28)),
        ("quarter", D(2024, 5, 15), D(2024, 4, 1), D(2024, 6, 30)),
        ("quarter", D(2024, 12, 31), D(2024, 10, 1), D(2024, 12, 31)),
        ("half_year", D(2024, 6, 30), D(2024, 1, 1), D(2024, 6, 30)),
        ("half_year", D(2024, 7, 1), D(2024, 7, 1), D(2024, 12, 31)),
        ("year", D(2024, 7, 1), D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_period_windows(period: str, day: datetime.date, start: datetime.date, end: datetime.date) -> None:
    w = window(period, day)
    assert (w.start, w.end) == (start, end)
    assert w.days_left(end) == 1


def test_window_labels() -> None:
    assert window("quarter", D(2024, 5, 1)).label == "2024年第2季度"
    assert window("half_year", D(2024, 9, 1)).label == "2024年下半年"
    assert window("month", D(2024, 9, 1)).label == "2024年9月"
    with pytest.raises(ValueError, match="unknown period"):
        window("fortnight", D(2024, 9, 1))
