"""`yigang accounts`: create, import (all or nothing), reset, unlock — through the same actions as the pages."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from yigang.audit.models import AuditEntry
from yigang.towns.models import Account, Membership

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_initial_password_once_and_flags_the_account(world: Any) -> None:
    row = json.loads(
        run("create", "zhao", "--name", "赵 六", "--role", "leader", "--town", "wushenzhao", "--json")
    )
    user = get_user_model().objects.get(username="zhao")
    assert user.check_password(row["password"]) and Account.objects.get(user=user).must_change_password
    assert Membership.objects.get(user=user).role == "leader"
    assert (
        AuditEntry.objects.filter(event="account.create", object_repr="zhao").get().changes["source"] == "cli"
    )


def test_import_creates_every_account_or_none(world: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "username,name,role,unit\nqian,钱 一,officer,\nsun,孙 二,village_staff,乌审召嘎查\n",
        encoding="utf-8-sig",
    )
    rows = json.loads(run("import", str(good), "--town", "wushenzhao", "--json"))
    assert [r["username"] for r in rows] == ["qian", "sun"]
    assert Membership.objects.get(user__username="sun").unit == world.village
    assert Account.objects.get(user__username="sun").must_change_password

    bad = tmp_path / "bad.csv"
    bad.write_text("username,name,role,unit\nli4,李 四,leader,\nwu5,吴 五,body_staff,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行：部门和嘎查村工作人员须指定所在单位"):
        run("import", str(bad), "--town", "wushenzhao")
    assert not get_user_model().objects.filter(username__in=["li4", "wu5"]).exists()


def test_reset_unlock_and_deactivate(world: Any) -> None:
    out = run("reset-password", "leader")
    assert "下次登录须修改" in out
    assert "已解除" in run("unlock", "leader")
    run("deactivate", "leader")
    assert not get_user_model().objects.get(username="leader").is_active
    with pytest.raises(CommandError, match="没有用户"):
        run("unlock", "ghost")
    assert "leader" in run("list")
