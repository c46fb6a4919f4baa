"""Fixtures for duty records: the seed in force since 2022, the town's posts, holders and a record helper."""

from __future__ import annotations

import base64
import datetime
import io
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def seed(town: Any, users: dict[str, Any], seed_bytes: bytes) -> Any:
    """The seed in force from 2022-01-01, plus a weekly, quarterly and half-yearly duty of the mayor."""
    from yigang.regulations import actions

    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    for period, kind, count in [
        ("week", "training", 1),
        ("quarter", "research", 2),
        ("half_year", "campaign", 1),
    ]:
        actions.add_duty(
            regulation=reg,
            article=None,
            item=None,
            post="mayor",
            kind=kind,
            min_count=count,
            period=period,
            text=f"测试：{period}",
            actor=None,
        )
    actions.activate_regulation(regulation=reg, actor=None, effective_from=D(2022, 1, 1))
    return reg


@pytest.fixture
def posts(town: Any) -> dict[str, Any]:
    from yigang.org import actions

    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    party = actions.add_unit(town=town, name="镇党委", kind="party", actor=None)
    village = actions.add_unit(town=town, name="乌审召嘎查", kind="village", actor=None)
    return {
        "mayor": actions.add_post(unit=gov, title="镇长", kind="mayor", actor=None),
        "safety": actions.add_post(unit=gov, title="分管安全生产副镇长", kind="safety_deputy", actor=None),
        "secretary": actions.add_post(unit=party, title="镇党委书记", kind="party_secretary", actor=None),
        "village": actions.add_post(
            unit=village, title="乌审召嘎查党支部书记", kind="village_secretary", actor=None
        ),
    }


@pytest.fixture
def appoint(town: Any) -> Callable[..., Any]:
    from yigang.org import actions

    def do(post: Any, name: str, start: datetime.date, end: datetime.date | None = None) -> Any:
        person = actions.add_person(town=town, name=name, actor=None)
        actions.appoint(post=post, person=person, start=start, end=end, actor=None)
        return person

    return do


@pytest.fixture
def rec(town: Any) -> Callable[..., Any]:
    """A record as a holder enters it through the form, carrying what its kind requires by default
    (duties/rules.py): a meeting its minutes as a PDF, an inspection its findings."""
    from yigang.duties.actions import RecordData, Upload, create_record

    def do(
        posts: Any,
        kind: str,
        when: datetime.datetime | datetime.date,
        title: str = "安全生产工作会议",
        **extra: Any,
    ) -> Any:
        if isinstance(when, datetime.date) and not isinstance(when, datetime.datetime):
            when = at(when)
        files = [Upload(io.BytesIO(PDF), "会议纪要.pdf")] if kind == "meeting" else []
        return create_record(
            town=town,
            data=RecordData(
                kind=kind,
                occurred_at=when,
                title=title,
                place="镇政府三楼会议室",
                summary="传达上级文件，部署安全生产工作。",
                participants="各部门负责人",
                posts=posts if isinstance(posts, list) else [posts],
                findings=extra.pop("findings", "未发现问题。"),
                **extra,
            ),
            files=files,
            actor=None,
        )

    return do


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(town: Any, seed: Any, posts: dict[str, Any], appoint: Any, users: dict[str, Any]) -> dict[str, Any]:
    """Holders for the mayor and the safety deputy, and one record with a photo crediting both."""
    from yigang.duties.actions import RecordData, Upload, create_record

    mayor = appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    safety = appoint(posts["safety"], "李强", D(2020, 1, 1))
    record = create_record(
        town=town,
        data=RecordData(
            kind="inspection",
            occurred_at=at(D(2025, 3, 18), 9, 30),
            title="春季安全生产联合检查",
            place="乌审召嘎查加油站",
            summary="检查加油站消防器材和应急预案。",
            participants="应急办、派出所",
            posts=[posts["mayor"], posts["safety"]],
        ),
        files=[Upload(io.BytesIO(PNG), "现场照片.png")],
        actor=users["officer"],
    )
    return {"mayor": mayor, "safety": safety, "record": record, "attachment": record.attachments.get()}
