"""Body and village staff read their part of the town's duty performance; the officer, leaders and county see all.

The part: records crediting a post of their unit (body staff) or village (village staff), or a post their own
person held that day; compliance rows of those posts and their own; a person's year only if that person held
such a post that year (anyone else's → 404). The standing `world` (conftest.py) adds a record crediting the
government's mayor and safety deputy; here the body staff work for the party committee, the village staff for
the village, each with a holder and a record of their own, and one joint record credits both (two posts of
the party committee and the village's: a plain join through its credits would list it twice).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse

from yigang.duties import cache as kept
from yigang.duties.models import Attachment, Credit, DutyRecord
from yigang.towns.models import Membership, memberships_kept

from .conftest import PDF, PNG, D, at

pytestmark = pytest.mark.django_db

WHOLE_TOWN = ["officer", "leader", "county_viewer"]


@pytest.fixture
def seed(town: Any, users: dict[str, Any], seed_bytes: bytes) -> Any:
    """The seed in force from 2022, plus a monthly meeting of the village secretary (the seed gives them none)."""
    from yigang.regulations import actions

    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    actions.add_duty(
        regulation=reg,
        article=None,
        item=None,
        post="village_secretary",
        kind="meeting",
        min_count=1,
        period="month",
        text="测试：嘎查每月安全例会",
        actor=None,
    )
    actions.activate_regulation(regulation=reg, actor=None, effective_from=D(2022, 1, 1))
    return reg


def _minutes() -> Any:
    minutes = io.BytesIO(PDF)
    minutes.name = "会议纪要.pdf"
    return minutes


def _record(posts: list[Any], title: str, when: datetime.date, actor: Any = None, photo: bool = False) -> Any:
    from yigang.duties.actions import RecordData, Upload, create_record

    return create_record(
        town=posts[0].town,
        data=RecordData(
            kind="meeting",
            occurred_at=at(when),
            title=title,
            place="会议室",
            summary="部署安全生产工作。",
            participants="",
            posts=posts,
        ),
        # A meeting carries its minutes (the default requirement, duties/rules.py); some a photo as well.
        files=[Upload(io.BytesIO(PDF), "会议纪要.pdf")]
        + ([Upload(io.BytesIO(PNG), "照片.png")] if photo else []),
        actor=actor,
    )


@pytest.fixture
def parts(
    world: dict[str, Any], posts: dict[str, Any], appoint: Any, users: dict[str, Any]
) -> dict[str, Any]:
    """Body staff of the party committee, village staff of the village; each part a holder and a record."""
    from yigang.org.actions import add_post

    secretary, village = posts["secretary"], posts["village"]
    deputy = add_post(unit=secretary.unit, title="镇党委副书记", kind="", actor=None)
    Membership.objects.filter(user=users["body_staff"]).update(unit=secretary.unit)
    Membership.objects.filter(user=users["village_staff"]).update(unit=village.unit)
    party_holder = appoint(secretary, "乌兰", D(2020, 1, 1))
    village_holder = appoint(village, "其木格", D(2020, 1, 1))
    party = _record([secretary], "党委安全生产专题会", D(2025, 2, 10), photo=True)
    village_rec = _record([village], "嘎查安全例会", D(2025, 2, 12), photo=True)
    joint = _record([secretary, deputy, village], "党委与嘎查联合检查", D(2025, 2, 14))
    return {
        "gov": world["record"],  # credits the government's mayor and safety deputy
        "party": party,
        "village": village_rec,
        "joint": joint,
        "party_holder": party_holder,
        "village_holder": village_holder,
        "gov_holder": world["mayor"],
    }


# What each reader sees of the records (by key of `parts`).
SEES = {
    "body_staff": {"party", "joint"},
    "village_staff": {"village", "joint"},
    **{role: {"gov", "party", "village", "joint"} for role in WHOLE_TOWN},
}
ALL = {"gov", "party", "village", "joint"}


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_reader_lists_and_opens_exactly_their_records(
    role: str, parts: dict[str, Any], users: dict[str, Any], login: Any
) -> None:
    client = login(users[role])
    page = client.get(reverse("duties:records") + "?year=2025")
    listed = [r.pk for r in page.context["page"].object_list]
    wanted = {parts[k].pk for k in SEES[role]}
    # The joint record credits two posts: listed once, and counted once by the paginator.
    assert sorted(listed) == sorted(wanted) and page.context["page"].paginator.count == len(wanted)
    html = page.content.decode()
    for key in ALL - SEES[role]:
        assert parts[key].title not in html, key
    api = client.get("/api/duties/records?year=2025").json()
    assert sorted(r["id"] for r in api) == sorted(wanted)
    for key in ALL:
        record = parts[key]
        status = 200 if key in SEES[role] else 404
        assert client.get(reverse("duties:record", args=[record.pk])).status_code == status, key
        assert client.get(f"/api/duties/records/{record.pk}").status_code == status, key
        for item in record.attachments.all():
            assert client.get(reverse("duties:attachment", args=[item.pk])).status_code == status, key
            assert client.get(f"/api/duties/attachments/{item.pk}").status_code == status, key


def test_record_parts_follow_their_record(parts: dict[str, Any], users: dict[str, Any]) -> None:
    for role, keys in SEES.items():
        user = users[role]
        records = {parts[k].pk for k in keys}
        assert set(Attachment.objects.for_user(user).values_list("record_id", flat=True)) == {
            a.record_id for a in Attachment.objects.filter(record_id__in=records)
        }, role
        assert set(Credit.objects.for_user(user).values_list("record_id", flat=True)) == records, role


def test_narrow_staff_of_no_unit_read_no_records(parts: dict[str, Any], users: dict[str, Any]) -> None:
    Membership.objects.filter(user=users["body_staff"]).update(unit=None)
    assert not DutyRecord.objects.for_user(users["body_staff"]).exists()


def test_outsiders_read_no_records(parts: dict[str, Any], users: dict[str, Any]) -> None:
    for role in ("other_officer", "sysadmin", "nobody"):
        assert not DutyRecord.objects.for_user(users[role]).exists(), role
        assert not Attachment.objects.for_user(users[role]).exists(), role


@pytest.mark.parametrize("role", ["body_staff", "village_staff", "officer"])
def test_scoping_records_costs_one_query(
    role: str, parts: dict[str, Any], users: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """One query each, once the request has read the user's memberships and towns (they are read once a request,
    then given to the database as ids: towns.models.memberships_kept)."""
    with memberships_kept():
        list(DutyRecord.objects.for_user(users[role]))
        for model in (DutyRecord, Attachment, Credit):
            with django_assert_num_queries(1):
                list(model.objects.for_user(users[role]))


def test_a_record_is_read_as_a_chain_of_versions(
    parts: dict[str, Any], posts: dict[str, Any], users: dict[str, Any], login: Any
) -> None:
    """The officer moves the party record's credit to the mayor: the party committee still sees the correction
    (every version stays visible), but may not amend it further (it credits no post of theirs)."""
    from yigang.duties.actions import amend_record, record_data

    record = parts["party"]
    data = record_data(record)
    data.posts = [posts["mayor"]]
    moved = amend_record(record=record, data=data, reason="应计入镇长", actor=users["officer"])
    client = login(users["body_staff"])
    assert client.get(reverse("duties:record", args=[moved.pk])).status_code == 200
    detail = client.get(f"/api/duties/records/{record.pk}").json()
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert client.get(reverse("duties:record_amend", args=[moved.pk])).status_code == 403
    assert login(users["village_staff"]).get(reverse("duties:record", args=[moved.pk])).status_code == 404


def test_what_they_may_enter_they_may_read_afterwards(
    parts: dict[str, Any], town: Any, users: dict[str, Any], login: Any
) -> None:
    """A body staff member's own person holds a post of another unit: they credit it, and read the record."""
    from yigang.org import actions

    station = actions.add_unit(town=town, name="应急管理站", kind="body", actor=None)
    post = actions.add_post(unit=station, title="应急管理站站长", kind="department_head", actor=None)
    me = actions.add_person(town=town, name="张伟", user=users["body_staff"], actor=None)
    actions.appoint(post=post, person=me, start=D(2025, 1, 1), actor=None)
    client = login(users["body_staff"])
    response = client.post(
        "/api/duties/records",
        {
            "town": town.code,
            "kind": "meeting",
            "occurred_at": "2025-03-03T09:00:00+08:00",
            "title": "站务安全会",
            "place": "应急管理站",
            "summary": "部署。",
            "posts": [post.pk],
            "files": [_minutes()],
        },
    )
    assert response.status_code == 201, response.content
    mine = response.json()["id"]
    assert client.get(reverse("duties:record", args=[mine])).status_code == 200
    assert client.get(reverse("duties:record_amend", args=[mine])).status_code == 200
    # Before their tenure began they could not have credited the post, nor read a record of it.
    before = _record([post], "站务旧会", D(2024, 6, 1))
    assert client.get(reverse("duties:record", args=[before.pk])).status_code == 404
    # Their own year is theirs, although the post is not their unit's.
    assert client.get(reverse("duties:person_year", args=[me.pk, 2025])).status_code == 200


