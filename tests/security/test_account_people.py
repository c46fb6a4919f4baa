"""An account belongs to a person of the register: linked when created, on the account page, in the people import.

And the system administrator of a county's only town administers that county's accounts: they create county
viewers (the county dropdown offers the county) and see them in the list.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from yigang.audit.models import AuditEntry
from yigang.org import bulk
from yigang.org.actions import add_person
from yigang.org.models import Person
from yigang.towns import access, actions
from yigang.towns.forms import MembershipForm
from yigang.towns.models import Membership, Role, RoleGrant

pytestmark = pytest.mark.django_db


def test_the_sysadmin_links_a_new_account_to_its_person_when_creating_it(world: Any) -> None:
    client = world.client("sysadmin")
    form = client.get("/accounts/new/").content.decode()
    assert "巴图（乌审召镇）" in form and "李强（乌审召镇）" not in form  # only people without an account
    response = client.post(
        "/accounts/new/", {"username": "batu", "full_name": "巴图", "person": world.person.pk}
    )
    assert response.status_code == 200 and "只显示这一次" in response.content.decode()
    world.person.refresh_from_db()
    assert world.person.user.username == "batu"
    link = AuditEntry.objects.get(event="account.person.link")
    assert (link.object_repr, link.changes["person"]) == ("batu", "巴图")
    listing = client.get("/accounts/").content.decode()
    assert "巴图 · 乌审召镇" in listing and "李强 · 乌审召镇" in listing


def test_a_refused_link_saves_no_account_either(world: Any) -> None:
    other = add_person(town=world.other_town, name="外镇人员", actor=None)
    client = world.client("sysadmin")
    html = client.post("/accounts/new/", {"username": "waizhen", "person": other.pk}).content.decode()
    assert "有效" in html or "选择" in html  # not one of the choices: another town's person
    assert not get_user_model().objects.filter(username="waizhen").exists()
    # Both or neither: the action refuses a person already linked, and the account is rolled back.
    with pytest.raises(ValidationError, match="已关联账号"):
        actions.create_account(username="dup", person=world.leader_person, actor=world.users["sysadmin"])
    assert not get_user_model().objects.filter(username="dup").exists()


def test_the_account_page_links_and_unlinks_a_person(world: Any) -> None:
    client = world.client("sysadmin")
    user, _ = actions.create_account(username="batu", actor=world.users["sysadmin"])
    grant = actions.add_membership(
        user=user, role=Role.OFFICER, town=world.town, actor=world.users["sysadmin"]
    )
    # 三员分立: the role is a request until an 安委办 officer confirms it, once the holder has their own password.
    assert isinstance(grant, RoleGrant)
    actions.change_password(user=user, password="Own-pass-2025", actor=user)
    actions.confirm_grant(grant=grant, actor=world.users["officer"])
    page = client.get(f"/accounts/{user.pk}/").content.decode()
    assert "尚未关联人员" in page
    assert client.post(f"/accounts/{user.pk}/person/", {"person": world.person.pk}).status_code == 302
    assert Person.objects.get(pk=world.person.pk).user_id == user.pk
    assert "巴图 · 乌审召镇" in client.get(f"/accounts/{user.pk}/").content.decode()
    assert client.post(f"/accounts/{user.pk}/person/unlink/").status_code == 302
    assert Person.objects.get(pk=world.person.pk).user_id is None
    events = list(AuditEntry.objects.filter(object_repr="batu").values_list("event", flat=True))
    assert events[-2:] == ["account.person.link", "account.person.unlink"]
    # Another town's administrator can neither see the account nor link it.
    other = world.client("other_sysadmin")
    assert other.post(f"/accounts/{user.pk}/person/", {"person": world.person.pk}).status_code == 404


def test_links_that_would_mix_roles_or_towns_are_refused(world: Any) -> None:
    sysadmin = world.users["sysadmin"]
    with pytest.raises(ValidationError, match="三员分立"):
        actions.link_person(user=world.users["auditor"], person=world.person, actor=sysadmin)
    with pytest.raises(ValidationError, match="角色不在乌审召镇"):
        actions.link_person(user=world.users["other_officer"], person=world.person, actor=sysadmin)
    with pytest.raises(ValidationError, match="已关联乌审召镇的“李强”"):
        actions.link_person(user=world.users["leader"], person=world.person, actor=sysadmin)
    with pytest.raises(ValidationError, match="已关联账号"):
        actions.link_person(user=world.users["officer"], person=world.leader_person, actor=sysadmin)
    page = world.client("sysadmin").post(
        f"/accounts/{world.users['auditor'].pk}/person/", {"person": world.person.pk}
    )
    assert "三员分立" in page.content.decode()
    assert Person.objects.get(pk=world.person.pk).user_id is None


def test_the_sysadmin_of_a_countys_only_town_creates_and_lists_county_accounts(
    make_town: Any, make_user: Any
) -> None:
    alone = make_town(code="solo", name="独镇", county="独旗")
    admin = make_user("solo_admin", Role.SYSADMIN, alone)
    viewer = make_user("solo_county", Role.COUNTY_VIEWER, county="独旗")
    assert access.admin_counties(admin) == {"独旗"}
    choices = dict(MembershipForm(admin=admin).fields["county"].choices)  # type: ignore[attr-defined]
    assert "独旗" in choices
    assert viewer in access.manageable_users(admin)
    county_admin = make_user("solo_county_admin", None)
    Membership.objects.create(user=county_admin, role=Role.SYSADMIN, county="独旗")
    assert county_admin not in access.manageable_users(admin)  # no reset of a wider administrator's password
    user, _ = actions.create_account(username="newcounty", actor=admin)
    grant = actions.add_membership(user=user, role=Role.COUNTY_VIEWER, county="独旗", actor=admin)
    # 三员分立: a request until an 安委办 officer of a town of the county confirms it.
    assert isinstance(grant, RoleGrant) and (grant.county, grant.town) == ("独旗", None)
    assert not Membership.objects.filter(user=user).exists()
    officer = make_user("solo_officer", Role.OFFICER, alone)
    actions.change_password(user=user, password="Own-pass-2025", actor=user)
    actions.confirm_grant(grant=grant, actor=officer)
    assert Membership.objects.filter(user=user, county="独旗", town=None).exists()
    assert user in access.manageable_users(admin)
    other, _ = actions.create_account(username="countyadmin", actor=admin)
    with pytest.raises(ValidationError, match="只有旗县级系统管理员"):
        actions.add_membership(user=other, role=Role.SYSADMIN, county="独旗", actor=admin)


def test_a_sysadmin_of_one_town_of_several_does_not_administer_the_county(world: Any) -> None:
    # 乌审旗 has 乌审召镇 and 图克镇; the sysadmin of 乌审召镇 alone would widen a county viewer beyond it.
    sysadmin = world.users["sysadmin"]
    assert access.admin_counties(sysadmin) == set()
    assert world.users["county_viewer"] not in access.manageable_users(sysadmin)
    user, _ = actions.create_account(username="c2", actor=sysadmin)
    with pytest.raises(ValidationError, match="自己管理的乡镇"):
        actions.add_membership(user=user, role=Role.COUNTY_VIEWER, county="乌审旗", actor=sysadmin)


def _sheet(*rows: list[object]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(bulk.COLUMNS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(name: str, account: str, post: str = "分管安全生产副镇长") -> list[object]:
    return [
        "镇人民政府",
        "",
        post,
        "",
        name,
        "",
        datetime.date(2020, 1, 1),
        None,
        "",
        account,
    ]


def test_the_people_import_links_accounts_of_the_town_and_refuses_others_alike(world: Any) -> None:
    officer = world.users["officer"]
    make = get_user_model().objects.create_user
    holder = make(username="zhaoyj")
    Membership.objects.create(user=holder, role=Role.LEADER, town=world.town)
    add_person(town=world.town, name="赵永军", actor=officer)
    result = bulk.import_xlsx(
        world.town, _sheet(_row("李强", "leader"), _row("赵永军", "ZhaoYJ", "镇长")), actor=officer
    )
    assert result.ok, result.errors
    assert Person.objects.get(town=world.town, name="赵永军").user == holder
    # Unknown, another town's and a role-less account read alike: no username elsewhere is revealed.
    for username in ("nobody_at_all", "other", "nobody"):
        bad = bulk.import_xlsx(world.town, _sheet(_row("巴图", username)), actor=officer)
        assert [str(e) for e in bad.errors] == [
            f"第2行【系统账号】：本镇没有用户名为“{username}”的账号（须先由系统管理员建立并分配本镇角色）"
        ]
    taken = bulk.import_xlsx(world.town, _sheet(_row("巴图", "leader")), actor=officer)
    assert "已关联乌审召镇的“李强”" in str(taken.errors[0])
    assert Person.objects.get(pk=world.person.pk).user_id is None
    # The export names each holder's account and re-imports unchanged.
    exported = load_workbook(io.BytesIO(bulk.export_xlsx(world.town, actor=officer))).worksheets[0]
    header = [c.value for c in exported[2]]
    accounts = {
        r[header.index("姓名")]: r[header.index("系统账号")]
        for r in exported.iter_rows(min_row=3, values_only=True)
    }
    assert accounts["李强"] == "leader" and accounts["赵永军"] == "zhaoyj" and not accounts["巴图"]


def test_the_holder_is_one_tap_from_their_own_page(world: Any) -> None:
    home = world.client("leader").get("/").content.decode()
    assert f'href="{reverse("org:person", args=[world.leader_person.pk])}"' in home and "我的履职" in home
    assert "我的履职" not in world.client("officer").get("/").content.decode()


def test_an_account_waiting_for_its_role_is_out_of_another_towns_reach(world: Any) -> None:
    """A role the sysadmin asked for is only a request until the 安委办 confirms it; the account still belongs to
    that town meanwhile: another town's administrator neither lists it nor opens it."""
    user, _ = actions.create_account(username="waiting", actor=world.users["sysadmin"])
    grant = actions.add_membership(
        user=user, role=Role.OFFICER, town=world.town, actor=world.users["sysadmin"]
    )
    assert isinstance(grant, RoleGrant) and not Membership.objects.filter(user=user).exists()
    assert user in access.manageable_users(world.users["sysadmin"])
    assert user not in access.manageable_users(world.users["other_sysadmin"])
    other = world.client("other_sysadmin")
    assert "waiting" not in other.get("/accounts/").content.decode()
    assert other.get(f"/accounts/{user.pk}/").status_code == 404


def test_a_generated_password_never_contains_a_short_username(
    monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    # The first random candidate holds the username "c2"; the account is created all the same, with the next one.
    import secrets

    real = secrets.choice
    feed = iter("Ab3-xyzc2Qwert" + "Ab3-xyzQwertyu")

    def choice(seq: Any) -> Any:
        for c in feed:
            return c
        return real(seq)  # the salt and anything after the password draw at random as ever

    monkeypatch.setattr(secrets, "choice", choice)
    user, password = actions.create_account(username="c2", actor=None)
    assert password == "Ab3-xyzQwertyu" and user.check_password(password)
