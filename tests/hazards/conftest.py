"""The org tests' register (leaders, two villages, a head for every Art. 12 body) and a few hazard helpers."""

from __future__ import annotations

import base64
import datetime
import io
from typing import Any

import pytest

from tests.org import conftest as org_conftest

register = org_conftest.register  # the org tests' register fixture, re-used here
Register = org_conftest.Register

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def png(name: str = "现场.png") -> Any:
    from yigang.hazards.actions import Upload

    return Upload(io.BytesIO(PNG), name)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def report(register: Register, media: Any) -> Any:
    """Report a hazard in the register's town with sensible defaults; keyword arguments override them."""
    from yigang.hazards.actions import HazardData, report_hazard
    from yigang.org.models import Sector

    def make(
        sector: str = "烟花爆竹", actor: Any = None, photos: Any = (), key: str | None = None, **kw: Any
    ) -> Any:
        data = HazardData(
            sector=Sector.objects.get(town=register.town, name=sector),
            description=kw.pop("description", "仓库灭火器过期"),
            address=kw.pop("address", "乌审召嘎查一组"),
            found_on=kw.pop("found_on", datetime.date(2025, 3, 10)),
            found_by=kw.pop("found_by", "其其格"),
            source=kw.pop("source", "self_check"),
            **(
                {"deadline": datetime.date(2025, 3, 20)}
                if "working_days" not in kw and "deadline" not in kw
                else {}
            ),
            **kw,
        )
        hazard, _created = report_hazard(
            town=register.town, data=data, photos=photos, client_key=key, actor=actor or register.officer
        )
        return hazard

    return make


@pytest.fixture
def checker(register: Register, make_user: Any) -> Any:
    """A second 安委办 officer: the one who accepts (销号) what the first submitted (整改与验收分离)."""
    from yigang.towns.models import Role

    return make_user("checker", Role.OFFICER, register.town)
