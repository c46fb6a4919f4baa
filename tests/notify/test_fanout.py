"""The one fan-out: people in the app and by e-mail, then the town's robots; each key once."""

from __future__ import annotations

from typing import Any

import pytest

from yigang.notify import actions
from yigang.notify.fanout import Note, tell
from yigang.notify.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def test_the_keys_are_those_the_callers_always_made(
    town: Any, users: dict[str, Any], robot_server: Any
) -> None:
    robot = actions.add_robot(
        town=town,
        name="安委会群",
        kind="wecom",
        url=f"{robot_server.url}/cgi-bin/webhook/send?key=k",
        actor=None,
    )
    officer, leader = users["officer"], users["leader"]
    note = Note("accident:1|grade:一般", "主题", "正文", "/accidents/1/", channel_label="channel:")
    outcome = tell(town, [officer, leader, officer], note, robot_header="【事故快报】")
    assert set(Delivery.objects.values_list("key", flat=True)) == {
        "accident:1|grade:一般|channel:in_app|to:officer",
        "accident:1|grade:一般|channel:in_app|to:leader",
        f"accident:1|grade:一般|channel:wecom|to:{robot.pk}",
    }  # no e-mail: the test users have no address
    assert outcome.sent == 3
    assert list(Notification.objects.order_by("id").values_list("user__username", "url")) == [
        ("officer", "/accidents/1/"),
        ("leader", "/accidents/1/"),
    ]
    assert tell(town, [officer, leader], note, robot_header="【事故快报】").sent == 0  # each key once


def test_without_a_robot_header_the_robots_are_not_asked(
    town: Any, users: dict[str, Any], django_assert_num_queries: Any
) -> None:
    note = Note("hazard:1|extension:2|asked", "主题", "正文")
    with django_assert_num_queries(0):
        assert tell(town, [], note).sent == 0
