"""Leaders' homes show their range (issue 27 point 1): for every demo leader with a range — the 书记, 镇长 and safety
deputy the whole town, the 分管 deputies their bodies — each figure agrees with the page it links to, and the
range is worked out a second way from the register (not through org.selectors.charge_of)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yigang.accidents import clocks
from yigang.accidents.models import Accident
from yigang.duties import cache as kept
from yigang.org.models import Person, Portfolio, Tenure
from yigang.signoff.models import Task
from yigang.towns.models import Account

pytestmark = pytest.mark.django_db

# (username, whole town?) — the demo's leaders with a range: accounts by phone from the sign-off demo.
LEADERS = [
    ("zhenzhang", True),  # 镇长 巴图
    ("13904770101", True),  # 党委书记 乌力吉
    ("13904770106", True),  # 分管安全生产副镇长 赵永军
    ("13904770107", False),  # 副镇长（分管农牧业）额尔敦
    ("13904770121", False),  # 副镇长（分管城建）孙磊
    ("13904770104", False),  # 党委副书记、政法委员 刘志刚 (分管 派出所 and three offices)
]


def _section(html: str, name: str) -> str:
    start = html.index(f'class="{name}"')
    return html[start : html.index("</article>", start)]


def _n(pattern: str, html: str, default: int | None = None) -> int:
    match = re.search(pattern, html)
    if match is None and default is not None:
        return default
    assert match, pattern
    return int(match.group(1))


def _bodies_by_hand(person: Person) -> set[int]:
    """The bodies in the person's charge today, read from the portfolios (the demo gives bodies, not sectors)."""
    today = timezone.localdate()
    posts = Tenure.objects.at(today).filter(person=person).values_list("post_id", flat=True)
    portfolios = list(Portfolio.objects.at(today).filter(post_id__in=list(posts)))
    assert all(p.unit_id for p in portfolios)
    return {p.unit_id for p in portfolios}


def _holders(bodies: set[int] | None, town: object) -> set[int]:
    tenures = Tenure.objects.at(timezone.localdate()).filter(town=town)
    if bodies is not None:
        tenures = tenures.filter(post__unit_id__in=bodies)
    return set(tenures.values_list("person_id", flat=True))


def _running_by_hand(accident: Accident, now: datetime.datetime) -> int:
    """How many of the accident's clocks still run: the county not yet told, the investigation report not yet in,
    the 补报 window not yet closed (民法典 Art. 201/203: 24:00 of day 7 or 30 after the accident's day)."""
    report = accident.latest
    told = report.reported_at is not None
    investigated = hasattr(accident, "investigation")
    window_open = now < clocks.supplement_deadline(report.occurred_at, report.kind)
    return (not told) + (not investigated) + window_open


def test_every_demo_leaders_home_agrees_with_the_pages_it_links_to() -> None:
    call_command("demo", "--quiet")  # once: it is the slow part
    Account.objects.update(must_change_password=False)
    for username, whole in LEADERS:
        _agree(username, whole)
    _officer_is_linked()


def _officer_is_linked() -> None:
    """Point 6: the demo 安委办 account is 王晓燕, who holds the staff post of the safety committee's office (a post
    the regulation binds no duty to: no compliance row, no sign-off task), so her home is her own, not "not linked"."""
    from yigang.duties.compliance import compute

    user = get_user_model().objects.get(username="anweiban")
    person = Person.objects.get(user=user)
    assert person.name == "王晓燕"
    tenure = Tenure.objects.at(timezone.localdate()).select_related("post__unit").get(person=person)
    assert tenure.post.unit.name == "镇安全生产委员会及其办公室" and tenure.post.kind == ""
    assert not [
        r for r in compute(person.town, timezone.localdate().year).rows if r.post_id == tenure.post_id
    ]
    assert not Task.objects.filter(person=person).exists()
    client = Client()
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert "尚未关联" not in home and "年全镇情况" in home
    assert "您目前所任岗位在本周期没有按频次计算的职责" in home


