"""Register pages: who may see and change what, and a bounded number of queries on the list pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.org import actions
from yigang.org.models import Person, Portfolio, Sector, Tenure, Unit

from .conftest import Register

pytestmark = pytest.mark.django_db
READERS = ["officer", "leader", "body_staff", "village_staff", "county_viewer"]
NOT_OFFICERS = ["leader", "body_staff", "village_staff", "county_viewer"]


def _read_urls(reg: Register) -> list[str]:
    sector = Sector.objects.get(town=reg.town, name="烟花爆竹")
    village = Unit.objects.get(town=reg.town, name="巴音敖包嘎查")
    return [
        reverse("org:chain"),
        f"{reverse('org:chain')}?sector={sector.pk}&place={village.pk}&at=2024-06-01",
        reverse("org:units"),
        reverse("org:unit", args=[reg.units["平安建设办公室"].pk]),
        reverse("org:people"),
        reverse("org:person", args=[reg.person("巴图").pk]),
        reverse("org:portfolios"),
        reverse("org:lint") + "?at=2024-06-01",
        reverse("org:bulk_template"),
    ]


@pytest.mark.parametrize("role", READERS)
def test_every_reading_role_sees_the_register_pages(
    role: str, register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users[role])
    for url in _read_urls(register):
        assert client.get(url).status_code == 200, url
    chain = client.get(_read_urls(register)[1]).content.decode()
    assert "巴特尔" in chain and "平安建设办公室主任" in chain
    assert f'href="{reverse("org:person", args=[register.person("巴特尔").pk])}"' in chain


@pytest.mark.parametrize("role", NOT_OFFICERS)
def test_only_the_officer_opens_the_officer_pages(
    role: str, register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users[role])
    for name in ("org:bulk", "org:bulk_export", "org:reorganise"):
        assert client.get(reverse(name)).status_code == 403, name
    officer = login(users["officer"])
    for name in ("org:bulk", "org:bulk_export", "org:reorganise"):
        assert officer.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("role", ["sysadmin", "nobody"])
def test_users_without_a_town_get_404(
    role: str, register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users[role])
    for url in _read_urls(register):
        assert client.get(url).status_code == 404, url


def test_another_towns_officer_sees_nothing_of_this_town(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users["other_officer"])
    assert client.get(reverse("org:person", args=[register.person("巴图").pk])).status_code == 404
    assert client.get(reverse("org:unit", args=[register.units["交警中队"].pk])).status_code == 404
    assert "巴图" not in client.get(reverse("org:people")).content.decode()
    assert "交警中队" not in client.get(reverse("org:units")).content.decode()
    sector = Sector.objects.get(town=register.town, name="烟花爆竹")
    page = client.get(f"{reverse('org:chain')}?sector={sector.pk}")
    assert "没有该行业领域" in page.content.decode()
    tenure = Tenure.objects.filter(town=register.town, end__isnull=True).first()
    assert tenure is not None
    assert client.post(reverse("org:tenure_end", args=[tenure.pk]), {"end": "2025-01-01"}).status_code == 404
    portfolio = Portfolio.objects.filter(town=register.town).first()
    assert portfolio is not None
    assert (
        client.post(reverse("org:portfolio_end", args=[portfolio.pk]), {"end": "2025-01-01"}).status_code
        == 404
    )
    unit = register.units["交警中队"]
    assert client.post(reverse("org:post_add", args=[unit.pk]), {"title": "x"}).status_code == 404
    tenure.refresh_from_db()
    assert tenure.end is None


def test_anonymous_users_are_sent_to_log_in(register: Register, client: Any) -> None:
    for url in [*_read_urls(register), reverse("org:bulk"), reverse("org:reorganise")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


@pytest.mark.parametrize("role", NOT_OFFICERS)
def test_only_the_officer_changes_the_register(
    role: str, register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users[role])
    tenure = Tenure.objects.get(post=register.posts["镇长"], end__isnull=True)
    portfolio = Portfolio.objects.filter(town=register.town).first()
    assert portfolio is not None
    unit = register.units["交警中队"]
    posts = [
        (reverse("org:person_add"), {"name": "新人"}),
        (
            reverse("org:appoint"),
            {
                "post": register.posts["副镇长"].pk,
                "person": register.person("巴图").pk,
                "start": "2025-01-01",
            },
        ),
        (reverse("org:tenure_end", args=[tenure.pk]), {"end": "2025-01-01"}),
        (
            reverse("org:portfolio_assign"),
            {"post": register.posts["副镇长"].pk, "unit": unit.pk, "start": "2025-01-01"},
        ),
        (reverse("org:portfolio_end", args=[portfolio.pk]), {"end": "2025-01-01"}),
        (reverse("org:unit_add"), {"name": "新单位", "kind": "body"}),
        (reverse("org:post_add", args=[unit.pk]), {"title": "副队长"}),
        (
            reverse("org:reorganise"),
            {
                "kind": "rename",
                "effective": "2024-01-01",
                "sources": [unit.pk],
                "results": "交警大队",
                "confirm": "1",
            },
        ),
        (reverse("org:bulk"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not Person.objects.filter(name="新人").exists()
    assert not Unit.objects.filter(name__in=["新单位", "交警大队"]).exists()
    tenure.refresh_from_db()
    portfolio.refresh_from_db()
    assert tenure.end is None and portfolio.end is None
    assert AuditEntry.objects.filter(event="auth.permission_denied", user=users[role]).count() == len(posts)


def test_the_officer_works_the_register_through_the_pages(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users["officer"])
    response = client.post(reverse("org:person_add"), {"name": "孙磊", "phone": "139"})
    person = Person.objects.get(name="孙磊")
    assert response["Location"] == reverse("org:person", args=[person.pk])
    deputy = register.posts["副镇长"]
    tenure = Tenure.objects.get(post=deputy)
    client.post(reverse("org:tenure_end", args=[tenure.pk]), {"end": "2024-12-31"})
    page = client.post(
        reverse("org:appoint"),
        {
            "post": deputy.pk,
            "person": person.pk,
            "start": "2025-01-01",
            "next": reverse("org:person", args=[person.pk]),
        },
        follow=True,
    )
    assert "孙磊 任 副镇长" in page.content.decode()
    assert Tenure.objects.get(post=deputy, end__isnull=True).person == person
    # A refused write shows the action's Chinese reason and saves nothing.
    page = client.post(
        reverse("org:appoint"),
        {"post": deputy.pk, "person": register.person("巴图").pk, "start": "2025-02-01"},
        follow=True,
    )
    assert "已由孙磊担任" in page.content.decode()
    page = client.post(
        reverse("org:appoint"), {"post": deputy.pk, "person": person.pk, "start": "2025-13-01"}, follow=True
    )
    assert "请按 YYYY-MM-DD 格式填写日期" in page.content.decode()
    sector = Sector.objects.get(town=register.town, name="烟花爆竹")
    client.post(
        reverse("org:portfolio_assign"), {"post": deputy.pk, "sector": sector.pk, "start": "2025-01-01"}
    )
    assert Portfolio.objects.filter(post=deputy, sector=sector).exists()
    page = client.post(
        reverse("org:portfolio_assign"), {"post": deputy.pk, "start": "2025-01-01"}, follow=True
    )
    assert "请选择分管的单位或行业领域" in page.content.decode()
    client.post(
        reverse("org:unit_add"),
        {
            "name": "乌审召加油站",
            "kind": "enterprise",
            "sector": Sector.objects.get(town=register.town, name="危险化学品").pk,
            "village": register.units["乌审召嘎查"].pk,
        },
    )
    assert Unit.objects.get(name="乌审召加油站").sector.name == "危险化学品"


def test_the_officer_reorganises_in_two_steps(register: Register, users: dict[str, Any], login: Any) -> None:
    client = login(users["officer"])
    unit = register.units["平安建设办公室"]
    data = {
        "kind": "split",
        "effective": "2024-07-01",
        "sources": [unit.pk],
        "results": "平安建设办公室\n应急管理办公室",
    }
    preview = client.post(reverse("org:reorganise"), data)
    body = preview.content.decode()
    assert preview.status_code == 200 and "确认登记" in body and 'name="alloc-' in body
    assert not Unit.objects.filter(name="应急管理办公室").exists()
    supervision = unit.supervisions.get(sector__name="烟花爆竹")
    done = client.post(
        reverse("org:reorganise"), {**data, "confirm": "1", f"alloc-{supervision.pk}": "应急管理办公室"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("org:lint") + "?at=2024-07-01"
    new = Unit.objects.get(name="应急管理办公室")
    assert list(new.supervisions.values_list("sector__name", flat=True)) == ["烟花爆竹"]
    check = client.get(done["Location"]).content.decode()
    assert "应急管理办公室负责人" in check
    bad = client.post(reverse("org:reorganise"), {**data, "results": "交警中队\n另一个"})
    assert "已有名为“交警中队”" in bad.content.decode()


def test_the_chain_form_explains_bad_input(register: Register, users: dict[str, Any], login: Any) -> None:
    client = login(users["leader"])
    page = client.get(reverse("org:chain") + "?sector=&at=2024-99-01").content.decode()
    assert "请选择行业领域" in page and "请按 YYYY-MM-DD 格式填写日期" in page


def test_the_chain_answers_an_htmx_request_with_the_partial(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users["leader"])
    sector = Sector.objects.get(town=register.town, name="道路交通")
    page = client.get(f"{reverse('org:chain')}?sector={sector.pk}&at=2024-06-01", HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert "<html" not in body and "多头监管" in body and "交警中队主任" in body


def _more_people(reg: Register, n: int) -> None:
    village = actions.add_unit(town=reg.town, name="新嘎查", kind="village", actor=None)
    for i in range(n):
        post = actions.add_post(unit=village, title=f"委员{i}", kind="", actor=None)
        person = actions.add_person(town=reg.town, name=f"委员{i}", actor=None)
        actions.appoint(post=post, person=person, start=datetime.date(2023, 1, 1), actor=None)
        actions.assign_portfolio(
            post=post,
            sector=Sector.objects.filter(town=reg.town)[i],
            start=datetime.date(2023, 1, 1),
            actor=None,
        )


@pytest.mark.parametrize(
    ("name", "limit"), [("org:people", 10), ("org:units", 13), ("org:portfolios", 11), ("org:chain", 20)]
)
def test_list_pages_take_a_bounded_number_of_queries(
    name: str,
    limit: int,
    register: Register,
    users: dict[str, Any],
    login: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(users["leader"])
    sector = Sector.objects.get(town=register.town, name="消防")
    url = reverse(name) + (
        f"?sector={sector.pk}&place={register.units['乌审召嘎查'].pk}" if name == "org:chain" else ""
    )
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    _more_people(register, 10)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_the_appoint_page_refuses_a_start_years_ahead(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    client = login(users["officer"])
    deputy = register.posts["副镇长"]
    person = register.person("巴图")
    before = Tenure.objects.count()
    page = client.post(
        reverse("org:appoint"), {"post": deputy.pk, "person": person.pk, "start": "2062-01-01"}, follow=True
    )
    assert "任职日期（2062-01-01）不能晚于" in page.content.decode()
    assert Tenure.objects.count() == before
