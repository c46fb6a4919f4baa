"""On a 390 px phone the officer reports an accident with no sideways scrolling; the figures draw (ECharts)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.org.conftest import Register, register  # noqa: F401 (the register fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 400


def test_a_phone_reports_an_accident_and_the_figures_draw(
    phone: Any,
    live_server: Any,
    register: Register,  # noqa: F811
) -> None:
    from yigang.accidents.models import Accident

    base = live_server.url
    _login(phone, base, "officer")
    phone.goto(f"{base}/accidents/new/")
    _no_sideways_scroll(phone)
    phone.fill("input[name=occurred_at]", "2025-06-03T14:20")
    phone.fill("input[name=learned_at]", "2025-06-03T14:30")
    phone.fill("input[name=reported_at]", "2025-06-03T15:00")
    phone.fill("input[name=unit_name]", "个体运输户 张某")
    phone.select_option("select[name=sector]", label="道路交通")
    phone.select_option("select[name=kind]", "road_traffic")
    phone.select_option("select[name=village]", label="巴音敖包嘎查")
    phone.fill("input[name=address]", "S215 线 38 公里处")
    phone.fill("textarea[name=course]", "货车与摩托车相撞。")
    phone.fill("input[name=deaths]", "1")
    phone.fill("input[name=direct_loss]", "1.2万")
    phone.fill("input[name=reporter]", "王敏")
    phone.click("main button[type=submit]")
    assert "不能用万元或亿元" in phone.inner_text("main")
    assert not Accident.objects.exists()
    phone.fill("input[name=direct_loss]", "120,000")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/accidents/*/")
    _no_sideways_scroll(phone)
    text = phone.inner_text("main")
    assert "一般事故" in text and "镇长" in text and "确认到场" in text
    phone.goto(f"{base}/accidents/?year=2025")
    _no_sideways_scroll(phone)
    phone.goto(f"{base}/accidents/figures/?year=2025")
    phone.wait_for_selector("#chart-grades[data-ready='1'] canvas")
    _no_sideways_scroll(phone)
