"""Records are evidence: no edit or delete anywhere; a correction is an amendment with a reason, both visible."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import get_resolver, reverse

from yigang.audit.models import AuditEntry
from yigang.duties import actions
from yigang.duties.compliance import compute
from yigang.duties.models import DutyRecord

from .conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date


def _data(record: Any, **changes: Any) -> actions.RecordData:
    data = actions.record_data(record)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_an_amendment_is_a_new_version_and_the_original_stays(world: Any, users: Any) -> None:
    original = world["record"]
    before = DutyRecord.objects.filter(pk=original.pk).values().get()
    amended = actions.amend_record(
        record=original,
        data=_data(original, occurred_at=at(D(2025, 3, 19), 9, 30), place="乌审召嘎查加油站及周边"),
        reason="日期记错：实际为 3 月 19 日",
        actor=users["officer"],
    )
    assert DutyRecord.objects.filter(pk=original.pk).values().get() == before
    assert (amended.version, amended.amends_id, amended.root_id) == (2, original.pk, original.pk)
    assert list(DutyRecord.objects.current().values_list("pk", flat=True)) == [amended.pk]
    entry = AuditEntry.objects.get(event="duties.record.amend")
    assert entry.changes["reason"] == "日期记错：实际为 3 月 19 日"
    assert set(entry.changes["fields"]) == {"occurred_at", "place"}


def test_only_the_latest_version_counts(world: Any, users: Any, town: Any) -> None:
    original = world["record"]
    mayor_rows = lambda: [  # noqa: E731
        r
        for r in compute(town, 2025, today=D(2026, 1, 5)).rows
        if r.post == "镇长" and r.kind == "inspection"
    ]
    assert [r.records[0].id for r in mayor_rows() if r.records] == [original.pk]
    amended = actions.amend_record(
        record=original, data=_data(original, title="春季联合检查（更正）"), reason="主题更正", actor=None
    )
    assert [r.records[0].id for r in mayor_rows() if r.records] == [amended.pk]
    assert sum(r.done for r in mayor_rows()) == 1
    actions.amend_record(record=amended, data=_data(amended), reason="重复录入", withdraw=True, actor=None)
    assert sum(r.done for r in mayor_rows()) == 0


def test_only_the_latest_version_may_be_amended(world: Any) -> None:
    original = world["record"]
    actions.amend_record(record=original, data=_data(original), reason="第一次更正", actor=None)
    with pytest.raises(ValidationError, match="已有更正版本"):
        actions.amend_record(record=original, data=_data(original), reason="第二次", actor=None)


def test_an_amendment_needs_a_reason_and_saves_nothing_without_one(world: Any) -> None:
    with pytest.raises(ValidationError, match="更正理由"):
        actions.amend_record(record=world["record"], data=_data(world["record"]), reason="  ", actor=None)
    assert DutyRecord.objects.count() == 1


def test_the_detail_page_shows_every_version(world: Any, users: Any, login: Any) -> None:
    client = login(users["officer"])
    response = client.post(
        reverse("duties:record_amend", args=[world["record"].pk]),
        {
            "reason": "地点补充",
            "kind": "inspection",
            "date": "2025-03-18",
            "time": "09:30",
            "title": "春季安全生产联合检查",
            "place": "乌审召嘎查加油站、液化气站",
            "posts": [p.pk for p in actions.record_data(world["record"]).posts],
            "summary": "检查加油站消防器材和应急预案。",
        },
    )
    amended = DutyRecord.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == reverse("duties:record", args=[amended.pk])
    html = client.get(reverse("duties:record", args=[world["record"].pk])).content.decode()
    assert "第 2 版" in html and "第 1 版" in html
    assert "地点补充" in html and "乌审召嘎查加油站、液化气站" in html and "乌审召嘎查加油站</dd>" in html
    # The attachment of version 1 is still shown.
    assert reverse("duties:attachment", args=[world["attachment"].pk]) in html


def test_there_is_no_edit_or_delete_path(world: Any, users: Any, login: Any) -> None:
    names = [
        p.name
        for p in get_resolver().url_patterns
        if getattr(p, "app_name", None) == "duties"
        for p in p.url_patterns
        if getattr(p, "name", None)
    ]
    assert names and not [n for n in names if "edit" in n or "delete" in n or "update" in n]
    client = login(users["officer"])
    record_url = reverse("duties:record", args=[world["record"].pk])
    assert client.post(record_url, {"title": "改"}).status_code == 405
    api = f"/api/duties/records/{world['record'].pk}"
    for method in (client.put, client.patch, client.delete):
        assert method(api, {"title": "改"}, content_type="application/json").status_code == 405
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        if path.startswith("/api/duties/records"):
            assert set(operations) <= {"get", "post"}, path
    world["record"].refresh_from_db()
    assert world["record"].title == "春季安全生产联合检查"


def test_a_non_officer_may_not_amend_a_record_of_posts_they_cannot_credit(world: Any, users: Any) -> None:
    from yigang.duties.access import CreditRefused

    # A refusal (403, audited by the caller), not an input error.
    with pytest.raises(CreditRefused, match="无权"):
        actions.amend_record(
            record=world["record"], data=_data(world["record"]), reason="试图更正", actor=users["leader"]
        )
    assert DutyRecord.objects.count() == 1


def test_a_record_entered_by_the_system_shows_who_entered_it(
    world: Any, users: Any, login: Any, rec: Any
) -> None:
    record = rec(
        world["record"].credits.first().post, "meeting", D(2025, 4, 1)
    )  # actor None: CLI, import, demo
    html = login(users["leader"]).get(reverse("duties:record", args=[record.pk])).content.decode()
    assert "系统" in html and "安全生产工作会议" in html


def _leader_holds_the_village_post(posts: Any, users: Any) -> Any:
    """The leader's own person holds the village secretary's post (not the mayor's, not the safety deputy's)."""
    from yigang.org import actions as org

    person = org.add_person(town=posts["village"].town, name="其木格", user=users["leader"], actor=None)
    org.appoint(post=posts["village"], person=person, start=D(2020, 1, 1), actor=None)
    return person


def _amend_form(post: Any, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "inspection",
        "date": "2025-03-18",
        "time": "09:30",
        "title": "春季安全生产联合检查",
        "place": "乌审召嘎查加油站",
        "posts": [post.pk],
        "summary": "检查加油站消防器材和应急预案。",
        "reason": "改记为本人岗位",
        **extra,
    }


def test_a_writer_may_not_take_over_or_withdraw_another_posts_record(
    world: Any, posts: Any, users: Any, login: Any
) -> None:
    """Regression: a leader could amend the mayor's record onto their own post (and withdraw it), because only the
    posts of the new version were checked. A record they could not have entered is now an audited 403."""
    _leader_holds_the_village_post(posts, users)
    record = world["record"]  # credits the mayor and the safety deputy
    client = login(users["leader"])
    url = reverse("duties:record_amend", args=[record.pk])
    denials = AuditEntry.objects.filter(event="auth.permission_denied").count()
    assert client.get(url).status_code == 403
    assert client.post(url, _amend_form(posts["village"], withdraw="on")).status_code == 403
    api = client.post(
        f"/api/duties/records/{record.pk}/amendments",
        {**_amend_form(posts["village"]), "occurred_at": "2025-03-18T09:30:00+08:00", "withdraw": "true"},
    )
    assert api.status_code == 403
    assert AuditEntry.objects.filter(event="auth.permission_denied").count() == denials + 3
    assert DutyRecord.objects.count() == 1 and not DutyRecord.objects.get().withdrawn
    detail = client.get(reverse("duties:record", args=[record.pk])).content.decode()
    assert url not in detail  # no 提交更正 button either


def test_a_writer_amends_their_own_record(world: Any, posts: Any, users: Any, login: Any, rec: Any) -> None:
    _leader_holds_the_village_post(posts, users)
    mine = rec(posts["village"], "training", D(2025, 4, 2))
    client = login(users["leader"])
    url = reverse("duties:record_amend", args=[mine.pk])
    assert url in client.get(reverse("duties:record", args=[mine.pk])).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, _amend_form(posts["village"], kind="training", date="2025-04-03"))
    assert response.status_code == 302
    assert DutyRecord.objects.get(amends=mine).occurred_on == D(2025, 4, 3)
