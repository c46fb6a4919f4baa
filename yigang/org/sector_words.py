"""Sector names that mean the same ground (烟花鞭炮 = 烟花爆竹, 用电 = 电力) or part of it (道路 ⊂ 道路交通).

A built-in vocabulary from the genre's usual wording, plus what the town enters on each sector (its
``synonyms`` and ``broader``). The lint uses it to flag two bodies supervising the same ground under two names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Sector

# Each group: names for one sector.
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("烟花爆竹", "烟花鞭炮", "鞭炮", "烟花"),
        ("电力", "用电", "供电", "电力设施"),
        ("危险化学品", "危化品", "危化", "危险化学品运输"),
        ("道路交通", "交通", "道路交通安全", "交通安全"),
        ("消防", "消防安全"),
        ("通讯", "通信"),
        ("民爆器材", "民爆物品", "民用爆炸物品"),
        ("林草", "林业草原", "林业和草原"),
        ("水利", "水务"),
        ("在建工程", "建筑施工", "建设工程", "房屋建筑"),
        ("燃气", "城镇燃气"),
    )
)
# A name → the wider sector it is part of.
BROADER: dict[str, str] = {
    "道路": "道路交通",
    "农村公路": "道路交通",
    "客运": "道路交通",
    "天然气": "燃气",
    "液化石油气": "燃气",
    "森林防火": "森林草原防火",
    "草原防火": "森林草原防火",
    "九小场所": "消防",
    "非煤矿山": "矿山",
}


def _words(text: str) -> set[str]:
    return {w.strip() for w in text.replace(",", "、").replace("，", "、").split("、") if w.strip()}


def names_of(sector: Sector) -> frozenset[str]:
    """The sector's name, the synonyms the town gave it, and the built-in names of the same ground."""
    names = {sector.name} | _words(sector.synonyms)
    for group in SYNONYMS:
        if group & names:
            names |= group
    return frozenset(names)


def wider_names(sector: Sector, by_pk: dict[int, Sector]) -> frozenset[str]:
    """Names of the ground this sector is part of (its ``broader`` sector, or the built-in table)."""
    wider: set[str] = set()
    if sector.broader_id is not None and sector.broader_id in by_pk:
        wider |= names_of(by_pk[sector.broader_id])
    for name in names_of(sector):
        if name in BROADER:
            wider.add(BROADER[name])
            wider |= next((g for g in SYNONYMS if BROADER[name] in g), frozenset())
    return frozenset(wider)


@dataclass(frozen=True)
class Related:
    """Two sectors of the town's table over the same ground: ``same`` (synonyms) or ``part`` (narrow ⊂ wide)."""

    narrow: Sector
    wide: Sector
    relation: str

    @property
    def label(self) -> str:
        sign = "＝" if self.relation == "same" else "⊂"
        return f"{self.narrow.name} {sign} {self.wide.name}"


def related_sectors(sectors: Iterable[Sector]) -> list[Related]:
    """Every pair of distinct sectors that name the same ground or one part of the other, in name order."""
    ordered = sorted(sectors, key=lambda s: s.name)
    by_pk = {s.pk: s for s in ordered}
    names = {s.pk: names_of(s) for s in ordered}
    wider = {s.pk: wider_names(s, by_pk) for s in ordered}
    found = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if names[a.pk] & names[b.pk]:
                found.append(Related(a, b, "same"))
            elif wider[a.pk] & names[b.pk]:
                found.append(Related(a, b, "part"))
            elif wider[b.pk] & names[a.pk]:
                found.append(Related(b, a, "part"))
    return found