def _posts_of(rows: list[dict[str, Any]]) -> set[str]:
    return {r["post"] for r in rows}


@pytest.mark.parametrize(
    ("role", "posts_seen"),
    [
        ("body_staff", {"镇党委书记"}),
        ("village_staff", {"乌审召嘎查党支部书记"}),
        *(
            (role, {"镇长", "分管安全生产副镇长", "镇党委书记", "乌审召嘎查党支部书记"})
            for role in WHOLE_TOWN
        ),
    ],
)
def test_compliance_rows_are_narrowed_to_their_posts(
    role: str, posts_seen: set[str], parts: dict[str, Any], users: dict[str, Any], login: Any
) -> None:
    client = login(users[role])
    rows = client.get("/api/duties/compliance?town=wushenzhao&year=2025").json()["rows"]
    assert _posts_of(rows) == posts_seen
    behind = client.get("/api/duties/towns/wushenzhao/behind?year=2025").json()
    assert behind and _posts_of(behind) <= posts_seen
    overview = client.get(reverse("duties:overview") + "?year=2025").context
    behind_rows = overview["behind"]()  # lazy: the template calls it only when its kept tables are stale
    assert behind_rows and {r.post for r in behind_rows} <= posts_seen
    assert {r.post for r in overview["result"].rows} == posts_seen
    heatmap = client.get(reverse("duties:heatmap") + "?year=2025").context["data"]
    assert len(heatmap["posts"]) == len(posts_seen)
    assert all(any(p in label for p in posts_seen) for label in heatmap["posts"])


