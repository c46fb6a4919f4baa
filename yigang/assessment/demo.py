"""The demo town's 2025 round, run and published: the fatal road accident of the accidents demo (S215, 2025)
vetoes the 交警中队 that supervises 道路交通, the 巴音敖包嘎查 where it happened and the town leaders answering
for it; one documented adjustment shows the trail. Loaded once (later runs change nothing)."""

from __future__ import annotations

import datetime
import io

from django.db import transaction
from django.utils import timezone

from yigang.towns.models import Town

from . import actions
from .models import Round
from .results import compute

YEAR = 2025
# A 1×1 PNG: the demo adjustment's supporting file (a real image, as the upload check demands).
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4"
    "890000000d49444154789c63f8ffff3f030008fc02fea79aa0a0000000004945"
    "4e44ae426082"
)


def load(town: Town) -> None:
    if Round.objects.filter(town=town, year=YEAR).exists():
        return
    as_of = datetime.date(YEAR, 12, 31)
    with transaction.atomic():
        rnd = actions.open_round(town=town, year=YEAR, actor=None)
        data = compute(town, YEAR, rules=rnd.scheme.rules, as_of=as_of)
        village = next((u for u in data["units"] if u["unit"] == "乌审召嘎查"), None)
        if village is not None:
            actions.add_adjustment(
                rnd=rnd,
                subject=village["key"],
                points="1",
                reason="获旗级“安全生产示范嘎查”表彰（旗安委会通报）",
                upload=io.BytesIO(_PNG),
                filename="表彰通报.png",
                actor=None,
            )
        today = timezone.localdate()
        actions.publish(
            rnd=rnd,
            actor=None,
            as_of=as_of,
            doc_number=f"{town.name}安委办发〔{today.year}〕1号",
            doc_date=today,
        )
