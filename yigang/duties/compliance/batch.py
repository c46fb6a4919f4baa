"""Compliance of one town or many: the towns are read in groups of TOWNS_AT_ONCE (seven queries a group) and
worked out town by town."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone

from yigang.regulations.periods import D, year_window
from yigang.towns.models import Town

from .judging import town_year
from .reading import read_towns
from .results import TownYear


def compute(
    town: Town, year: int, *, today: D | None = None, post_ids: Iterable[int] | None = None
) -> TownYear:
    """Compliance of every post of `town` with every frequency duty over the periods of `year`."""
    return compute_towns([town], year, today=today, post_ids=post_ids)[0]


def compute_towns(
    towns: Sequence[Town], year: int, *, today: D | None = None, post_ids: Iterable[int] | None = None
) -> list[TownYear]:
    """`compute()` of each town, in the same seven queries for up to TOWNS_AT_ONCE towns (the county view;
    benchmark a): each query reads the towns' rows at once, and the rows are then worked out town by town exactly
    as for one."""
    # Hundreds of thousands of small tuples are made here and none is part of a reference cycle: the cyclic
    # collector, triggered every 700 new objects, would walk the growing lists again and again (a third of the
    # time at county scale). Reference counting frees everything as usual.
    # In groups of TOWNS_AT_ONCE, a league's hundred towns in one: the credits stream in (a server-side cursor on
    # PostgreSQL), so a group costs the records of its towns (about 0.5 MiB a town, plus its 0.5 MiB result) and
    # not the rows as well. Measured on the 100-town county: one group peaks at 174 MiB of worker RSS in 1.3 s;
    # groups of 25 took 2.0 s (each group's query walks its towns' records again, without parallel workers).
    wanted = list(post_ids) if post_ids is not None else None
    results: list[TownYear] = []
    with _collector_paused():
        for start in range(0, len(towns), TOWNS_AT_ONCE):
            group = towns[start : start + TOWNS_AT_ONCE]
            results += _compute_towns(group, year, today=today, post_ids=wanted)
    return results


TOWNS_AT_ONCE = 100


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _compute_towns(
    towns: Sequence[Town], year: int, *, today: D | None, post_ids: Iterable[int] | None
) -> list[TownYear]:
    """One group of towns: their records read at once, then their rows worked out town by town."""
    today = today or timezone.localdate()
    window = year_window(year)
    wanted = set(post_ids) if post_ids is not None else None
    read = read_towns(towns, window, wanted)
    return [town_year(town, read, year=year, today=today, window=window) for town in towns]
