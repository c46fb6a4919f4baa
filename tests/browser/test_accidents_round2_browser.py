"""Issue 27 on a 390 px phone, for the 安委办: the officer who confirmed an arrival is told why they cannot check
it and another officer checks it; 结案 shows what follows and asks for the password; 下发 shows what follows and
asks for the password; 提醒未签收人员 reminds and says how many and when. No sideways scrolling; the acting
buttons are at least 44 px tall."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.org.conftest import Register, register  # noqa: F401 (the register fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 400


def _tall(page: Any, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["height"] >= 44, f"{selector}: {box}"


def test_the_confirmer_cannot_check_and_closing_asks_for_the_password(
    phone: Any,
    live_server: Any,
    register: Register,  # noqa: F811
    make_user: Any,
) -> None:
    from tests.accidents.conftest import make_data
    from yigang.accidents import actions
    from yigang.accidents.models import Closure, OnSiteTask
    from yigang.towns.models import Role

    officer = register.officer
    make_user("officer2", Role.OFFICER, register.town)
    occurred = timezone.now() - datetime.timedelta(hours=3)
    accident = actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=occurred), actor=officer
    )
    task = OnSiteTask.objects.get(accident=accident, role="leadership")
    actions.confirm_arrival(task=task, arrived_at=occurred + datetime.timedelta(minutes=40), actor=officer)
    actions.submit_investigation(accident=accident, submitted_on=timezone.localdate(), actor=officer)
    base = live_server.url
    url = f"{base}/accidents/{accident.pk}/"

    _login(phone, base, "officer")
    phone.goto(url)
    _fits(phone)
    text = phone.inner_text("main")
    assert "到场由您本人确认，不能再由您核实" in text
    assert "调查报告由您登记，不能再由您结案" in text
    assert phone.locator(f"form[action$='/tasks/{task.pk}/verify/']").count() == 0
    assert phone.locator("form.close-accident").count() == 0
    # The other tasks' arrival inputs each have their own label.
    for field in phone.locator("form.arrive input[name=arrived_at]").all():
        assert phone.locator(f"label[for='{field.get_attribute('id')}']").count() == 1

    _login(phone, base, "officer2")
    phone.goto(url)
    _tall(phone, "form.verify-arrival button")
    phone.click("form.verify-arrival button")
    phone.wait_for_url(url)
    assert "已核实到场" in phone.inner_text("main")
    close = phone.locator("form.close-accident")
    assert "结案后：事故报告不能再变更或补报" in close.inner_text()
    close.locator("input[name=secret]").fill("wrong-password")
    close.locator("input[name=confirm]").check()
    close.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    assert "密码不正确，未结案" in phone.inner_text("main")
    assert not Closure.objects.filter(accident=accident).exists()
    close = phone.locator("form.close-accident")
    close.locator("input[name=secret]").fill(PASSWORD)
    close.locator("input[name=confirm]").check()
    _tall(phone, "form.close-accident button[type=submit]")
    close.locator("button[type=submit]").click()
    phone.wait_for_url(url)
    _fits(phone)
    text = phone.inner_text("main")
    assert "已结案" in text and "未确认到场（已结案）" in text
    assert Closure.objects.get(accident=accident).created_by.username == "officer2"


def test_distributing_asks_for_the_password_and_the_nudge_says_how_many(
    phone: Any,
    live_server: Any,
    register: Register,  # noqa: F811
    users: dict[str, Any],
) -> None:
    from yigang.audit.models import AuditEntry
    from yigang.signoff.models import Task
    from yigang.towns.actions import link_person

    link_person(person=register.person("巴图"), user=users["leader"], actor=register.officer)
    base = live_server.url
    _login(phone, base, "officer")
    phone.goto(f"{base}/signoff/")
    _fits(phone)
    phone.click("main a[href$='/signoff/distribute/']")
    phone.wait_for_url("**/signoff/distribute/")
    _fits(phone)
    text = phone.inner_text("main")
    assert "下发后" in text and "巴图" in text
    phone.fill("input[name=secret]", "wrong-password")
    phone.check("input[name=confirm]")
    phone.click("form.distribute-confirm button[type=submit]")
    phone.wait_for_load_state()
    assert "密码不正确，未下发" in phone.inner_text("main") and not Task.objects.exists()
    phone.fill("input[name=secret]", PASSWORD)
    phone.check("input[name=confirm]")
    phone.click("form.distribute-confirm button[type=submit]")
    phone.wait_for_url(f"{base}/signoff/")
    assert "已下发" in phone.inner_text("main") and Task.objects.exists()

    button = "main form[action$='/signoff/nudge/'] button"
    _tall(phone, button)
    phone.click(button)
    phone.wait_for_url(f"{base}/signoff/")
    _fits(phone)
    at = timezone.localtime(AuditEntry.objects.filter(event="signoff.nudge").latest("at").at)
    text = phone.inner_text("main")
    # Only 巴图 has an account among the holders still missing: one person reminded.
    assert f"已于 {at:%Y-%m-%d %H:%M} 提醒 1 名未签收人员" in text
    assert f"上次提醒 {at:%Y-%m-%d %H:%M}，提醒 1 人" in text
    phone.click(button)
    phone.wait_for_url(f"{base}/signoff/")
    assert "24 小时内只能提醒一次" in phone.inner_text("main")
