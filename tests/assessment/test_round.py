"""Running the assessment on recorded data: attribution, vetoes, adjustments, publishing and freezing."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.conftest import PASSWORD
from yigang.accidents.actions import record_finding, report_accident
from yigang.assessment import actions
from yigang.assessment.demo import _PNG as PNG  # a real image: uploads must decode (issue 26.3)
from yigang.assessment.models import Adjustment, Scheme
from yigang.assessment.results import results
from yigang.audit.models import AuditEntry

from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2025, 12, 31)


def _unit(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(u for u in data["units"] if u["unit"] == name)


def _person(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in data["persons"] if p["person"] == name)


def test_a_fatal_accident_vetoes_territory_sector_body_and_the_leaders_answering(register: Register) -> None:
    report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    data = results(register.town, 2025, as_of=AS_OF)
    death = "辖区或监管行业领域发生生产安全死亡事故"
    assert _unit(data, "巴音敖包嘎查")["veto_reasons"] == [death]  # the territory (属地)
    assert _unit(data, "交警中队")["veto_reasons"] == [death]  # supervises 道路交通 (行业监管)
    assert not _unit(data, "乌审召嘎查")["vetoed"]
    assert _person(data, "乌力吉")["vetoed"]  # party secretary: the whole town
    assert _person(data, "赵永军")["vetoed"]  # in charge of 交警中队
    assert not _person(data, "额尔敦")["vetoed"]  # other portfolios
    vetoed = _unit(data, "巴音敖包嘎查")
    assert vetoed["grade"] == "不合格" and not vetoed["advanced"]
    assert vetoed["veto_records"][0]["kind"] == "accident"
    # Vetoed subjects rank after everyone else.
    assert vetoed["rank"] > max(u["rank"] for u in data["units"] if not u["vetoed"])


def test_concealment_and_a_larger_accident_veto(register: Register) -> None:
    at = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=SH)
    hidden = report_accident(
        town=register.town,
        data=make_data(register, deaths=0, serious_injuries=1, occurred_at=at, village="乌审召嘎查"),
        actor=register.officer,
    )
    record_finding(accident=hidden, kind="concealed", reason="事故单位隐瞒不报", actor=register.officer)
    big = make_data(
        register,
        deaths=0,
        serious_injuries=10,
        occurred_at=at + datetime.timedelta(days=30),
        village="巴音敖包嘎查",
    )
    report_accident(town=register.town, data=big, actor=register.officer)
    data = results(register.town, 2025, as_of=AS_OF)
    assert _unit(data, "乌审召嘎查")["veto_reasons"] == ["事故瞒报或谎报"]
    assert _unit(data, "巴音敖包嘎查")["veto_reasons"] == ["发生较大及以上生产安全事故"]


def test_late_report_deducts_with_workings(register: Register) -> None:
    at = datetime.datetime(2025, 5, 1, 9, 0, tzinfo=SH)
    late = make_data(
        register, deaths=0, serious_injuries=1, occurred_at=at, reported_at=at + datetime.timedelta(hours=3)
    )
    accident = report_accident(town=register.town, data=late, actor=register.officer)
    village = _unit(results(register.town, 2025, as_of=AS_OF), "巴音敖包嘎查")
    by_key = {d["key"]: d for d in village["deductions"]}
    # 迟报 1 × 5 = 5 and 事故 1 × 3 = 3, each naming the accident.
    assert by_key["late_report"]["points"] == "-5" and by_key["accident"]["points"] == "-3"
    assert by_key["late_report"]["records"][0]["id"] == accident.pk
    assert not village["vetoed"]


def test_adjustment_trail_and_publish_freezes(register: Register, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    officer = register.officer
    rnd = actions.open_round(town=register.town, year=2025, actor=officer)
    assert Scheme.objects.get(pk=rnd.scheme_id).frozen
    before = _unit(results(register.town, 2025, as_of=AS_OF), "乌审召嘎查")
    key = before["key"]
    with pytest.raises(ValidationError):
        actions.add_adjustment(
            rnd=rnd,
            subject=key,
            points="2",
            reason=" ",
            upload=io.BytesIO(PNG),
            filename="a.png",
            actor=officer,
        )
    assert not Adjustment.objects.exists()
    adj = actions.add_adjustment(
        rnd=rnd,
        subject=key,
        points="1.5",
        reason="获旗级表彰",
        upload=io.BytesIO(PNG),
        filename="台账.png",
        actor=officer,
    )
    entry = AuditEntry.objects.filter(event="assessment.adjust").get()
    assert entry.changes["points"] == "1.5" and entry.changes["reason"] == "获旗级表彰"
    after = _unit(results(register.town, 2025, as_of=AS_OF), "乌审召嘎查")
    # A village with nothing on record scores 0 (no record is not full marks); + 1.5 → 1.5.
    assert Decimal(after["score"]) == Decimal(before["score"]) + Decimal("1.5")
    assert after["adjustments"][0]["id"] == adj.pk and after["adjustments"][0]["file"] == "台账.png"

    published = actions.publish(rnd=rnd, actor=officer, secret=PASSWORD, as_of=AS_OF)
    frozen = results(register.town, 2025)
    assert frozen["published"] is True
    # A fatal accident recorded after publishing changes nothing published …
    report_accident(town=register.town, data=make_data(register, village="乌审召嘎查"), actor=officer)
    again = results(register.town, 2025)
    assert again == frozen
    assert not _unit(again, "乌审召嘎查")["vetoed"]
    # … though the same data computed afresh would veto.
    from yigang.assessment.results import compute

    assert _unit(compute(register.town, 2025, as_of=AS_OF), "乌审召嘎查")["vetoed"]
    # Nobody adjusts, republishes or changes the scheme of a published year.
    with pytest.raises(ValidationError):
        actions.add_adjustment(
            rnd=published,
            subject=key,
            points="1",
            reason="x",
            upload=io.BytesIO(PNG),
            filename="a.png",
            actor=officer,
        )
    with pytest.raises(ValidationError):
        actions.publish(rnd=published, actor=officer, secret=PASSWORD)
    with pytest.raises(ValidationError):
        actions.save_scheme(
            town=register.town, year=2025, title="", rules=published.scheme.rules, actor=officer
        )


def test_assess_cli_contract(register: Register) -> None:
    report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    out = io.StringIO()
    call_command("assess", "--town", register.town.code, "--year", "2025", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {"town", "year", "published", "units", "persons", "provisional", "scheme", "ties"} <= set(data)
    assert data["published"] is False and data["year"] == 2025 and data["provisional"] is False
    unit = next(u for u in data["units"] if u["unit"] == "巴音敖包嘎查")
    assert {"unit", "score", "grade", "vetoed", "veto_reasons", "rank", "items", "advanced"} <= set(unit)
    assert unit["vetoed"] is True and unit["grade"] == "不合格"
    person = data["persons"][0]
    assert {"person", "post", "score", "grade", "vetoed", "veto_reasons", "items"} <= set(person)
    duty = next(i for i in person["items"] if i["key"] == "duty_compliance")
    assert {"rule", "figures", "points", "no_record", "not_applicable", "weight"} <= set(duty)
    assert {"required", "done"} <= set(duty["figures"])


def test_an_unpublished_round_follows_corrections(register: Register) -> None:
    accident = report_accident(
        town=register.town, data=make_data(register, deaths=0, serious_injuries=1), actor=register.officer
    )
    actions.open_round(town=register.town, year=2025, actor=register.officer)
    assert not _unit(results(register.town, 2025, as_of=AS_OF), "巴音敖包嘎查")["vetoed"]
    record_finding(accident=accident, kind="false", reason="伤亡人数故意少报", actor=register.officer)
    rerun = _unit(results(register.town, 2025, as_of=AS_OF), "巴音敖包嘎查")
    assert rerun["veto_reasons"] == ["事故瞒报或谎报"] and rerun["grade"] == "不合格"
