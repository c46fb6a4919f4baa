"""The officer's path in a real browser: log in, upload, correct a duty inline (htmx), activate, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "yigang" / "regulations" / "data" / "wushenzhao-2022.txt"


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_officer_imports_corrects_activates_and_exports(
    page: Any, live_server: Any, users: dict[str, Any], tmp_path: Path
) -> None:
    from yigang.regulations.models import Regulation

    base = live_server.url
    _login(page, base, "officer")
    page.goto(f"{base}/regulations/import/")
    page.set_input_files("input[type=file]", str(SEED))
    page.click("main button[type=submit]")
    page.wait_for_url("**/review/")
    assert page.locator("table.register tbody tr").count() == 12
    assert "第四条 镇党委书记对本镇安全生产工作负总责" in page.locator(".source pre").inner_text()

    regulation = Regulation.objects.get()
    duty = regulation.duties.get(article__number=8, item__number=2)
    row = page.locator(f"#duty-{duty.pk}")
    row.locator("select[name$=-kind]").select_option("inspection")
    row.locator("button[type=submit]").first.click()
    page.locator(f"#duty-{duty.pk} .saved").wait_for()
    duty.refresh_from_db()
    assert duty.kind == "inspection" and duty.corrected

    page.click("text=审核完毕，启用此版本")
    page.wait_for_url(f"**/regulations/{regulation.pk}/")
    assert page.locator(".duty-mark").count() == 12
    page.goto(f"{base}/regulations/{regulation.pk}/posts/mayor/")
    with page.expect_download() as download:
        page.click("text=导出 Word")
    target = tmp_path / "list.docx"
    download.value.save_as(target)
    assert target.stat().st_size > 5000


def test_a_bad_upload_shows_a_chinese_message(
    page: Any, live_server: Any, users: dict[str, Any], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/regulations/import/")
    page.set_input_files("input[type=file]", str(empty))
    page.click("main button[type=submit]")
    assert "文件为空" in page.locator("main").inner_text()


def test_the_register_reads_on_a_phone(
    phone: Any, live_server: Any, users: dict[str, Any], regulation: Any, tmp_path: Path
) -> None:
    _login(phone, live_server.url, "village")
    phone.goto(f"{live_server.url}/regulations/{regulation.pk}/")
    assert phone.locator("h4", has_text="第十三条").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling on a phone
    phone.screenshot(path=str(tmp_path / "phone.png"))
