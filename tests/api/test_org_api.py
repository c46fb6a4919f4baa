"""The register API: chain, people, person, units; scoped like the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.org.conftest import Register

pytestmark = pytest.mark.django_db
CHAIN = "/api/register/towns/wushenzhao/chain"


def _urls(reg: Register) -> list[str]:
    return [
        f"{CHAIN}?sector=烟花爆竹",
        "/api/register/towns/wushenzhao/people",
        f"/api/register/people/{reg.person('巴图').pk}",
        "/api/register/towns/wushenzhao/units",
        f"/api/register/units/{reg.units['交警中队'].pk}",
    ]


def test_the_openapi_document_lists_the_register_operations(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["leader"])  # the schema needs a login (docs/security.md)
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/register/towns/{town_code}/chain",
        "/api/register/towns/{town_code}/people",
        "/api/register/people/{person_id}",
        "/api/register/towns/{town_code}/units",
        "/api/register/units/{unit_id}",
    } <= paths


def test_anonymous_calls_are_refused(client: Any, register: Register) -> None:
    for url in _urls(register):
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("role", ["officer", "leader", "body_staff", "village_staff", "county_viewer"])
def test_every_reader_gets_the_register(
    role: str, users: dict[str, Any], register: Register, login: Any
) -> None:
    client = login(users[role])
    for url in _urls(register):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["other_officer", "nobody", "sysadmin"])
def test_outsiders_get_404(role: str, users: dict[str, Any], register: Register, login: Any) -> None:
    client = login(users[role])
    for url in _urls(register):
        assert client.get(url).status_code == 404, url


def test_the_chain_has_the_shape_of_the_cli_plus_ids(
    users: dict[str, Any], register: Register, login: Any
) -> None:
    client = login(users["leader"])
    data = client.get(f"{CHAIN}?sector=烟花爆竹&place=巴音敖包嘎查&at=2024-03-31").json()
    assert set(data) == {"sector", "place", "at", "chain", "warnings", "place_kind"}
    assert data["place_kind"] == "village"
    assert (data["sector"], data["place"], data["at"]) == ("烟花爆竹", "巴音敖包嘎查", "2024-03-31")
    mayor = next(link for link in data["chain"] if link["post"] == "镇长")
    assert (mayor["person"], mayor["level"], mayor["role"]) == ("张建华", "第一责任人", "leadership")
    assert mayor["person_id"] == register.person("张建华").pk
    assert (mayor["role_label"], mayor["scope"], mayor["unit_id"]) == (
        "全面领导",
        "",
        register.units["镇人民政府"].pk,
    )
    later = client.get(f"{CHAIN}?sector=烟花爆竹&at=2024-04-01").json()
    assert next(link["person"] for link in later["chain"] if link["post"] == "镇长") == "巴图"
    assert later["place"] == "乌审召镇"


def test_unknown_names_and_bad_dates_are_explained(
    users: dict[str, Any], register: Register, login: Any
) -> None:
    client = login(users["leader"])
    response = client.get(f"{CHAIN}?sector=火箭")
    assert response.status_code == 404 and "没有名为“火箭”的行业领域" in response.json()["detail"]
    response = client.get(f"{CHAIN}?sector=烟花爆竹&place=火星嘎查")
    assert response.status_code == 404 and "没有名为“火星嘎查”的嘎查村" in response.json()["detail"]
    response = client.get(f"{CHAIN}?sector=烟花爆竹&place=交警中队")
    assert "不是嘎查村" in response.json()["detail"]
    bad_day = client.get(f"{CHAIN}?sector=烟花爆竹&at=2024-02-30")
    assert bad_day.status_code == 400 and "查询参数“at”须为日期" in bad_day.json()["detail"]


def test_people_person_and_units(users: dict[str, Any], register: Register, login: Any) -> None:
    client = login(users["village_staff"])
    people = {p["name"]: p for p in client.get("/api/register/towns/wushenzhao/people").json()}
    assert [c["post"] for c in people["巴图"]["current"]] == ["镇长"]
    assert people["张建华"]["current"] == []
    person = client.get(f"/api/register/people/{register.person('张建华').pk}").json()
    assert [(p["post"], p["end"]) for p in person["past"]] == [("镇长", "2024-03-31")]
    mayor = client.get(f"/api/register/people/{register.person('巴图').pk}").json()
    assert mayor["duty_lists"][0]["post_kind"] == "mayor"
    assert mayor["duty_lists"][0]["unit_name"] == ""
    head = client.get(f"/api/register/people/{register.person('交警中队主任').pk}").json()
    [own] = head["duty_lists"]
    assert own["unit_name"] == "交警中队" and own["level"] == "全面领导责任"
    places = [line["place"] for line in own["lines"]]
    assert "第十二条第12项" in places and "第十二条第7项" not in places  # only their own body's Art. 12 item
    assert {d["requirement"] for d in mayor["due"]} == {"每年至少4次"}
    assert all(d["window_end"].endswith("-12-31") for d in mayor["due"])
    units = client.get("/api/register/towns/wushenzhao/units?kind=village").json()
    assert [u["name"] for u in units] == ["乌审召嘎查", "巴音敖包嘎查"]
    assert units[1]["posts"][0]["holder"] == "巴特尔"
    unit = client.get(f"/api/register/units/{register.units['交警中队'].pk}").json()
    assert {s["unit"] for s in unit["supervises"]} >= {"道路交通", "查超治违"}
    assert unit["came_from"] == [] and unit["went_to"] == []


def test_list_endpoints_take_a_bounded_number_of_queries(
    users: dict[str, Any], register: Register, login: Any, django_assert_max_num_queries: Any
) -> None:
    from yigang.org import actions

    client = login(users["leader"])
    urls = [
        "/api/register/towns/wushenzhao/people",
        "/api/register/towns/wushenzhao/units",
        f"{CHAIN}?sector=消防",
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(16) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    village = actions.add_unit(town=register.town, name="新嘎查", kind="village", actor=None)
    for i in range(5):
        post = actions.add_post(unit=village, title=f"委员{i}", actor=None)
        person = actions.add_person(town=register.town, name=f"委员{i}", actor=None)
        actions.appoint(post=post, person=person, start=datetime.date(2023, 1, 1), actor=None)
    for url, before in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(before):
            client.get(url)
