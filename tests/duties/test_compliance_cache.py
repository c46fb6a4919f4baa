"""The kept compliance (duties/cache.py) and the overview's kept tables are never stale: a new record, an
amendment, a withdrawal, a new day or a history that went on differently is shown at once; nothing is shared
between readers of different parts or languages."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from yigang.duties import actions
from yigang.duties import cache as kept
from yigang.duties.compliance import TownYear, compute

from .conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 5)


def _done(result: TownYear, post: str = "镇长", kind: str = "inspection") -> int:
    return sum(r.done for r in result.rows if r.post == post and r.kind == kind)


def _same(a: TownYear, b: TownYear) -> bool:
    return [r.as_json() for r in a.rows] == [r.as_json() for r in b.rows] and [
        r.as_json() for r in a.post_rows
    ] == [r.as_json() for r in b.post_rows]


def _amend(record: Any, reason: str, withdraw: bool = False, **changes: Any) -> Any:
    data = actions.record_data(record)
    for key, value in changes.items():
        setattr(data, key, value)
    return actions.amend_record(record=record, data=data, reason=reason, withdraw=withdraw, actor=None)


def test_while_nothing_is_written_the_kept_result_is_used_after_one_query(
    world: Any, town: Any, django_assert_num_queries: Any
) -> None:
    first = kept.town_year(town, 2025, today=TODAY)
    assert _same(first, compute(town, 2025, today=TODAY))
    with django_assert_num_queries(1):  # the mark: the newest audit entry
        assert kept.town_year(town, 2025, today=TODAY) is first


def test_a_new_record_is_counted_at_once(world: Any, town: Any, posts: Any, rec: Any) -> None:
    before = kept.town_year(town, 2025, today=TODAY)
    rec(posts["mayor"], "inspection", D(2025, 6, 3), title="复查")
    after = kept.town_year(town, 2025, today=TODAY)
    assert _done(after) == _done(before) + 1
    assert _same(after, compute(town, 2025, today=TODAY))


def test_an_amendment_moving_a_record_out_of_the_year_is_counted_at_once(world: Any, town: Any) -> None:
    before = kept.town_year(town, 2025, today=TODAY)
    assert _done(before) == 1
    _amend(world["record"], "日期记错：实为 2024 年", occurred_at=at(D(2024, 12, 30)))
    assert _done(kept.town_year(town, 2025, today=TODAY)) == 0
    assert _done(kept.town_year(town, 2024, today=TODAY)) == 1


def test_a_withdrawal_is_counted_at_once(world: Any, town: Any) -> None:
    assert _done(kept.town_year(town, 2025, today=TODAY)) == 1
    _amend(world["record"], "重复录入", withdraw=True)
    after = kept.town_year(town, 2025, today=TODAY)
    assert _done(after) == 0
    assert _same(after, compute(town, 2025, today=TODAY))


def test_each_day_has_its_own_result(world: Any, town: Any) -> None:
    spring = kept.town_year(town, 2025, today=D(2025, 3, 20))
    later = kept.town_year(town, 2025, today=TODAY)
    assert (spring.today, later.today) == (D(2025, 3, 20), TODAY)
    assert _same(spring, compute(town, 2025, today=D(2025, 3, 20)))


def test_a_history_that_went_on_differently_is_not_mistaken_for_the_kept_one(
    world: Any, town: Any, posts: Any, rec: Any
) -> None:
    """As after a restored backup that then went on differently: the audit ids come back with other content.
    (On SQLite the rolled-back entry's id is reused; the hash, which chains time and content, is not.)"""
    with transaction.atomic():
        sid = transaction.savepoint()
        rec(posts["mayor"], "inspection", D(2025, 6, 3), title="未保存的那次")
        gone = kept.town_year(town, 2025, today=TODAY)
        gone_mark = kept.data_mark()
        transaction.savepoint_rollback(sid)
    rec(posts["safety"], "inspection", D(2025, 6, 3), title="实际的那次")
    assert kept.data_mark() != gone_mark
    now = kept.town_year(town, 2025, today=TODAY)
    assert now is not gone
    assert (_done(now), _done(now, post="分管安全生产副镇长")) == (1, 2)
    assert _same(now, compute(town, 2025, today=TODAY))


def test_nothing_is_kept_longer_than_the_limit(
    world: Any, town: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.COMPLIANCE_CACHE_SECONDS = 60
    clock = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: clock[0])
    first = kept.town_year(town, 2025, today=TODAY)
    clock[0] += 60
    assert kept.town_year(town, 2025, today=TODAY) is first
    clock[0] += 1
    assert kept.town_year(town, 2025, today=TODAY) is not first


def test_the_cache_is_bounded_and_can_be_switched_off(world: Any, town: Any, settings: Any) -> None:
    settings.COMPLIANCE_CACHE_SIZE = 2
    for year in (2023, 2024, 2025):
        kept.town_year(town, year, today=TODAY)
    assert len(kept._kept) == 2
    settings.COMPLIANCE_CACHE_SIZE = 0
    assert kept.town_year(town, 2025, today=TODAY) is not kept.town_year(town, 2025, today=TODAY)


# The overview page: its rendered tables are kept under the same mark. ---------------------------------------------
def _safety_inspections_behind(html: str) -> list[str]:
    """The months the safety deputy's monthly inspection (第九条第4项) is listed under 需要关注."""
    table = html.split('id="behind"', 1)[1].split("</table>", 1)[0]
    rows = [r for r in table.split("<tr>") if "分管安全生产副镇长<br>" in r and "第九条第4项 检查" in r]
    return [re.findall(r"<td>(2025年\d+月)</td>", r)[0] for r in rows]


def test_the_overview_shows_a_new_record_amendment_and_withdrawal_at_once(
    world: Any, posts: Any, users: Any, rec: Any, client: Client
) -> None:
    client.force_login(users["officer"])
    url = reverse("duties:overview") + "?year=2025"

    def behind() -> list[str]:
        return _safety_inspections_behind(client.get(url).content.decode())

    every_month = [f"2025年{m}月" for m in range(1, 13)]
    missed = [m for m in every_month if m != "2025年3月"]  # the world's record of 3-18 credits the deputy
    assert behind() == missed
    assert behind() == missed  # the kept tables
    extra = rec(posts["safety"], "inspection", D(2025, 1, 20), title="复查")
    assert behind() == [m for m in missed if m != "2025年1月"]
    _amend(extra, "日期记错：实为 2 月", occurred_at=at(D(2025, 2, 10)))
    assert behind() == [m for m in missed if m != "2025年2月"]
    _amend(world["record"], "重复录入", withdraw=True)
    assert behind() == [m for m in every_month if m != "2025年2月"]


def test_a_reader_of_a_village_never_gets_the_whole_towns_kept_tables(
    world: Any, posts: Any, users: Any, client: Client
) -> None:
    from yigang.towns.models import Membership

    village = posts["village"].unit
    Membership.objects.filter(user=users["village_staff"]).update(unit=village)
    url = reverse("duties:overview") + "?year=2025"
    client.force_login(users["officer"])
    assert "镇长<br>" in client.get(url).content.decode()
    client.force_login(users["village_staff"])
    assert "镇长<br>" not in client.get(url).content.decode()


def test_english_readers_get_their_own_kept_tables(world: Any, users: Any, client: Client) -> None:
    client.force_login(users["officer"])
    url = reverse("duties:overview") + "?year=2025"
    chinese = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "需要关注" in chinese
    assert "需要关注" not in english


def test_several_towns_reuse_what_is_kept_and_compute_the_rest_together(
    world: Any, town: Any, other_town: Any, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    first = kept.town_year(town, 2025, today=TODAY)
    with django_assert_max_num_queries(
        1 + 7
    ):  # the mark, then the other town alone in compute's (at most) seven
        both = kept.town_years([town, other_town], 2025, today=TODAY)
    assert both[0] is first
    assert both[1].town == other_town and both[1].rows == []
    with django_assert_num_queries(1):
        again = kept.town_years([other_town, town], 2025, today=TODAY)
    assert again == [both[1], first]
