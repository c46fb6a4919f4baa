"""403, 404 and 500 pages in Chinese inside the layout; the audit list in words, filtered by a Chinese dropdown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings: Any) -> None:
    settings.DEBUG = False


def test_404_is_chinese_inside_the_layout_with_a_way_back(client: Any, users: Any, production: None) -> None:
    client.force_login(users["officer"])
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "无权查看或不存在" in page and f'href="{reverse("home")}"' in page and "site-header" in page


def test_403_is_chinese_inside_the_layout(client: Any, town: Any, users: Any, production: None) -> None:
    client.force_login(users["county_viewer"])
    response = client.post(reverse("signoff:distribute"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权操作" in page and "返回首页" in page and "site-header" in page


def test_500_page_renders_without_a_request_context() -> None:
    from django.template import loader

    page = loader.get_template("500.html").render({})
    assert "系统出错" in page and "返回首页" in page


def test_every_audited_event_has_chinese_words() -> None:
    from yigang.audit.events import LABELS

    source = "\n".join(p.read_text("utf-8") for p in Path("yigang").rglob("*.py"))
    used = set(re.findall(r'(?:record|audit)\(\s*"([a-z_]+\.[a-z_.]+)"', source))
    assert used and used <= set(LABELS), sorted(used - set(LABELS))


def test_audit_list_filters_by_chinese_event_and_explains_gaps(
    town: Any, other_town: Any, users: Any, make_user: Any
) -> None:
    from yigang.audit.log import record
    from yigang.towns.models import Role

    auditor = make_user("auditor2", Role.AUDITOR, town)
    # The objects (甲, 丙) are business content: the auditor reads them only once the town opens it (三员分立).
    town.audit_shows_content = True
    town.save(update_fields=["audit_shows_content"])
    record("hazards.report", town=town, object_repr="甲")
    record("hazards.report", town=other_town, object_repr="乙")  # not the auditor's town
    record("hazards.close", town=town, object_repr="丙")
    client = Client()
    client.force_login(auditor)
    page = client.get(reverse("audit:list")).content.decode()
    assert "隐患：上报" in page and "hazards.report" not in page.split("<tbody>")[1]
    assert "不在您的审计范围内" in page
    assert '<option value="hazards.report">隐患：上报</option>' in page
    filtered = client.get(reverse("audit:list"), {"event": "hazards.close"}).content.decode()
    body = filtered.split("<tbody>")[1]
    assert "丙" in body and "甲" not in body and "不在您的审计范围内" not in body


def test_article_numbers_read_as_the_regulation_writes_them() -> None:
    from yigang.towns.templatetags.words import chinese_number

    assert chinese_number(5) == "五" and chinese_number(12) == "十二" and chinese_number("x") == "x"
