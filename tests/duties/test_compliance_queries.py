"""The computation for a town-year takes a fixed number of queries, whatever the number of records."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.duties.compliance import compute

pytestmark = pytest.mark.django_db
D = datetime.date


def _fill(posts: Any, rec: Any, n: int) -> None:
    for i in range(n):
        day = D(2025, 1, 1) + datetime.timedelta(days=(i * 7) % 365)
        rec([posts["mayor"], posts["safety"]], ["meeting", "inspection", "training"][i % 3], day)


@pytest.mark.parametrize("records", [10, 200])
def test_it_uses_seven_queries_for_10_or_200_records(
    records: int, town: Any, seed: Any, posts: Any, appoint: Any, rec: Any, django_assert_num_queries: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1), D(2025, 6, 30))
    appoint(posts["mayor"], "张三", D(2025, 7, 1))
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    _fill(posts, rec, records)
    with django_assert_num_queries(7):
        result = compute(town, 2025, today=D(2025, 9, 1))
    assert sum(r.done for r in result.rows) >= records // 3
    with django_assert_num_queries(7):
        compute(town, 2025, today=D(2025, 9, 1), post_ids=[posts["mayor"].pk])


def test_several_towns_take_the_same_seven_queries_and_give_each_towns_own_result(
    town: Any,
    other_town: Any,
    far_town: Any,
    seed: Any,
    seed_bytes: bytes,
    posts: Any,
    appoint: Any,
    rec: Any,
    django_assert_num_queries: Any,
) -> None:
    """The county view and benchmark (a) compute many towns at once: each town's rows are exactly what compute()
    gives it alone — its own regulation, posts, holders, records and kind table, nothing of the others'."""
    from yigang.duties import actions as duty_actions
    from yigang.duties.compliance import compute_towns
    from yigang.org import actions as org
    from yigang.regulations import actions as reg

    appoint(posts["mayor"], "巴图", D(2020, 1, 1), D(2025, 6, 30))
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    _fill(posts, rec, 30)
    # This town's kind table: only an inspection meets an inspection duty, so its 整改 record does not count.
    duty_actions.set_record_rules(
        town=town,
        late_after_days=7,
        requirements={},
        matches={"inspection": ["inspection"]},
        actor=None,
    )
    fixed = rec(posts["safety"], "rectification", D(2025, 8, 5), title="整改复查")
    # The other town: the same regulation from 2025-04-01, its own mayor (vacant in May), one 整改 record of its
    # own, which meets its inspection duty under the default kind table.
    other = reg.import_regulation(town=other_town, data=seed_bytes, filename="seed.txt", actor=None)
    reg.activate_regulation(regulation=other, actor=None, effective_from=D(2025, 4, 1))
    gov = org.add_unit(town=other_town, name="图克镇人民政府", kind="government", actor=None)
    mayor = org.add_post(unit=gov, title="图克镇镇长", kind="mayor", actor=None)
    for name, start, end in [("乌力吉", D(2024, 1, 1), D(2025, 4, 30)), ("高娃", D(2025, 6, 1), None)]:
        person = org.add_person(town=other_town, name=name, actor=None)
        org.appoint(post=mayor, person=person, start=start, end=end, actor=None)
    duty_actions.create_record(
        town=other_town,
        data=duty_actions.RecordData(
            kind="rectification",
            occurred_at=datetime.datetime(2025, 7, 2, 10, tzinfo=datetime.UTC),
            title="汛期隐患整改",
            place="图克镇",
            summary="检查防汛物资。",
            participants="应急办",
            posts=[mayor],
            findings="未发现问题。",
        ),
        actor=None,
    )
    towns = [town, other_town, far_town]  # far_town: no regulation, nothing owed
    alone = [compute(t, 2025, today=D(2025, 9, 1)) for t in towns]
    with django_assert_num_queries(7):
        together = compute_towns(towns, 2025, today=D(2025, 9, 1))
    assert [t.town for t in together] == towns
    for one, many in zip(alone, together, strict=True):
        assert [r.as_json() for r in many.rows] == [r.as_json() for r in one.rows]
        assert [r.as_json() for r in many.post_rows] == [r.as_json() for r in one.post_rows]
        assert [r.records for r in many.rows] == [r.records for r in one.rows]
    assert together[1].rows and {r.post for r in together[1].rows} == {"图克镇镇长"}
    assert sum(r.done for r in together[1].rows) == 1
    assert all(ref.id != fixed.pk for r in together[0].rows for ref in r.records)
    assert together[2].rows == []
