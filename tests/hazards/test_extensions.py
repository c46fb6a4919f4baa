"""延期整改: asked before the deadline with a reason, decided by the supervising body or the 安委办, the first
deadline kept, escalation and "overdue" following the approved one, statistics counting extended hazards apart;
the page step and the API step, with their permission checks and the notices to the decider and the asker."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.hazards.conftest import png
from yigang.audit.models import AuditEntry
from yigang.hazards import actions
from yigang.hazards.escalation import run
from yigang.hazards.models import Extension, Hazard
from yigang.hazards.stats import compute
from yigang.notify.models import Notification
from yigang.towns.models import Role

pytestmark = pytest.mark.django_db
D = datetime.date
SH = ZoneInfo("Asia/Shanghai")
DEADLINE = D(2025, 3, 20)


def on(day: datetime.date, hour: int = 10) -> Any:
    """Write as if on `day` (the actions date their events and "today" by it)."""
    return actions.backdated(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH))


@pytest.fixture
def people(register: Any, make_user: Any, users: dict[str, Any]) -> dict[str, Any]:
    """The owner body's staff (平安建设办公室 owns and supervises 烟花爆竹), a colleague, another body's staff (who
    does not see the hazard), and the county viewer (who reads it but may not act)."""
    body = register.units["平安建设办公室"]
    return {
        "asker": make_user("ping-a", Role.BODY_STAFF, register.town, unit=body),
        "colleague": make_user("ping-b", Role.BODY_STAFF, register.town, unit=body),
        "other": make_user("city", Role.BODY_STAFF, register.town, unit=register.units["城市管理办公室"]),
        "reader": users["county_viewer"],
    }


def _hazard(report: Any) -> Hazard:
    with on(D(2025, 3, 10)):
        hazard = report(found_on=D(2025, 3, 10), deadline=DEADLINE)
    assert hazard.owner_unit.name == "平安建设办公室"
    return hazard


def test_asked_before_the_deadline_approved_with_a_new_one_the_first_kept(
    report: Any, register: Any, people: dict[str, Any]
) -> None:
    hazard = _hazard(report)
    with on(DEADLINE):  # on the deadline day itself: still before it passes
        asked = actions.ask_extension(
            hazard=hazard, deadline=D(2025, 4, 10), reason="配件需从外地采购", actor=people["asker"]
        )
    assert (asked.status, asked.deadline_before, asked.requested) == ("pending", DEADLINE, D(2025, 4, 10))
    # The deciders hear of it (the supervising body's other staff and the 安委办), the asker does not.
    titles = {
        k: list(Notification.objects.filter(user=u).values_list("title", flat=True))
        for k, u in people.items()
    }
    assert titles["colleague"] == [f"【延期整改申请】{hazard.number}"]
    assert titles["asker"] == [] and titles["other"] == []
    assert (
        Notification.objects.filter(user=register.officer, title__startswith="【延期整改申请】").count() == 1
    )
    with pytest.raises(ValidationError, match="不能审批自己"):
        actions.decide_extension(extension=asked, approve=True, note="", actor=people["asker"])
    with on(D(2025, 3, 21)):
        actions.decide_extension(
            extension=asked,
            approve=True,
            note="同意，延至 4 月 5 日",
            deadline=D(2025, 4, 5),
            actor=people["colleague"],
        )
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline, hazard.first_deadline) == (
        D(2025, 4, 5),
        DEADLINE,
        DEADLINE,
    )
    asked.refresh_from_db()
    assert (asked.status, asked.approved, asked.decided_by_name) == ("approved", D(2025, 4, 5), "ping-b")
    assert Notification.objects.filter(
        user=people["asker"], title=f"【延期整改已批准】{hazard.number}"
    ).exists()
    kinds = list(hazard.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["extension_asked", "extension_approved"]
    assert list(
        AuditEntry.objects.filter(event__startswith="hazards.extension").values_list("event", flat=True)
    ) == ["hazards.extension_ask", "hazards.extension_decide"]
    with pytest.raises(ValidationError, match="已审批"):
        actions.decide_extension(extension=asked, approve=False, note="再议", actor=register.officer)


def test_asked_after_the_deadline_is_refused_with_the_reason_and_nothing_saved(
    report: Any, people: dict[str, Any]
) -> None:
    hazard = _hazard(report)
    with on(DEADLINE + datetime.timedelta(days=1)), pytest.raises(ValidationError, match=r"已过.*届满前提出"):
        actions.ask_extension(hazard=hazard, deadline=D(2025, 4, 10), reason="来不及", actor=people["asker"])
    assert not Extension.objects.exists() and not hazard.events.filter(kind="extension_asked").exists()


def test_a_request_needs_a_reason_a_later_date_and_waits_alone(report: Any, people: dict[str, Any]) -> None:
    hazard = _hazard(report)
    with on(D(2025, 3, 15)):
        with pytest.raises(ValidationError) as bad:
            actions.ask_extension(hazard=hazard, deadline=DEADLINE, reason=" ", actor=people["asker"])
        # Both problems at once: the reason and the date.
        assert set(bad.value.message_dict) == {"note", "extension_deadline"}
        assert "须晚于现在的整改期限（2025-03-20）" in bad.value.message_dict["extension_deadline"][0]
        with pytest.raises(ValidationError, match="不能超过 365 天"):
            actions.ask_extension(hazard=hazard, deadline=D(2026, 3, 21), reason="x", actor=people["asker"])
        actions.ask_extension(hazard=hazard, deadline=D(2025, 3, 30), reason="等配件", actor=people["asker"])
        with pytest.raises(ValidationError, match="等待审批"):
            actions.ask_extension(
                hazard=hazard, deadline=D(2025, 3, 31), reason="再延", actor=people["asker"]
            )


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(
    report: Any, register: Any, people: dict[str, Any]
) -> None:
    hazard = _hazard(report)
    with on(D(2025, 3, 15)):
        asked = actions.ask_extension(
            hazard=hazard, deadline=D(2025, 3, 30), reason="等配件", actor=people["asker"]
        )
        with pytest.raises(ValidationError, match="须写明理由"):
            actions.decide_extension(extension=asked, approve=False, note="", actor=register.officer)
        actions.decide_extension(extension=asked, approve=False, note="配件本地可购", actor=register.officer)
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline, hazard.extended) == (DEADLINE, None, False)
    assert Notification.objects.filter(user=people["asker"], title__startswith="【延期整改未批准】").exists()
    with on(D(2025, 3, 16)):  # refused, the rectifier may ask again with a better reason
        again = actions.ask_extension(
            hazard=hazard, deadline=D(2025, 3, 25), reason="天气", actor=people["asker"]
        )
    assert again.status == "pending"


def test_escalation_follows_the_approved_deadline_and_climbs_again_from_it(
    report: Any, register: Any, people: dict[str, Any]
) -> None:
    hazard = _hazard(report)
    with on(DEADLINE):
        asked = actions.ask_extension(
            hazard=hazard, deadline=D(2025, 4, 10), reason="等配件", actor=people["asker"]
        )
    run(today=D(2025, 3, 21))  # not decided yet: the deadline of 3-20 is in force, one day late → level 1
    hazard.refresh_from_db()
    assert hazard.escalation_level == 1
    with on(D(2025, 3, 22)):
        actions.decide_extension(extension=asked, approve=True, note="", actor=register.officer)
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.escalation_level, hazard.is_overdue(D(2025, 4, 10))) == (
        D(2025, 4, 10),
        0,
        False,
    )
    run(today=D(2025, 4, 10))  # the approved deadline itself: not overdue
    hazard.refresh_from_db()
    assert hazard.escalation_level == 0
    run(today=D(2025, 4, 11))  # one day past the approved deadline: level 1 again, told again
    hazard.refresh_from_db()
    assert hazard.escalation_level == 1
    told = Notification.objects.filter(user=register.officer, title=f"【隐患逾期督办·第1级】{hazard.number}")
    assert told.count() == 2
    assert "已批准延期，原期限2025年03月20日" in told.order_by("-id").first().body  # type: ignore[union-attr]


def test_statistics_count_extended_hazards_apart(report: Any, register: Any) -> None:
    """Found in 2025, each with the deadline 3-20, counted as of 5-01:
    A not extended, closed 3-18                      → closed on time
    B extended to 3-31, closed 3-28                  → closed within the extension (not on time)
    C extended to 4-30, open                         → open, overdue on 5-01 (past the approved deadline)
    D extended to 3-31, closed 4-05                  → closed late
    found 4; closed 3 (A, B, D); on time 1 (A); extended 3 (B, C, D); within extension 1 (B); open 1; overdue 1.
    """
    officer = register.officer

    def make(name: str, extend_to: datetime.date | None, closed: datetime.date | None) -> Hazard:
        with on(D(2025, 3, 10)):
            h = report(found_on=D(2025, 3, 10), deadline=DEADLINE, description=name)
            actions.start_rectifying(hazard=h, actor=officer)
        if extend_to is not None:
            with on(D(2025, 3, 19)):
                asked = actions.ask_extension(hazard=h, deadline=extend_to, reason="等配件", actor=officer)
                actions.decide_extension(extension=asked, approve=True, note="", actor=register.people_user)
        if closed is not None:
            with on(closed, 9):
                actions.submit(hazard=h, note="已整改", photos=[png()], actor=officer)
                actions.accept(hazard=h, note="", actor=None, on=closed)
        return h

    register.people_user = get_user_model().objects.create_user(username="anweiban-2", password="x")
    register.people_user.memberships.create(town=register.town, role=Role.OFFICER)
    make("A", None, D(2025, 3, 18))
    make("B", D(2025, 3, 31), D(2025, 3, 28))
    make("C", D(2025, 4, 30), None)
    make("D", D(2025, 3, 31), D(2025, 4, 5))
    s = compute(Hazard.objects.all(), town=register.town, year=2025, as_of=D(2025, 5, 1))
    assert s.total == {
        "found": 4, "closed": 3, "closed_on_time": 1, "open": 1, "overdue": 1, "major": 0,
        "extended": 3, "closed_in_extension": 1,
    }  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_step_asks_and_decides(report: Any, register: Any, people: dict[str, Any]) -> None:
    today = timezone.localdate()
    with on(today):
        hazard = report(found_on=today, deadline=today + datetime.timedelta(days=5))
    url, step = f"/hazards/{hazard.pk}/", f"/hazards/{hazard.pk}/step/"
    asker = _client(people["asker"])
    assert "申请延期整改" in asker.get(url).content.decode()
    wanted = today + datetime.timedelta(days=20)
    # Bad input: back to the page with both errors, nothing saved.
    bad = asker.post(step, {"step": "extend", "note": "", "extension_deadline": today.isoformat()})
    page = bad.content.decode()
    assert bad.status_code == 200 and "请填写延期理由" in page and "须晚于现在的整改期限" in page
    assert not Extension.objects.exists()
    done = asker.post(
        step, {"step": "extend", "note": "配件需从外地采购", "extension_deadline": wanted.isoformat()}
    )
    assert done.status_code == 302
    # The county viewer reads the hazard but may neither ask nor decide: 403, audited; another body's staff
    # does not see it at all: 404.
    reader = _client(people["reader"])
    assert reader.get(url).status_code == 200 and "提交延期申请" not in reader.get(url).content.decode()
    assert reader.post(step, {"step": "extend_decide", "decision": "approve"}).status_code == 403
    assert reader.post(step, {"step": "extend", "note": "x", "extension_deadline": wanted}).status_code == 403
    assert AuditEntry.objects.filter(event="auth.permission_denied").count() == 2
    assert _client(people["other"]).post(step, {"step": "extend_decide"}).status_code == 404
    # The asker sees no decision form on their own request; the colleague does.
    assert 'value="extend_decide"' not in asker.get(url).content.decode()
    colleague = _client(people["colleague"])
    assert 'value="extend_decide"' in colleague.get(url).content.decode()
    missing = colleague.post(step, {"step": "extend_decide", "note": ""})
    assert missing.status_code == 200 and "请选择同意延期或不予延期" in missing.content.decode()
    assert (
        colleague.post(step, {"step": "extend_decide", "decision": "approve", "note": ""}).status_code == 302
    )
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline) == (wanted, today + datetime.timedelta(days=5))
    shown = colleague.get(url).content.decode()
    assert "已批准延期，原期限" in shown and "批准延至" in shown


def test_the_api_step_asks_decides_and_refuses_a_late_request(
    report: Any, register: Any, people: dict[str, Any]
) -> None:
    today = timezone.localdate()
    with on(today):
        hazard = report(found_on=today, deadline=today + datetime.timedelta(days=3))
        late = report(
            found_on=today - datetime.timedelta(days=9), deadline=today - datetime.timedelta(days=1)
        )
    base = f"/api/hazards/{hazard.pk}/extensions"
    wanted = (today + datetime.timedelta(days=10)).isoformat()
    body = {"deadline": wanted, "reason": "等配件"}
    assert _client(people["reader"]).post(base, body).status_code == 403
    assert _client(people["other"]).post(base, body).status_code == 404
    made = _client(people["asker"]).post(base, body)
    assert made.status_code == 201, made.content
    ext = made.json()["extensions"][0]
    assert (ext["status"], ext["requested"], ext["asked_by"]) == ("pending", wanted, "ping-a")
    decision = f"{base}/{ext['id']}/decision"
    refuse = {"decision": "refuse"}
    assert _client(people["reader"]).post(decision, refuse).status_code == 403
    assert _client(people["reader"]).get(base).json()["extensions"][0]["status"] == "pending"
    no_reason = _client(register.officer).post(decision, refuse)
    assert no_reason.status_code == 400 and "须写明理由" in no_reason.json()["detail"]
    ok = _client(register.officer).post(decision, {"decision": "approve", "note": "同意"})
    assert ok.status_code == 200 and ok.json()["deadline"] == wanted
    assert ok.json()["original_deadline"] == (today + datetime.timedelta(days=3)).isoformat()
    after = _client(people["asker"]).post(f"/api/hazards/{late.pk}/extensions", body)
    assert after.status_code == 400 and "已过" in after.json()["detail"]
