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
