"""A village secretary records an inspection on a phone with a photo; the officer sees the heatmap."""

from __future__ import annotations

import base64
import datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def town_setup(town: Any, users: dict[str, Any], seed_bytes: bytes, settings: Any, tmp_path: Path) -> Any:
    from yigang.org import actions
    from yigang.regulations import actions as reg_actions
    from yigang.towns.models import Membership

    settings.MEDIA_ROOT = tmp_path / "uploads"
    reg = reg_actions.import_regulation(town=town, data=seed_bytes, filename="s.txt", actor=None)
    reg_actions.activate_regulation(regulation=reg, actor=None, effective_from=datetime.date(2022, 1, 1))
    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    safety = actions.add_post(unit=gov, title="分管安全生产副镇长", kind="safety_deputy", actor=None)
    village = actions.add_unit(town=town, name="乌审召嘎查", kind="village", actor=None)
    actions.add_post(unit=village, title="乌审召嘎查党支部书记", kind="village_secretary", actor=None)
    person = actions.add_person(town=town, name="李强", actor=None)
    actions.appoint(post=safety, person=person, start=datetime.date(2020, 1, 1), actor=None)
    Membership.objects.filter(user=users["village_staff"]).update(unit=village)
    return safety


def test_a_phone_records_an_inspection_with_a_photo(
    phone: Any, live_server: Any, users: dict[str, Any], town_setup: Any, tmp_path: Path
) -> None:
    from yigang.duties.models import DutyRecord

    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    base = live_server.url
    _login(phone, base, "village")
    phone.goto(f"{base}/duties/records/new/")
    phone.select_option("select[name=kind]", "inspection")
    phone.fill("input[name=date]", "2025-03-18")
    phone.fill("input[name=title]", "春季安全隐患排查")
    phone.fill("input[name=place]", "嘎查加油站")
    phone.check("text=乌审召嘎查党支部书记")
    phone.fill("textarea[name=summary]", "检查消防器材，现场整改两处。")
    phone.set_input_files("input[name=attachments]", str(photo))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling on a 390 px phone
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/duties/records/*/")
    assert "春季安全隐患排查" in phone.inner_text("main")
    assert phone.locator(".thumbs img").count() == 1
    record = DutyRecord.objects.get()
    assert record.occurred_on == datetime.date(2025, 3, 18) and record.attachments.count() == 1
    assert (
        phone.locator("a[href$='/amend/']").count() == 1
        and phone.locator("button:has-text('删除'), a:has-text('删除')").count() == 0
    )


def test_the_heatmap_draws(page: Any, live_server: Any, users: dict[str, Any], town_setup: Any) -> None:
    base = live_server.url
    _login(page, base, "officer")
    page.goto(f"{base}/duties/heatmap/?year=2025")
    page.wait_for_selector("#heatmap[data-ready='1'] canvas")
    assert page.locator("#heatmap canvas").count() >= 1


def test_the_heatmap_tooltip_shows_names_as_text(
    page: Any, live_server: Any, users: dict[str, Any], town_setup: Any
) -> None:
    from yigang.org.models import Post

    hostile = '<b id="injected">粗体</b><img src=x>'
    Post.objects.filter(pk=town_setup.pk).update(title=f"{hostile}分管安全生产副镇长")
    base = live_server.url
    _login(page, base, "officer")
    page.goto(f"{base}/duties/heatmap/?year=2025")
    page.wait_for_selector("#heatmap[data-ready='1'] canvas")
    page.evaluate(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('heatmap'));"
        " c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0}); }"
    )
    tooltip = page.locator("#heatmap div").filter(has_text="分管安全生产副镇长").last
    tooltip.wait_for()
    assert page.locator("#injected").count() == 0
    assert hostile in tooltip.inner_text()
