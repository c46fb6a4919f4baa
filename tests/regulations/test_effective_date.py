"""A regulation put in force without a date takes effect on the day its text names (自…起施行)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.regulations import actions

pytestmark = pytest.mark.django_db

TEXT = "某镇安全生产责任制度\n2022年8月4日\n第一条 镇长每月至少组织检查1次。\n第二条 本制度自二〇二二年九月一日起施行。"


def test_it_takes_effect_on_the_stated_day(town: Any) -> None:
    reg = actions.import_regulation(town=town, data=TEXT.encode(), filename="r.txt", actor=None)
    assert (reg.issued_on, reg.stated_effective_from) == (
        datetime.date(2022, 8, 4),
        datetime.date(2022, 9, 1),
    )
    actions.activate_regulation(regulation=reg, actor=None)
    reg.refresh_from_db()
    assert reg.effective_from == datetime.date(2022, 9, 1)


def test_a_date_given_on_activation_wins(town: Any) -> None:
    reg = actions.import_regulation(town=town, data=TEXT.encode(), filename="r.txt", actor=None)
    actions.activate_regulation(regulation=reg, actor=None, effective_from=datetime.date(2022, 10, 1))
    reg.refresh_from_db()
    assert reg.effective_from == datetime.date(2022, 10, 1)


def test_without_a_stated_day_the_issue_date_stands(town: Any) -> None:
    text = TEXT.replace("第二条 本制度自二〇二二年九月一日起施行。", "第二条 本制度由镇应急办解释。")
    reg = actions.import_regulation(town=town, data=text.encode(), filename="r.txt", actor=None)
    actions.activate_regulation(regulation=reg, actor=None)
    reg.refresh_from_db()
    assert reg.effective_from == datetime.date(2022, 8, 4)
