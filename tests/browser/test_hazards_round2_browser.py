"""Issue 27 on a 390-px phone, for the roles it concerns: the 安委办 officer who submitted a rectification on a
unit's behalf cannot accept it (and is told who may); a second officer sees what 销号 means and closes it with
their password; an overdue hazard is pressed (催办) and the 催办 shows on its timeline; the report form shows
"使用当前位置" without opening 更多, and the sticky 上报 button never covers the field being typed in; the hazard
list's filters each have a name."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.org import conftest as org_conftest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
register = org_conftest.register
PASSWORD = "Test-pass-123"


def _phone(browser: Any, **extra: Any) -> Any:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, **extra
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url + " scrolls sideways"


def _tall_enough(page: Any, selector: str) -> None:
    height = page.locator(selector).first.bounding_box()["height"]
    assert height >= 44, f"{selector} is {height} px tall"


def _hazard(register: Any, deadline: datetime.date, found: datetime.date) -> Any:
    from yigang.hazards.actions import HazardData, report_hazard
    from yigang.org.models import Sector

    hazard, _ = report_hazard(
        town=register.town,
        data=HazardData(
            sector=Sector.objects.get(town=register.town, name="烟花爆竹"),
            description="仓库灭火器过期",
            address="乌审召嘎查一组",
            found_on=found,
            found_by="其其格",
            source="inspection",
            deadline=deadline,
        ),
        actor=register.officer,
    )
    return hazard


def test_the_submitter_cannot_accept_and_another_officer_closes_with_the_password(
    browser: Any, live_server: Any, register: Any, make_user: Any, settings: Any, tmp_path: Path
) -> None:
    import io

    from tests.hazards.conftest import PNG
    from yigang.hazards import actions
    from yigang.hazards.models import Hazard
    from yigang.towns.models import Role

    settings.MEDIA_ROOT = tmp_path / "uploads"
    make_user("checker", Role.OFFICER, register.town)
    from django.utils import timezone

    today = timezone.localdate()
    hazard = _hazard(register, today + datetime.timedelta(days=5), today)
    actions.start_rectifying(hazard=hazard, actor=register.officer)
    actions.submit(  # the 安委办 on the unit's behalf
        hazard=hazard,
        note="已更换灭火器",
        photos=[actions.Upload(io.BytesIO(PNG), "后.png")],
        actor=register.officer,
    )
    base = live_server.url

    own = _phone(browser)
    _login(own, base, "officer")
    own.goto(f"{base}/hazards/{hazard.pk}/")
    told = own.inner_text("p.separated")
    assert "不能由您验收" in told and "本次提请验收由officer" in told and "checker" in told
    assert own.locator("form.step:has(input[value=accept])").count() == 0
    assert own.locator("form.step:has(input[value=send_back])").count() == 0
    _fits(own)
    own.context.close()

    other = _phone(browser)
    _login(other, base, "checker")
    other.goto(f"{base}/hazards/{hazard.pk}/")
    form = other.locator("form.closing")
    text = form.inner_text()
    assert "销号后：" in text and "不能再退回整改" in text and "将通知：" in text and "按期销号" in text
    _fits(other)
    # A wrong password: refused at its field, nothing changed.
    other.fill("form.closing input[name=secret]", "not-it")
    other.check("form.closing input[name=confirm]")
    other.click("text=确认销号（不可撤回）")
    other.wait_for_selector("text=密码不正确，未销号")
    assert Hazard.objects.get(pk=hazard.pk).status == "submitted"
    other.fill("form.closing textarea[name=note]", "现场复核合格")
    other.fill("form.closing input[name=secret]", PASSWORD)
    other.check("form.closing input[name=confirm]")
    _tall_enough(other, "form.closing label.tap")
    _tall_enough(other, "form.closing button[type=submit]")
    other.click("text=确认销号（不可撤回）")
    other.wait_for_selector("h2:has-text('已销号')")
    assert Hazard.objects.get(pk=hazard.pk).status == "closed"
    _fits(other)
    other.context.close()


def test_an_overdue_hazard_is_pressed_and_the_nudge_is_on_its_timeline(
    browser: Any, live_server: Any, register: Any, make_user: Any
) -> None:
    from yigang.notify.models import Notification
    from yigang.towns.models import Role

    staff = make_user("pingan", Role.BODY_STAFF, register.town, unit=register.units["平安建设办公室"])
    hazard = _hazard(register, datetime.date(2025, 3, 20), datetime.date(2025, 3, 10))
    base = live_server.url
    page = _phone(browser)
    _login(page, base, "officer")
    page.goto(f"{base}/hazards/{hazard.pk}/")
    _fits(page)
    page.fill("#nudge textarea[name=message]", "请本周五前完成整改并提请验收")
    _tall_enough(page, "#nudge button[type=submit]")
    page.click("#nudge button[type=submit]")
    page.wait_for_selector("text=已催办，已通知")
    timeline = page.inner_text("ol.timeline")
    assert "督办催办" in timeline and "请本周五前完成整改并提请验收" in timeline and "pingan" in timeline
    # Once a day: the form gives way to when the next is possible.
    assert "24 小时内只能催办一次" in page.inner_text("#nudge")
    assert page.locator("#nudge form").count() == 0
    _fits(page)
    assert Notification.objects.filter(user=staff, title__startswith="【隐患催办】").count() == 1
    page.context.close()


def test_the_report_form_locates_without_opening_more_and_the_button_covers_no_field(
    browser: Any, live_server: Any, users: dict[str, Any], register: Any
) -> None:
    from yigang.towns.models import Membership

    Membership.objects.filter(user=users["village_staff"]).update(unit=register.units["乌审召嘎查"])
    base = live_server.url
    page = _phone(
        browser, geolocation={"latitude": 39.0123, "longitude": 108.8456}, permissions=["geolocation"]
    )
    _login(page, base, "village")
    page.goto(f"{base}/hazards/new/")
    assert page.locator(".report-form details").get_attribute("open") is None  # 更多 stays folded
    locate = page.locator("#locate")
    assert locate.is_visible() and locate.inner_text() == "使用当前位置"
    _tall_enough(page, "#locate")
    locate.click()
    page.wait_for_selector("#located:has-text('已填入当前位置')")
    assert page.input_value("input[name=latitude]") == "39.012300"
    assert page.input_value("input[name=longitude]") == "108.845600"
    _fits(page)
    # Every field focused from the top, as a thumb taps down the form: none ends under the sticky 上报.
    fields = page.locator(
        ".report-form input:visible, .report-form select:visible, .report-form textarea:visible"
    )
    button = page.locator("button.submit-bottom")
    for i in range(fields.count()):
        field = fields.nth(i)
        if field.get_attribute("type") in ("file", "hidden"):
            continue
        page.evaluate("window.scrollTo(0, 0)")
        field.focus()
        page.wait_for_timeout(100)
        box, cover = field.bounding_box(), button.bounding_box()
        assert box["y"] + box["height"] <= cover["y"] + 1, f"field {i} is under the 上报 button"
    page.context.close()


def test_every_filter_of_the_hazard_list_has_a_name(browser: Any, live_server: Any, register: Any) -> None:
    page = _phone(browser)
    _login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/hazards/")
    nameless = page.evaluate(
        """[...document.querySelectorAll('form.filters select, form.filters input:not([type=hidden])')]
        .filter(el => !(el.labels && el.labels.length && el.labels[0].innerText.trim()) && !el.getAttribute('aria-label'))
        .map(el => el.name)"""
    )
    assert nameless == []
    for label in ("行业领域", "嘎查村（社区）", "等级", "状态", "年度"):
        assert page.get_by_label(label).count() >= 1, label
    _fits(page)
    page.context.close()
