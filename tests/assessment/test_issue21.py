"""Issue 21, the year-end assessment: a closed year judged whole, no record is not full marks, 不适用 with a
reason, the town's versioned 考核办法 with a 先进 ceiling and tie decisions, publishing with the password."""

from __future__ import annotations

import copy
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.duties.conftest import rec  # noqa: F401 (fixture)
from yigang.assessment import actions, exports
from yigang.assessment.models import NotApplicable, Round, Scheme, TieDecision
from yigang.assessment.results import _advanced, compute, quota_of, results
from yigang.assessment.scoring import DEFAULT_RULES, validate
from yigang.audit.models import AuditEntry

from .conftest import Register

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2025, 12, 31)


def _person(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in data["persons"] if p["person"] == name)


def _item(row: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for i in row["items"] if i["key"] == key)


@pytest.fixture
def mayor(
    register: Register,
    rec: Any,  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> Register:
    """The mayor's 2025: 4 meetings owed (每年至少4次), 3 held; 4 inspections owed, 4 made (the last on 12-31)."""
    settings.MEDIA_ROOT = tmp_path
    post = register.posts["镇长"]
    for day in (D(2025, 3, 1), D(2025, 6, 1), D(2025, 9, 1)):
        rec(post, "meeting", day)
    for day in (D(2025, 2, 1), D(2025, 5, 1), D(2025, 8, 1), D(2025, 12, 31)):
        rec(post, "inspection", day, title="安全生产检查")
    return register


def test_a_closed_year_is_judged_whole(mayor: Register) -> None:
    data = compute(mayor.town, 2025, as_of=AS_OF)
    assert data["provisional"] is False
    duty = _item(_person(data, "巴图"), "duty_compliance")
    # Both yearly periods end on the cut-off day and count as ended: meetings 应4 完成3, inspections 应4 完成4.
    # (3 + 4) / (4 + 4) × 40 = 35.0 (before issue 21 the meeting row dropped out "at risk": 应4 完成4 → 40.0).
    assert duty["figures"] == {"required": 8, "done": 7, "open": 0}
    assert duty["points"] == "35.0" and not duty["no_record"]
    # The CLI carries the item with its rule, figures and points.
    out = io.StringIO()
    call_command("assess", "--town", mayor.town.code, "--year", "2025", "--json", stdout=out)
    cli = json.loads(out.getvalue())
    item = _item(_person(cli, "巴图"), "duty_compliance")
    assert item["figures"]["required"] == 8 and item["figures"]["done"] == 7 and item["points"] == 35.0
    assert "无记录时得 0.0 分" in item["rule"]


def test_before_the_year_ends_it_is_provisional_and_lists_open_periods(mayor: Register) -> None:
    data = compute(mayor.town, 2025, as_of=AS_OF, today=AS_OF)  # run on 2025-12-31, the year not yet over
    assert data["provisional"] is True
    duty = _item(_person(data, "巴图"), "duty_compliance")
    # Both yearly periods still run on 12-31: listed as open, not counted.
    assert duty["figures"] == {"required": 0, "done": 0, "open": 2}
    assert len(duty["open"]) == 2 and "尚未结束" in duty["open"][0]["label"]


def test_a_provisional_round_cannot_be_published(register: Register) -> None:
    year = timezone.localdate().year
    rnd = actions.open_round(town=register.town, year=year, actor=register.officer)
    with pytest.raises(ValidationError) as err:
        actions.publish(rnd=rnd, actor=register.officer, secret=PASSWORD)
    assert "尚未结束" in err.value.messages[0]
    assert not Round.objects.filter(published=True).exists()
    assert results(register.town, year)["provisional"] is True


def test_no_record_is_not_full_marks_and_not_applicable_needs_a_reason(mayor: Register) -> None:
    officer = mayor.officer
    mayor_row = _person(compute(mayor.town, 2025, as_of=AS_OF), "巴图")
    # No hazard due, no target letter, no training: each gives 0 under the default scheme.
    for key in ("hazards_on_time", "target_items", "trainings"):
        assert _item(mayor_row, key)["no_record"] and _item(mayor_row, key)["points"] == "0.0"
    assert mayor_row["score"] == "35.0"  # 35.0 + 0 + 0 + 0
    rnd = actions.open_round(town=mayor.town, year=2025, actor=officer)
    key = mayor_row["key"]
    with pytest.raises(ValidationError) as err:
        actions.mark_not_applicable(rnd=rnd, subject=key, item="hazards_on_time", reason="  ", actor=officer)
    assert "理由" in err.value.messages[0]
    assert not NotApplicable.objects.exists()
    actions.mark_not_applicable(
        rnd=rnd, subject=key, item="hazards_on_time", reason="无分管行业", actor=officer
    )
    actions.mark_not_applicable(rnd=rnd, subject=key, item="target_items", reason="镇长为甲方", actor=officer)
    assert AuditEntry.objects.filter(event="assessment.not_applicable").count() == 2
    row = _person(results(mayor.town, 2025, as_of=AS_OF), "巴图")
    # Applicable: 履职 40 + 培训 15 = 55; earned 35.0 + 0 = 35.0; scaled 35.0 × 100 / 55 = 63.636… → 63.6.
    assert row["scaled"] == {"earned": "35.0", "applicable": "55", "full": "100", "total": "63.6"}
    assert row["score"] == "63.6"
    assert _item(row, "hazards_on_time")["points"] is None
    assert row["no_record_items"] == ["安全生产培训宣传次数"]
    # The 通报 says which items were scored on no record and which were not applicable, and why.
    from docx import Document

    text = "\n".join(
        p.text for p in Document(io.BytesIO(exports.notice_docx(results(mayor.town, 2025)))).paragraphs
    )
    assert "巴图（镇长）：无记录计分：安全生产培训宣传次数" in text and "不适用（无分管行业）" in text
    # Withdrawing needs a reason too, and keeps the marking.
    marking = NotApplicable.objects.filter(item="target_items").get()
    with pytest.raises(ValidationError):
        actions.withdraw_not_applicable(marking=marking, reason="", actor=officer)
    actions.withdraw_not_applicable(marking=marking, reason="标注有误", actor=officer)
    assert NotApplicable.objects.count() == 2


def test_the_town_rules_are_versioned_and_checked(register: Register) -> None:
    officer = register.officer
    for share in (120, -5):
        rules = copy.deepcopy(DEFAULT_RULES)
        rules["advanced_share"] = share
        with pytest.raises(ValidationError) as err:
            actions.save_scheme(town=register.town, year=2025, title="", rules=rules, actor=officer)
        assert "先进名额比例须在 0% 到 100% 之间" in " ".join(err.value.messages)
    assert not Scheme.objects.exists()
    no_rule = copy.deepcopy(DEFAULT_RULES)
    del no_rule["indicators"][1]["no_record"]
    with pytest.raises(ValidationError):
        validate(no_rule)
    first = actions.save_scheme(town=register.town, year=2025, title="", rules=DEFAULT_RULES, actor=officer)
    second = actions.save_scheme(town=register.town, year=2025, title="", rules=DEFAULT_RULES, actor=officer)
    assert (first.version, second.version) == (1, 2)
    data = results(register.town, 2025, as_of=AS_OF)
    assert data["scheme"]["version"] == 2 and data["units"][0]["scheme_version"] == 2


def _rows(scores: list[str]) -> list[dict[str, Any]]:
    return [
        {"key": f"unit:{n}", "name": f"单位{n:02}", "score": s, "eligible": True, "vetoed": False}
        for n, s in enumerate(scores)
    ]


def test_a_five_way_tie_does_not_make_five_of_22() -> None:
    # 22 units, at most a fifth: 22 × 20 % = 4.4 → 4 seats (a ceiling). Five share the top score 98.0.
    assert quota_of(22, 20) == 4
    rows = _rows(["98.0"] * 5 + ["91.0"] * 17)
    tie = _advanced(rows, 20, "units", [])
    assert tie is not None and tie["seats"] == 4 and len(tie["keys"]) == 5
    assert sum(r["advanced"] for r in rows) == 0  # none named until the 安委办 decides
    # Two above the line, three tied at 95.0 for the 2 seats left.
    rows = _rows(["99.0", "98.0", "95.0", "95.0", "95.0"] + ["80.0"] * 17)
    tie = _advanced(rows, 20, "units", [])
    assert tie is not None and tie["seats"] == 2 and [r["advanced"] for r in rows[:2]] == [True, True]
    # No tie on the line: exactly 4.
    rows = _rows(["99.0", "98.0", "97.0", "96.0", "95.0"] + ["80.0"] * 17)
    assert _advanced(rows, 20, "units", []) is None and sum(r["advanced"] for r in rows) == 4


def test_a_tie_is_decided_by_the_office_with_a_reason(register: Register) -> None:
    officer = register.officer
    rules = copy.deepcopy(DEFAULT_RULES)
    for i in rules["indicators"]:
        i["no_record"] = i["weight"]  # a town that gives full marks on no record: everyone ties at 100
    actions.save_scheme(town=register.town, year=2025, title="", rules=rules, actor=officer)
    rnd = actions.open_round(town=register.town, year=2025, actor=officer)
    data = results(register.town, 2025)
    tie = data["ties"]["units"]
    n = len(data["units"])
    assert tie["seats"] == n * 20 // 100 and not any(u["advanced"] for u in data["units"])
    with pytest.raises(ValidationError) as err:
        actions.publish(rnd=rnd, actor=officer, secret=PASSWORD)
    assert "并列" in err.value.messages[0]
    too_many = tie["keys"][: tie["seats"] + 1]
    with pytest.raises(ValidationError) as err:
        actions.decide_tie(rnd=rnd, group="units", chosen=too_many, reason="综合评议", actor=officer)
    assert "上限" in err.value.messages[0]
    with pytest.raises(ValidationError):
        actions.decide_tie(rnd=rnd, group="units", chosen=tie["keys"][:1], reason="", actor=officer)
    assert not TieDecision.objects.exists()
    actions.decide_tie(
        rnd=rnd, group="units", chosen=tie["keys"][: tie["seats"]], reason="综合评议", actor=officer
    )
    data = results(register.town, 2025)
    assert sum(u["advanced"] for u in data["units"]) == tie["seats"]
    assert data["ties"]["units"]["decision"]["reason"] == "综合评议"


def test_publishing_asks_for_the_password_and_the_notice_is_ready(register: Register) -> None:
    officer = register.officer
    from tests.accidents.conftest import make_data
    from yigang.accidents.actions import report_accident

    report_accident(town=register.town, data=make_data(register, deaths=1), actor=officer)
    rnd = actions.open_round(town=register.town, year=2025, actor=officer)
    for secret in ("", "wrong-password"):
        with pytest.raises(ValidationError):
            actions.publish(rnd=rnd, actor=officer, secret=secret)
    assert not Round.objects.get(pk=rnd.pk).published
    assert AuditEntry.objects.filter(event="assessment.publish", success=False).count() == 2
    with pytest.raises(ValidationError):
        actions.publish(rnd=rnd, actor=officer, secret=PASSWORD, doc_date=D(2025, 12, 30))
    done = actions.publish(
        rnd=rnd,
        actor=officer,
        secret=PASSWORD,
        doc_number="乌审召镇安委办发〔2026〕1号",
        doc_date=D(2026, 1, 5),
    )
    entry = AuditEntry.objects.get(event="assessment.publish", success=True)
    assert (
        entry.changes["method"] == "password" and entry.changes["doc_number"] == "乌审召镇安委办发〔2026〕1号"
    )
    data = results(register.town, 2025)
    meta = {"doc_number": done.doc_number, "doc_date": done.doc_date}
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(exports.notice_docx(data, meta))).paragraphs)
    assert "乌审召镇安委办发〔2026〕1号" in text and "2026年1月5日" in text
    assert "镇领导：乌力吉（镇党委书记）" in text  # vetoed leaders are listed, not only units
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exports.notice_xlsx(data, meta)))["单位"]
    assert all(
        isinstance(sheet.cell(row=r, column=3).value, int | float) for r in range(3, sheet.max_row + 1)
    )
    assert Decimal(str(sheet.cell(row=3, column=3).value)) == Decimal(data["units"][0]["score"])


def test_a_notice_dated_after_today_or_within_its_year_cannot_be_published(register: Register) -> None:
    # 成文日期 that cannot be (issue 22.5): tomorrow, or a day of the year being judged; nothing published.
    officer = register.officer
    rnd = actions.open_round(town=register.town, year=2025, actor=officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="成文日期不能晚于今天"):
        actions.publish(rnd=rnd, actor=officer, secret=PASSWORD, doc_date=tomorrow)
    with pytest.raises(ValidationError, match="成文日期须在 2025年度结束之后"):
        actions.publish(rnd=rnd, actor=officer, secret=PASSWORD, doc_date=D(2025, 12, 31))
    assert not Round.objects.get(pk=rnd.pk).published


def test_the_publish_page_refuses_a_notice_dated_after_today(register: Register) -> None:
    from django.test import Client
    from django.urls import reverse

    officer = register.officer
    actions.open_round(town=register.town, year=2025, actor=officer)
    client = Client()
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(
        reverse("assessment:publish"),
        {"year": "2025", "confirm": "1", "secret": PASSWORD, "doc_date": tomorrow.isoformat()},
        follow=True,
    )
    assert "成文日期不能晚于今天" in page.content.decode()
    assert not Round.objects.get(town=register.town, year=2025).published
