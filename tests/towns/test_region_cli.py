"""`yigang region add|list|place` and `yigang accounts create --region`: the tree and who sits at a level."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from yigang.audit.models import AuditEntry
from yigang.towns.models import Membership, Region, Role, towns_for

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def ordos() -> Region:
    run("region", "add", "--code", "nmg", "--name", "内蒙古自治区", "--level", "province")
    run(
        "region", "add", "--code", "ordos", "--name", "鄂尔多斯市", "--level", "prefecture", "--parent", "nmg"
    )
    return Region.objects.get(code="ordos")


def test_add_builds_the_tree_level_by_level(ordos: Region) -> None:
    assert ordos.parent is not None and ordos.parent.code == "nmg"
    assert AuditEntry.objects.filter(event="region.add", object_repr="鄂尔多斯市").exists()
    with pytest.raises(CommandError, match="盟市的上级须是省"):
        run("region", "add", "--code", "bt", "--name", "包头市", "--level", "prefecture")
    with pytest.raises(CommandError, match="旗县的上级须是盟市"):
        run("region", "add", "--code", "x", "--name", "某旗", "--level", "county", "--parent", "nmg")
    with pytest.raises(CommandError, match="已被使用"):
        run(
            "region", "add", "--code", "ordos", "--name", "别的市", "--level", "prefecture", "--parent", "nmg"
        )
    with pytest.raises(CommandError, match="代码"):
        run(
            "region", "add", "--code", "两个 字", "--name", "某市", "--level", "prefecture", "--parent", "nmg"
        )
    assert Region.objects.count() == 2  # nothing half-saved


def test_place_puts_a_county_the_towns_name_under_a_prefecture(
    ordos: Region, town: Any, other_town: Any, far_town: Any
) -> None:
    with pytest.raises(CommandError, match="--code"):
        run("region", "place", "乌审旗", "--parent", "ordos")
    out = json.loads(run("region", "place", "乌审旗", "--parent", "鄂尔多斯市", "--code", "wushen", "--json"))
    assert (out["code"], out["parent"], out["towns"]) == ("wushen", "ordos", 2)
    with pytest.raises(CommandError, match="没有乡镇属于"):
        run("region", "place", "无人旗", "--parent", "ordos", "--code", "wr")

    listed = json.loads(run("region", "list", "--json"))
    assert [r["code"] for r in listed["regions"]] == [
        "wushen",
        "ordos",
        "nmg",
    ]  # by level: county, 盟市, province
    assert listed["counties_without_region"] == [{"county": "别的旗", "towns": 1}]
    assert "（未归属盟市）别的旗" in run("region", "list")

    # Moving it: its towns follow by the county's name.
    run("region", "add", "--code", "bt", "--name", "包头市", "--level", "prefecture", "--parent", "nmg")
    run("region", "place", "wushen", "--parent", "bt")
    assert Region.objects.get(code="wushen").parent == Region.objects.get(code="bt")
    assert AuditEntry.objects.get(event="region.place").changes == {"parent": ["ordos", "bt"]}
    with pytest.raises(CommandError, match="旗县的上级须是盟市"):
        run("region", "place", "wushen", "--parent", "nmg")


def test_accounts_create_a_viewer_at_a_prefecture(ordos: Region, town: Any, other_town: Any) -> None:
    run("region", "place", "乌审旗", "--parent", "ordos", "--code", "wushen")
    row = json.loads(
        run("accounts", "create", "meng", "--role", "county_viewer", "--region", "ordos", "--json")
    )
    user = get_user_model().objects.get(username="meng")
    assert row["password"] and Membership.objects.get(user=user).region == ordos
    assert set(towns_for(user)) == {town, other_town}
    entry = AuditEntry.objects.get(event="account.membership.add", object_repr="meng")
    assert entry.changes["region"] == "ordos"
    assert "county_viewer@ordos" in run("accounts", "list")
    assert "已撤销" in run("accounts", "revoke", "meng", "--region", "ordos")
    assert not Membership.objects.filter(user=user).exists() and not towns_for(user).exists()
    removed = AuditEntry.objects.get(event="account.membership.remove", object_repr="meng")
    assert removed.changes["region"] == "ordos"
    with pytest.raises(CommandError, match="没有监管查看角色"):
        run("accounts", "revoke", "meng", "--region", "ordos")

    with pytest.raises(CommandError, match="没有代码为"):
        run("accounts", "create", "meng2", "--role", "county_viewer", "--region", "nowhere")
    with pytest.raises(CommandError, match="--role county_viewer"):
        run("accounts", "create", "meng3", "--role", "leader", "--town", town.code, "--region", "ordos")
    assert not get_user_model().objects.filter(username__in=["meng2", "meng3"]).exists()


def test_a_region_viewer_is_granted_by_the_operator_only(ordos: Region, make_user: Any, town: Any) -> None:
    from yigang.towns.actions import add_membership

    viewer = make_user("v", None)
    admin = make_user("adm", Role.SYSADMIN, town)
    with pytest.raises(ValidationError, match="命令行"):
        add_membership(user=viewer, role=Role.COUNTY_VIEWER, region=ordos, actor=admin)
    with pytest.raises(ValidationError, match="二者选一"):
        add_membership(user=viewer, role=Role.COUNTY_VIEWER, region=ordos, county="乌审旗", actor=None)
    with pytest.raises(ValidationError, match="只有监管查看人员"):
        add_membership(user=viewer, role=Role.LEADER, town=town, region=ordos, actor=None)
    add_membership(user=viewer, role=Role.COUNTY_VIEWER, region=ordos, actor=None)
    with pytest.raises(ValidationError, match="已有此角色"):
        add_membership(user=viewer, role=Role.COUNTY_VIEWER, region=ordos, actor=None)
    # Separation of duties holds at a region as anywhere: an administrator is not also a viewer.
    with pytest.raises(ValidationError, match="三权分立"):
        add_membership(user=admin, role=Role.COUNTY_VIEWER, region=ordos, actor=None)


def test_no_town_or_county_administrator_manages_a_region_viewer(
    ordos: Region, make_user: Any, town: Any
) -> None:
    """A 盟市 viewer reads every town of the 盟市: a town's (or a county's) administrator must not reach the
    account (reset its password, and so log in as it)."""
    from yigang.towns.access import manageable_users
    from yigang.towns.actions import add_membership

    viewer = make_user("meng", None)
    add_membership(user=viewer, role=Role.COUNTY_VIEWER, region=ordos, actor=None)
    town_admin = make_user("adm", Role.SYSADMIN, town)
    county_admin = make_user("cadm", None)
    Membership.objects.create(user=county_admin, role=Role.SYSADMIN, county=town.county)
    assert viewer not in manageable_users(town_admin)
    assert viewer not in manageable_users(county_admin)
    assert make_user("plain", Role.COUNTY_VIEWER, town) in manageable_users(county_admin)  # by name: theirs
