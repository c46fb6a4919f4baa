"""A village secretary reports a hazard one-handed on a 390-px phone with a photo; the pages fit the screen; the
officer's statistics draw their charts."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest

from tests.org import conftest as org_conftest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
register = org_conftest.register

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SHOTS = os.environ.get("YIGANG_SCREENSHOTS")  # a folder to keep screenshots in, for a person to look at


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fits(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} scrolls sideways"


def test_a_phone_reports_a_hazard_with_a_photo(
    phone: Any, live_server: Any, users: dict[str, Any], register: Any, settings: Any, tmp_path: Path
) -> None:
    from yigang.hazards.models import Hazard
    from yigang.towns.models import Membership

    settings.MEDIA_ROOT = tmp_path / "uploads"
    village = register.units["乌审召嘎查"]
    Membership.objects.filter(user=users["village_staff"]).update(unit=village)
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    base = live_server.url
    _login(phone, base, "village")
    phone.goto(f"{base}/hazards/new/")
    _fits(phone, "report-form")
    phone.select_option("select[name=sector]", label="烟花爆竹")
    phone.select_option("select[name=village]", label="乌审召嘎查")
    phone.fill("input[name=address]", "嘎查商店后院")
    phone.fill("textarea[name=description]", "烟花爆竹超量存放")
    phone.set_input_files("input[name=photos]", str(photo))
    phone.fill("input[name=found_by]", "其其格")
    phone.click("button.submit-bottom")
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/after-submit.png", full_page=True)
    phone.wait_for_selector("text=处置过程")
    hazard = Hazard.objects.get()
    assert hazard.owner_unit.name == "平安建设办公室" and hazard.photos.count() == 1
    assert hazard.client_key  # the page's client key came along
    _fits(phone, "detail")
    phone.goto(f"{base}/hazards/")
    _fits(phone, "list")


def test_the_statistics_draw_their_charts(
    page: Any, live_server: Any, users: dict[str, Any], register: Any, settings: Any, tmp_path: Path
) -> None:
    from yigang.hazards.actions import HazardData, report_hazard
    from yigang.org.models import Sector

    settings.MEDIA_ROOT = tmp_path / "uploads"
    from django.utils import timezone

    today = timezone.localdate()
    report_hazard(
        town=register.town,
        data=HazardData(
            sector=Sector.objects.get(town=register.town, name="烟花爆竹"),
            description="仓库灭火器过期",
            address="镇区",
            found_on=today,
            found_by="安委办",
            source="inspection",
            working_days=5,
        ),
        actor=register.officer,
    )
    _login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/hazards/stats/")
    page.wait_for_selector("#chart-quarter[data-ready='1']")
    page.wait_for_selector("#chart-sector[data-ready='1']")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/stats.png", full_page=True)
