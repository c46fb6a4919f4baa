"""`yigang who`: the chain on the command line, as JSON or text, with Chinese errors."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.org.conftest import Register

pytestmark = pytest.mark.django_db


def who(*args: str) -> str:
    out = StringIO()
    call_command("who", "--town", "wushenzhao", *args, stdout=out)
    return out.getvalue()


def test_json_keeps_its_shape_and_only_adds_fields(register: Register) -> None:
    """Scripts written against the first shape keep working: the keys stay, in order; new ones come after."""
    data = json.loads(who("--sector", "烟花爆竹", "--place", "巴音敖包嘎查", "--at", "2024-03-31", "--json"))
    assert list(data) == ["sector", "place", "at", "chain", "warnings", "place_kind"]
    assert data["place_kind"] == "village"
    assert all(
        list(link) == ["level", "post", "unit", "person", "role", "role_label", "scope"]
        for link in data["chain"]
    )
    assert data["chain"][0] == {
        "level": "第一责任人",
        "post": "巴音敖包嘎查党支部书记",
        "unit": "巴音敖包嘎查",
        "person": "巴特尔",
        "role": "territory",
        "role_label": "属地管理",
        "scope": "",
    }
    mayor = next(link for link in data["chain"] if link["post"] == "镇长")
    assert {k: mayor[k] for k in ("level", "post", "unit", "person")} == {
        "level": "第一责任人",
        "post": "镇长",
        "unit": "镇人民政府",
        "person": "张建华",
    }
    head = next(link for link in data["chain"] if link["role"] == "sector")
    assert (head["unit"], head["level"]) == ("平安建设办公室", "全面领导责任")
    assert data["warnings"] == []


def test_text_output_marks_vacancies_and_warnings(register: Register) -> None:
    from yigang.org import actions

    actions.add_sector(town=register.town, name="光伏电站", actor=None)
    text = who("--sector", "光伏电站", "--place", "全镇", "--at", "2021-06-01")
    assert "乌审召镇 · 光伏电站 · 乌审召镇 · 2021-06-01" in text
    assert "镇长：【空缺】" in text
    assert "提示：“光伏电站”无主管部门，由属地负责（乌审召镇）。" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sector", "火箭"], "没有名为“火箭”的行业领域"),
        (["--sector", "烟花爆竹", "--place", "火星嘎查"], "没有名为“火星嘎查”的嘎查村（社区）"),
        (["--sector", "烟花爆竹", "--at", "2024-02-30"], "--at 须为 YYYY-MM-DD 格式的日期"),
        (["--sector", "烟花爆竹", "--at", "昨天"], "收到“昨天”"),
    ],
)
def test_bad_input_gets_a_chinese_error(register: Register, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        who(*args)


def test_an_unknown_town_is_refused(register: Register) -> None:
    with pytest.raises(CommandError, match="没有代码或名称为“nowhere”的乡镇"):
        call_command("who", "--town", "nowhere", "--sector", "烟花爆竹", stdout=StringIO())


def test_org_import_and_export_on_the_command_line(town: Any, tmp_path: Any) -> None:
    from tests.org.test_bulk_import import GOOD, xlsx
    from yigang.org.models import Tenure

    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(*GOOD))
    out = StringIO()
    call_command("org", "import", str(good), "--town", "wushenzhao", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"]["tenures"] == 4
    exported = tmp_path / "out.xlsx"
    call_command("org", "export", "--town", "wushenzhao", "-o", str(exported), stdout=StringIO())
    out = StringIO()
    call_command("org", "import", str(exported), "--town", "wushenzhao", stdout=out)
    assert "未变 4 条" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(["", "", "镇长", "", "某人", "", "2024-01-01"]))
    err = StringIO()
    with pytest.raises(CommandError, match="有 1 处错误，未导入任何数据"):
        call_command("org", "import", str(bad), "--town", "wushenzhao", stdout=StringIO(), stderr=err)
    assert "第3行【单位（A列）】：请填写单位名称" in err.getvalue()
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("org", "import", str(tmp_path / "none.xlsx"), "--town", "wushenzhao")
    assert Tenure.objects.count() == 4
    template = tmp_path / "t.xlsx"
    call_command("org", "template", "--town", "wushenzhao", "-o", str(template), stdout=StringIO())
    assert template.stat().st_size > 4000
