"""A frequency the parser cannot read, or had to convert, is a warning on the review page (issue 8, point 8)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse

from yigang.regulations.models import Regulation

pytestmark = pytest.mark.django_db

TEXT = """某镇安全生产责任制度
二O二二年八月四日
第一条 镇长履行以下职责：
1．每天巡查重点部位。
2．每旬组织检查一次。
3．每年组织开展一次安全生产检查（每年至少1次）。
4．每四个月组织一次安全生产调研。
第二条 本制度自2022年9月1日起施行。
"""


def test_the_review_page_shows_what_the_parser_could_not_read(
    users: dict[str, Any], town: Any, login: Any
) -> None:
    client = login(users["officer"])
    upload = io.BytesIO(TEXT.encode())
    upload.name = "fragment.txt"
    response = client.post(reverse("regulations:import"), {"file": upload})
    draft = Regulation.objects.get(town=town)
    assert (draft.issued_on, draft.stated_effective_from) == (
        datetime.date(2022, 8, 4),
        datetime.date(2022, 9, 1),
    )
    assert [(d.item.number, d.min_count, d.period) for d in draft.duties.select_related("item")] == [
        (2, 1, "ten_days"),  # a 旬 is a period of its own (issue 22): no conversion, no warning
        (3, 1, "year"),
        (4, 3, "year"),
    ]
    review = client.get(response["Location"]).content.decode()
    assert "第一条第1项“每天巡查重点部位”写有频次，但未能读出次数和周期，请核对后手工补充" in review
    assert "第一条第2项“每旬组织检查一次”：" not in review  # no conversion note
    assert "第一条第4项“每四个月组织一次”：按每年3次统计" in review
    assert 'name="effective_from" value="2022-09-01"' in review  # the stated effective date is proposed