def test_a_narrowed_compliance_still_costs_the_fixed_queries(
    parts: dict[str, Any], users: dict[str, Any], login: Any, django_assert_max_num_queries: Any
) -> None:
    """Compute is the town's (seven queries); narrowing is Python, after a few queries for the reader's part; the
    kept result's mark is one more (duties/cache.py)."""
    client = login(users["body_staff"])
    client.get(reverse("duties:overview"))
    for url in [reverse("duties:overview") + "?year=2025", reverse("duties:heatmap") + "?year=2025"]:
        kept.forget()
        with django_assert_max_num_queries(26):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "people"),
    [
        ("body_staff", {"乌兰"}),
        ("village_staff", {"其木格"}),
        *((role, {"乌兰", "其木格", "巴图", "李强"}) for role in WHOLE_TOWN),
    ],
)
def test_people_and_their_years_are_narrowed(
    role: str, people: set[str], parts: dict[str, Any], world: dict[str, Any], users: Any, login: Any
) -> None:
    client = login(users[role])
    listed = client.get(reverse("duties:people") + "?year=2025").context["people"]
    assert {p.name for p, _tenures in listed} == people
    everyone = [parts["party_holder"], parts["village_holder"], parts["gov_holder"], world["safety"]]
    for person in everyone:
        status = 200 if person.name in people else 404
        for name in ("duties:person_year", "duties:person_year_docx", "duties:person_year_xlsx"):
            assert client.get(reverse(name, args=[person.pk, 2025])).status_code == status, (person, name)
        assert client.get(f"/api/duties/people/{person.pk}/2025").status_code == status, person


def test_a_person_who_left_their_part_is_out_of_it_in_later_years(
    parts: dict[str, Any], posts: dict[str, Any], users: Any, login: Any
) -> None:
    from yigang.org.actions import end_tenure
    from yigang.org.models import Tenure

    holder = parts["party_holder"]
    end_tenure(tenure=Tenure.objects.get(person=holder), end=D(2025, 6, 30), actor=None)
    client = login(users["body_staff"])
    assert client.get(reverse("duties:person_year", args=[holder.pk, 2025])).status_code == 200
    assert client.get(reverse("duties:person_year", args=[holder.pk, 2026])).status_code == 404
    assert client.get(f"/api/duties/people/{holder.pk}/2026").status_code == 404


def test_a_persons_year_shows_only_the_readers_part(
    parts: dict[str, Any], posts: dict[str, Any], users: Any, login: Any
) -> None:
    """乌兰 also holds the village's post for a while: the body staff see only the party side of the year."""
    from yigang.org.actions import appoint, end_tenure
    from yigang.org.models import Tenure

    end_tenure(tenure=Tenure.objects.get(person=parts["village_holder"]), end=D(2025, 3, 31), actor=None)
    appoint(post=posts["village"], person=parts["party_holder"], start=D(2025, 4, 1), actor=None)
    whole = login(users["officer"]).get(reverse("duties:person_year", args=[parts["party_holder"].pk, 2025]))
    assert {r.post for r in whole.context["file"].rows} == {"镇党委书记", "乌审召嘎查党支部书记"}
    body = login(users["body_staff"]).get(
        reverse("duties:person_year", args=[parts["party_holder"].pk, 2025])
    )
    file = body.context["file"]
    assert {r.post for r in file.rows} == {"镇党委书记"}
    assert all("嘎查" not in line for line in file.tenure_lines())
    assert {r.pk for r in file.records} == {parts["party"].pk, parts["joint"].pk}
    api = login(users["body_staff"]).get(f"/api/duties/people/{parts['party_holder'].pk}/2025").json()
    assert _posts_of(api) == {"镇党委书记"}
