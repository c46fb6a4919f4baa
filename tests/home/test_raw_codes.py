"""No raw codes on the pages people read (issue 15, point 5): no English enum value, field or model name, event
code or "None" where words belong. Each test reads a page where one was found by walking the demo as each role."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.assessment.conftest import Register, make_data
from tests.browser.guard import UNTRANSLATED

pytestmark = pytest.mark.django_db
# Besides the guard's snake_case, placeholders and None: a model's label (duties.DutyRecord), a lower-case
# English word standing alone (a choice's value such as "leadership"), an article numbered in digits (第5条).
MODEL_LABEL = re.compile(r"\b[a-z]+\.[A-Z]\w+\b")
ENGLISH_WORD = re.compile(r"(?<![\w@./:-])[a-z]{4,}(?![\w@./:-])")
ARABIC_ARTICLE = re.compile(r"第\s*\d+\s*条")


def raw_codes(html: str, allowed: tuple[str, ...] = ()) -> list[str]:
    main = html[html.index("<main") :]
    main = re.sub(r"<(script|style|select)\b.*?</\1>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    found = [*UNTRANSLATED.findall(text), *MODEL_LABEL.findall(text), *ARABIC_ARTICLE.findall(text)]
    found += [w for w in ENGLISH_WORD.findall(text) if w not in allowed]
    return found


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_checker_catches_what_the_walk_found() -> None:
    page = "<main><li>未确认到达事故现场（leadership）</li><td>system</td><td>duties.DutyRecord #5</td>None 第5条</main>"
    assert raw_codes(page, allowed=("system",)) == ["None", "duties.DutyRecord", "第5条", "leadership"]


def test_on_site_task_and_accountability_file_say_the_responsibility_in_words(
    register: Register, users: dict[str, Any]
) -> None:
    import datetime

    from django.utils import timezone

    from yigang.accidents.actions import report_accident
    from yigang.accidents.models import OnSiteTask
    from yigang.towns.actions import link_person

    # Today's accident: a past one's task no longer calls the leader to the scene (accidents.models.ON_SITE_CALL).
    recent = timezone.now() - datetime.timedelta(hours=2)
    accident = report_accident(
        town=register.town, data=make_data(register, deaths=1, occurred_at=recent), actor=register.officer
    )
    task = OnSiteTask.objects.filter(accident=accident, role="leadership").select_related("person").get()
    link_person(person=task.person, user=users["leader"], actor=register.officer)
    home = _client(users["leader"]).get("/").content.decode()
    assert "全面领导：请到场并确认到达" in home
    assert raw_codes(home) == []
    file = _client(users["officer"]).get(f"/assessment/accidents/{accident.pk}/").content.decode()
    assert "未确认到达事故现场（全面领导）" in file
    assert raw_codes(file) == []


def test_an_adjustment_by_the_system_is_not_by_none(register: Register, users: dict[str, Any]) -> None:
    import io

    from yigang.assessment import actions

    rnd = actions.open_round(town=register.town, year=2025, actor=None)
    key = f"unit:{register.units['乌审召嘎查'].pk}"
    from yigang.assessment.demo import _PNG as png  # a real image: uploads must decode (issue 26.3)

    actions.add_adjustment(
        rnd=rnd,
        subject=key,
        points="1",
        reason="旗级表彰",
        upload=io.BytesIO(png),
        filename="表彰.png",
        actor=None,
    )
    page = _client(users["officer"]).get("/assessment/subject/", {"year": 2025, "key": key}).content.decode()
    assert "系统 1.0：旗级表彰" in page
    assert raw_codes(page) == []


def test_the_audit_pages_name_objects_fields_and_the_system_in_words(
    register: Register, users: dict[str, Any]
) -> None:
    from yigang.audit.log import record
    from yigang.audit.models import AuditEntry

    person = register.person("巴图")
    record("org.person.add", actor=None, obj=person, town=register.town, changes={"name": "巴图", "led": [1]})
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.username == "system"  # stored as written: the chain is not rewritten
    auditor = _client(users["auditor"])
    listing = auditor.get("/audit/").content.decode()
    row = listing[listing.index(f'href="/audit/{entry.pk}/"') :]
    row = row[: row.index("</tr>")]
    assert "系统" in row and ("人员" in row or "巴图" in row)
    usernames = tuple(u.username for u in users.values())
    assert raw_codes(listing, allowed=usernames) == []
    detail = auditor.get(f"/audit/{entry.pk}/").content.decode()
    assert "<dt>姓名</dt>" in detail and "<dt>主持或组织的岗位</dt>" in detail
    assert raw_codes(detail, allowed=usernames) == []
    assert auditor.get("/audit/", {"username": "系统"}).context["page"].paginator.count >= 1


def test_a_county_viewer_is_offered_no_link_that_would_refuse_them(
    register: Register, users: dict[str, Any]
) -> None:
    county = _client(users["county_viewer"])
    for url in ("/duties/", "/duties/records/", "/hazards/"):
        page = county.get(url).content.decode()
        for refused in (
            'href="/duties/records/new/"',
            'href="/duties/records/import/"',
            'href="/hazards/new/"',
        ):
            assert refused not in page, f"{url} offers {refused}"
    officer = _client(users["officer"]).get("/hazards/").content.decode()
    assert 'href="/hazards/new/"' in officer
