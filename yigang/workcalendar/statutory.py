"""The statutory holidays of 《全国年节及纪念日放假办法》 for a year no notice and no package covers.

Art. 2 as revised on 2024-11-12 (in force from 2025-01-01): 元旦 1 day (1 January); 春节 4 days (农历除夕,
正月初一至初三); 清明节 1 day (the day of the 清明 solar term); 劳动节 2 days (1 and 2 May); 端午节 1 day
(五月初五); 中秋节 1 day (八月十五); 国庆节 3 days (1 to 3 October). Before 2025 (the 2013 text) 春节 was 正月初一
至初三 and 劳动节 1 May only. Art. 6: a holiday for all citizens that falls on a Saturday or Sunday is made up
on a working day (补假) — here the first weekday after the holidays it joins. No 调休 working weekends can be
known before the State Council publishes them, so none are assumed.

Lunar dates and the solar term come from `lunar_python` (PyPI lunar-python), not from a table.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from lunar_python import Lunar

REVISION_2024 = 2025  # the first year the 2024 revision applies to


def _solar(lunar: Lunar) -> datetime.date:
    s = lunar.getSolar()
    return datetime.date(s.getYear(), s.getMonth(), s.getDay())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """{day: name} of the year's statutory days off, with the 补假 days for those that fall on a weekend."""
    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): "元旦"}
    new_year = _solar(Lunar.fromYmd(year, 1, 1))
    spring = [new_year + datetime.timedelta(days=i) for i in range(3)]
    if year >= REVISION_2024:
        spring.insert(0, new_year - datetime.timedelta(days=1))  # 除夕, the day before 正月初一
    for day in spring:
        days[day] = "春节"
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    days[datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days[datetime.date(year, 5, 1)] = "劳动节"
    if year >= REVISION_2024:
        days[datetime.date(year, 5, 2)] = "劳动节"
    days[_solar(Lunar.fromYmd(year, 5, 5))] = "端午节"
    days[_solar(Lunar.fromYmd(year, 8, 15))] = "中秋节"
    for i in range(1, 4):
        days[datetime.date(year, 10, i)] = "国庆节"
    makeup: dict[datetime.date, str] = {}
    for day, name in sorted(days.items()):
        if day.weekday() < 5:
            continue
        # 补假: the first weekday after the run of days off this one belongs to.
        cand = day + datetime.timedelta(days=1)
        while cand.weekday() >= 5 or cand in days or cand in makeup:
            cand += datetime.timedelta(days=1)
        makeup[cand] = f"{name}（补假）"
    days.update(makeup)
    return {d: n for d, n in sorted(days.items()) if d.year == year}