def _agree(username: str, whole: bool) -> None:
    user = get_user_model().objects.get(username=username)
    person = Person.objects.get(user=user)
    town = person.town
    client = Client()
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert ("我负责的范围：全镇" in home) is whole, username
    assert ("年全镇情况" in home) is whole, username
    bodies = None if whole else _bodies_by_hand(person)
    holders = _holders(bodies, town)
    _hazards(client, home, username)
    _accidents(client, home, town, bodies, username)
    _behind(client, home, holders, username)
    _signoff(client, home, holders, town, username)
    _assessment(client, home, bodies, username)


def _hazards(client: Client, home: str, username: str) -> None:
    """Open, overdue and escalated-to-them: each count is the count of the list it taps to."""
    counts = re.search(r'<p class="hazard-counts">(.*?)</p>', home, re.S)
    assert counts, username
    for href, number in re.findall(r'href="([^"]+)">[^<]*?(\d+) 条</a>', counts.group(1)):
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert _n(r"共 (\d+) 条", listed) == int(number), (username, href)


def _accidents(client: Client, home: str, town: object, bodies: set[int] | None, username: str) -> None:
    now = timezone.now()
    section = _section(home, "leading-accidents")
    listed = re.findall(r'<li><a href="/accidents/(\d+)/">.*?</li>', section, re.S)
    items = re.findall(r'<li><a href="/accidents/(\d+)/">(.*?)</li>', section, re.S)
    accidents = Accident.objects.filter(town=town).select_related("latest", "investigation")
    if bodies is not None:
        from yigang.org.models import Supervision

        sectors = set(
            Supervision.objects.at(timezone.localdate())
            .filter(unit_id__in=bodies)
            .values_list("sector_id", flat=True)
        )
        accidents = [a for a in accidents if a.latest.sector_id in sectors or a.latest.unit_id in bodies]
    expected = {str(a.pk): _running_by_hand(a, now) for a in accidents if _running_by_hand(a, now)}
    assert set(listed) == set(expected), username
    for pk, body in items:
        shown = body.count('<small class="clock-')
        assert shown == expected[pk], (username, pk)
        page = client.get(reverse("accidents:detail", args=[int(pk)])).content.decode()
        lis = re.findall(r'<li class="clock clock-(\w+)">(.*?)</li>', page, re.S)
        ticking = [s for s, text in lis if s == "open" or (s == "overdue" and "已截止" not in text)]
        assert len(ticking) == shown, (username, pk)
    if expected:
        assert _n(r'<strong class="figure">(\d+)</strong> 起', section) == len(expected)


def _behind(client: Client, home: str, holders: set[int], username: str) -> None:
    section = _section(home, "leading-behind")
    year = timezone.localdate().year
    lines = re.findall(
        r'<a href="/duties/people/(\d+)/\d+/">.*?未完成 (\d+) 项，有风险 (\d+) 项', section, re.S
    )
    shown = {int(pk): (int(m), int(r)) for pk, m, r in lines}
    assert len(shown) == len(lines), username
    # Everyone shown holds a post in the range; every holder in the range whose duty year is behind is shown; and
    # each one's counts are the 未完成 and 有风险 of their duty year.
    for pk in holders:
        page = client.get(reverse("duties:person_year", args=[pk, year])).content.decode()
        summary = page[page.index('<div class="summary">') :]
        summary = summary[: summary.index("</div>")]
        missed = _n(r"未完成 (\d+)", summary, 0)
        at_risk = _n(r"有风险 (\d+)", summary, 0)
        if missed or at_risk:
            assert shown.get(pk) == (missed, at_risk), (username, pk)
        else:
            assert pk not in shown, (username, pk)
    assert set(shown) <= holders, username
    if shown:
        assert _n(r'<strong class="figure">(\d+)</strong> 人落后或有风险', section) == len(shown)


