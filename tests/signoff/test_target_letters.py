"""目标责任书: the template the 安委办 edits, one letter per body and village, both sides confirm, .docx."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from docx import Document as Docx

from tests.conftest import PASSWORD
from yigang.signoff import actions
from yigang.signoff.letters import letter_docx
from yigang.signoff.models import Side, Task
from yigang.signoff.tracking import status

D = datetime.date


@pytest.fixture
def template(register: Any, town: Any, users: dict[str, Any]) -> Any:
    return actions.create_target_template(town=town, year=2026, actor=users["officer"])


def test_the_template_starts_from_the_standard_items_with_indicators(
    template: Any, users: dict[str, Any]
) -> None:
    keys = [i.indicator for i in template.items.all()]
    assert keys == ["deaths", "duty_compliance_rate", "hazards_closed_on_time_rate", "trainings_held", ""]
    item = actions.add_target_item(
        document=template, text="开展应急演练", indicator="trainings_held", target="2", actor=users["officer"]
    )
    assert item.position == 6
    with pytest.raises(ValidationError, match="目标值须为数字"):
        actions.add_target_item(
            document=template,
            text="隐患整改",
            indicator="hazards_closed_on_time_rate",
            target="全部",
            actor=None,
        )
    with pytest.raises(ValidationError, match="超出范围"):
        actions.add_target_item(
            document=template,
            text="隐患整改",
            indicator="hazards_closed_on_time_rate",
            target="120",
            actor=None,
        )
    with pytest.raises(ValidationError, match="未知的考核指标"):
        actions.add_target_item(document=template, text="x", indicator="profit", target="1", actor=None)
    actions.remove_target_item(item=item, actor=users["officer"])
    assert template.items.count() == 5


def test_issuing_needs_the_officers_password_and_a_wrong_one_issues_nothing(
    template: Any, register: Any, users: dict[str, Any]
) -> None:
    from yigang.audit.models import AuditEntry
    from yigang.towns import reauth

    with pytest.raises(ValidationError, match="密码不正确，未下发"):
        actions.issue_target_letters(
            document=template, actor=users["officer"], secret="wrong", day=D(2026, 1, 10)
        )
    with pytest.raises(ValidationError, match="请输入您的登录密码"):
        actions.issue_target_letters(document=template, actor=users["officer"], day=D(2026, 1, 10))
    template.refresh_from_db()
    assert template.is_draft and not template.letters.exists() and not Task.objects.exists()
    failed = AuditEntry.objects.filter(event="signoff.target_issue", success=False)
    assert [e.changes["kind"] for e in failed.order_by("id")] == [reauth.BAD_CREDENTIAL, "rule"]


def test_issuing_writes_a_letter_per_body_and_village_and_asks_both_sides(
    template: Any, register: Any, users: dict[str, Any], town: Any
) -> None:
    result = actions.issue_target_letters(
        document=template, actor=users["officer"], secret=PASSWORD, day=D(2026, 1, 10)
    )

    letters = {letter.party_b: letter for letter in template.letters.all()}
    assert set(letters) == {register.body.name, "乌审召嘎查"}
    village = letters["乌审召嘎查"]
    assert "乙方：乌审召嘎查" in village.text and "生产安全事故死亡人数 ＝ 0人" in village.text
    assert "履职要求完成率 ≥ 100%" in village.text
    # Two sides per letter: the holder of the unit's head seat, and the deputy in charge of safety for the town.
    sides = {(t.letter.party_b, t.side, t.person.name) for t in result.created}
    assert sides == {
        (register.body.name, Side.PARTY_B, "巴图"),
        (register.body.name, Side.TOWN, "李强"),
        ("乌审召嘎查", Side.PARTY_B, "其木格"),
        ("乌审召嘎查", Side.TOWN, "李强"),
    }
    # Issued: the template is frozen.
    with pytest.raises(ValidationError, match="已下发"):
        actions.add_target_item(document=template, text="x", indicator="", target="", actor=None)
    with pytest.raises(ValidationError, match="已下发"):
        actions.issue_target_letters(document=template, actor=None)

    # The village side confirms; the tracking has 4 required, 1 confirmed.
    task = Task.objects.get(letter=village, side=Side.PARTY_B)
    actions.confirm(task=task, actor=register.secretary.user, secret=PASSWORD, sha256=task.text_sha256)
    doc = next(d for d in status(town, 2026)["documents"] if d["kind"] == "target_letter")
    assert (doc["required"], doc["confirmed"], doc["version"]) == (4, 1, 2026)
    assert sorted(m["person"] for m in doc["missing"]) == ["巴图", "李强", "李强"]

    # The .docx: the title, the targets and both signature lines, the village's marked as confirmed in Yigang.
    text = "\n".join(p.text for p in Docx(io.BytesIO(letter_docx(village))).paragraphs)
    assert "乌审召镇2026年度安全生产目标责任书" in text
    assert "一、目标任务" in text and "全年不发生生产安全死亡事故" in text
    assert "代表（签字）：李强（待确认）" in text
    assert "负责人（签字）：其木格（已于" in text and task.text_sha256[:12] in text


def test_leaders_can_be_included(template: Any, register: Any, users: dict[str, Any], town: Any) -> None:
    from yigang.org import actions as org

    post = org.add_post(unit=register.gov, title="副镇长（分管农牧业）", kind="other_deputy", actor=None)
    org.appoint(
        post=post,
        person=org.add_person(town=town, name="额尔敦", actor=None),
        start=D(2022, 9, 1),
        actor=None,
    )
    actions.issue_target_letters(document=template, actor=None, include_leaders=True, day=D(2026, 1, 10))
    assert "副镇长（分管农牧业）" in set(template.letters.values_list("party_b", flat=True))
    # The deputy in charge of safety signs for the town and gets no letter of their own.
    assert "分管安全生产副镇长" not in set(template.letters.values_list("party_b", flat=True))


def test_a_new_town_signatory_takes_over_the_unsigned_side(
    template: Any, register: Any, users: dict[str, Any], town: Any
) -> None:
    from yigang.org import actions as org

    actions.issue_target_letters(document=template, actor=None, day=D(2026, 1, 10))
    org.end_tenure(tenure=register.tenures["deputy"], end=D(2026, 3, 31), actor=None)
    result = actions.sync_town(town=town, actor=None, day=D(2026, 4, 1))
    # The deputy's seat is vacant: the mayor signs for the town (and the deputy's own tasks end).
    town_side = {t.person.name for t in result.created if t.side == Side.TOWN}
    assert town_side == {"张建华"}
