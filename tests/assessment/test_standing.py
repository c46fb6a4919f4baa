"""The assessment's standing: on the 安委办's home (not started, draft, published) and starting a round."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from yigang.accidents.actions import report_accident
from yigang.assessment import actions
from yigang.assessment.models import Round
from yigang.assessment.results import results
from yigang.assessment.standing import due_year, for_home, of_results
from yigang.audit.models import AuditEntry
from yigang.org.models import Unit

from .conftest import Register, make_data

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_due_year_is_last_year_until_december() -> None:
    assert due_year(D(2026, 1, 5)) == 2025
    assert due_year(D(2026, 11, 30)) == 2025
    assert due_year(D(2026, 12, 1)) == 2026


def test_figures_of_results_worked_by_hand() -> None:
    data = {
        "units": [
            {"grade": "优秀", "score": "92.0", "vetoed": False},
            {"grade": "不合格", "score": "55.5", "vetoed": True},
            {"grade": "良好", "score": "81.0", "vetoed": False},
        ],
        "persons": [{"grade": "不合格", "score": "70.0", "vetoed": True}, {"grade": "合格", "vetoed": False}],
    }
    s = of_results(data, year=2025, published=True)
    assert (s.units, s.persons, s.vetoed_units, s.vetoed_persons, s.vetoed) == (3, 2, 1, 1, 2)
    assert s.grades == [("优秀", 1), ("良好", 1), ("合格", 0), ("不合格", 1)]
    assert s.average == Decimal("76.2")  # (92 + 55.5 + 81) / 3 = 76.17, to one decimal
    assert of_results({"units": [], "persons": []}, year=2025, published=False).average is None


def test_home_says_not_started_never_zero(
    register: Register, users: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr("yigang.assessment.standing.due_year", lambda today: 2025)
    page = _client(users["officer"]).get("/").content.decode()
    card = page[page.index("年度考核</header>") :][:800]
    assert "2025 年度考核未开展" in card
    assert 'href="/assessment/?year=2025">开展年度考核</a>' in card
    assert "个单位已评分" not in card and "一票否决" not in card  # no zeros that read as an all-clear
    assert for_home(register.town, D(2026, 6, 1)) == (2025, None)


def test_home_shows_the_draft_then_the_published_round(
    register: Register, users: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr("yigang.assessment.standing.due_year", lambda today: 2025)
    report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    rnd = actions.open_round(town=register.town, year=2025, actor=register.officer)
    _year, draft = for_home(register.town, D(2026, 6, 1))
    assert draft is not None and not draft.published
    # The fatal accident vetoes its territory and the bodies supervising 道路交通 (test_round.py): as its page says.
    data = results(register.town, 2025)
    assert draft.vetoed_units == sum(u["vetoed"] for u in data["units"]) >= 2
    assert draft.vetoed_persons == sum(p["vetoed"] for p in data["persons"]) >= 1
    assert draft.units == Unit.objects.filter(town=register.town, kind__in=("body", "village")).count()
    page = _client(users["officer"]).get("/").content.decode()
    card = page[page.index("年度考核</header>") :][:1200]
    assert f'<strong class="figure">{draft.units}</strong> 个单位已评分' in card
    assert "2025 年度 · 未发布（按当前数据即时计算）" in card
    assert f"一票否决 {draft.vetoed} 个（单位 {draft.vetoed_units}、镇领导 {draft.vetoed_persons}）" in card
    assert "人工调整 0 项" in card
    actions.publish(rnd=rnd, actor=register.officer, secret=PASSWORD)
    page = _client(users["officer"]).get("/").content.decode()
    card = page[page.index("年度考核</header>") :][:1200]
    assert "2025 年度 · 已发布（" in card and "人工调整" not in card
    assert f'<strong class="figure">{draft.units}</strong>' in card


def test_only_the_officer_starts_a_round(register: Register, users: dict[str, Any]) -> None:
    assert _client(users["leader"]).post("/assessment/open/", {"year": 2025}).status_code == 403
    assert _client(users["county_viewer"]).post("/assessment/open/", {"year": 2025}).status_code in (403, 404)
    assert _client(users["body_staff"]).post("/assessment/open/", {"year": 2025}).status_code in (403, 404)
    assert _client(users["officer"]).get("/assessment/open/").status_code == 405
    assert not Round.objects.exists()
    leader_page = _client(users["leader"]).get("/assessment/?year=2025").content.decode()
    assert "/assessment/open/" not in leader_page
    officer = _client(users["officer"])
    page = officer.get("/assessment/?year=2025").content.decode()
    assert "2025 年度考核尚未开展" in page and 'action="/assessment/open/"' in page
    # Without ticking the confirmation nothing is opened.
    assert officer.post("/assessment/open/", {"year": 2025})["Location"] == "/assessment/?year=2025"
    assert not Round.objects.exists()
    confirmed = {"year": 2025, "confirm": "1"}
    assert officer.post("/assessment/open/", confirmed)["Location"] == "/assessment/?year=2025"
    assert officer.post("/assessment/open/", confirmed).status_code == 302  # twice: still one round
    assert Round.objects.filter(town=register.town, year=2025).count() == 1
    assert AuditEntry.objects.filter(event="assessment.open").count() == 1
    page = officer.get("/assessment/?year=2025").content.decode()
    assert "尚未开展" not in page and 'action="/assessment/open/"' not in page