def _signoff(client: Client, home: str, holders: set[int], town: object, username: str) -> None:
    section = _section(home, "leading-signoff")
    lines = re.findall(r'<a href="/register/people/(\d+)/">.*?(\d+) 份未确认', section, re.S)
    shown = {int(pk): int(n) for pk, n in lines}
    waiting = Task.objects.filter(document__town=town, ended_at__isnull=True, confirmation__isnull=True)
    owing = {pk for pk in holders if waiting.filter(person_id=pk).exists()}
    assert set(shown) == owing, username
    for pk, n in shown.items():
        page = client.get(reverse("org:person", args=[pk])).content.decode()
        part = page[page.index("待签收确认</h3>") :]
        part = part[: part.index("</ul>")]
        assert part.count("<li>") == n == waiting.filter(person_id=pk).count(), (username, pk)


def _assessment(client: Client, home: str, bodies: set[int] | None, username: str) -> None:
    section = _section(home, "leading-assessment")
    href = re.search(r'href="(/assessment/\?year=\d+)"', section)
    assert href, username
    index = client.get(href.group(1)).content.decode()
    units_table = index[index.index("<h3>单位</h3>") : index.index("<h3>镇领导</h3>")]
    keys = re.findall(r"key=unit%3A(\d+)", units_table)
    if bodies is None:
        assert _n(r'<strong class="figure">(\d+)</strong> 个单位已评分', section) == len(keys), username
        vetoed = _n(r"一票否决 (\d+) 个", section)
        rows = re.findall(r"<tr>(.*?)</tr>", index[index.index("<h3>单位</h3>") :], re.S)
        on_index = sum(1 for r in rows if re.search(r"<td>[^<]+</td><td>(?:✓|并列待定)?</td>$", r))
        assert vetoed == on_index, username
    else:
        shown = re.findall(r"key=unit%3A(\d+)", section)
        assert _n(r'<strong class="figure">(\d+)</strong> 个分管单位', section) == len(set(keys)), username
        assert set(shown) == set(keys), username
        assert {int(k) for k in keys} <= bodies and keys, username


def test_a_leaders_home_reads_a_fixed_number_of_queries() -> None:
    """The leaders' part of the home reads the same number of queries with more accidents and tasks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("demo", "--quiet")
    Account.objects.update(must_change_password=False)
    counts = {}
    for username, _whole in (("zhenzhang", True), ("13904770121", False)):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        client.get(reverse("home"))
        kept.forget()
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("home"))
        counts[username] = len(few.captured_queries)
    # More of what the card lists: the demo's accidents again (each a running clock) and more open sign-off tasks.
    from yigang.accidents.actions import report_accident

    sample = Accident.objects.filter(town__code="wushenzhao").select_related("latest").first()
    assert sample is not None
    _copy_accidents(report_accident, sample, 3)
    for username, _whole in (("zhenzhang", True), ("13904770121", False)):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        client.get(reverse("home"))
        kept.forget()
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("home"))
        assert len(many.captured_queries) == counts[username], username
        assert counts[username] < 120, username


def _copy_accidents(report_accident: object, sample: Accident, n: int) -> None:
    """`n` more accidents like `sample`, reported now and not yet told to the county, half of them in a sector of
    the 城建 deputy's bodies (so both homes list more)."""
    import dataclasses

    from yigang.accidents.actions import report_data
    from yigang.org.models import Sector, Supervision, Unit

    town = sample.town
    body = Unit.objects.get(town=town, name="城市管理办公室", active=True)
    sector_id = (
        Supervision.objects.at(timezone.localdate())
        .filter(unit=body)
        .values_list("sector_id", flat=True)
        .first()
    )
    assert sector_id is not None
    base = report_data(sample.latest)
    for k in range(n):
        at = timezone.now() - datetime.timedelta(hours=k + 1)
        data = dataclasses.replace(base, occurred_at=at, learned_at=at, reported_at=None)
        if k % 2 == 0:
            data = dataclasses.replace(data, sector=Sector.objects.get(pk=sector_id))
        report_accident(town=town, data=data, actor=None)  # type: ignore[operator]
