"""The lag ceiling's decision (replica.LagGauge) with a made-up pair of servers and a made-up clock: when the
replica counts as too far behind, how often it is measured, and that each episode is logged once."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import override_settings

from yigang import replica


class Servers:
    """The primary's WAL position and the replica's replay as the test sets them; each reading is counted."""

    def __init__(self) -> None:
        self.primary = 1000
        self.replayed: int | None = 1000
        self.since_commit: float | None = 0.1
        self.replay_during_sleep: int | None = None  # what the replica has replayed after CONFIRM_SECONDS
        self.readings = 0
        self.fail = False

    def primary_position(self) -> int:
        self.readings += 1
        if self.fail:
            raise OSError("server closed the connection unexpectedly")
        return self.primary

    def replica_position(self) -> tuple[int | None, float | None]:
        return self.replayed, self.since_commit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def rig() -> tuple[Servers, Clock, replica.LagGauge]:
    servers, clock = Servers(), Clock()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if servers.replay_during_sleep is not None:
            servers.replayed = servers.replay_during_sleep

    return servers, clock, replica.LagGauge(servers, clock=clock, sleep=sleep)


def _later(clock: Clock, seconds: float = replica.LAG_CHECK_SECONDS) -> None:
    clock.now += seconds


@override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=5)
def test_caught_up_is_no_lag_however_long_ago_the_last_commit(rig: Any) -> None:
    servers, clock, gauge = rig
    servers.since_commit = 3600.0  # an idle primary: nothing written for an hour, nothing to replay
    assert gauge.fresh()
    assert gauge.lag == 0.0
    assert clock.slept == []


@override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=5)
def test_paused_replay_is_over_the_ceiling_logged_once_and_back_when_caught_up(
    rig: Any, caplog: pytest.LogCaptureFixture
) -> None:
    servers, clock, gauge = rig
    caplog.set_level(logging.INFO, logger="yigang.replica")
    assert gauge.fresh()
    servers.primary, servers.since_commit = 2000, 12.0  # a write the paused replica has not replayed
    _later(clock)
    # It has all the primary had at the last check, two seconds ago: that is its lag at most.
    assert gauge.fresh()
    assert gauge.lag == replica.LAG_CHECK_SECONDS
    _later(clock)
    servers.since_commit += replica.LAG_CHECK_SECONDS
    assert not gauge.fresh()
    assert clock.slept == [replica.CONFIRM_SECONDS]  # given a moment first: still behind
    assert gauge.lag == 14.0
    # Measured again only after LAG_CHECK_SECONDS, whatever the number of requests; logged once.
    readings = servers.readings
    for _ in range(50):
        assert not gauge.fresh()
    assert servers.readings == readings
    for _ in range(3):
        _later(clock)
        servers.primary += 10
        servers.since_commit += replica.LAG_CHECK_SECONDS
        assert not gauge.fresh()
    assert clock.slept == [replica.CONFIRM_SECONDS]  # in an episode: no more waiting
    behind = [r for r in caplog.records if "behind the primary" in r.getMessage()]
    assert len(behind) == 1
    assert "14.0 s" in behind[0].getMessage()
    servers.replayed = servers.primary  # replay resumed
    _later(clock)
    assert gauge.fresh()
    assert [r.getMessage() for r in caplog.records if "caught up" in r.getMessage()] == [
        "the read replica has caught up (0.0 s behind): its pages read it again"
    ]


@override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=5)
def test_a_stalled_network_is_lag_though_the_replica_has_replayed_all_it_received(rig: Any) -> None:
    """The replica's receive and replay positions agree (nothing arrives); the primary has moved on."""
    servers, _clock, gauge = rig
    servers.primary, servers.since_commit = 5000, 40.0
    assert not gauge.fresh()
    assert gauge.lag == 40.0


@override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=5)
def test_an_idle_primarys_new_commit_is_not_taken_for_an_hours_lag(rig: Any) -> None:
    servers, _clock, gauge = rig
    servers.primary, servers.since_commit = 1200, 3600.0  # just written; the replica replays it at once
    servers.replay_during_sleep = 1200
    assert gauge.fresh()
    assert gauge.lag == pytest.approx(replica.CONFIRM_SECONDS)


@override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=5)
def test_a_busy_replica_that_reached_the_last_checks_position_is_within_it_without_waiting(rig: Any) -> None:
    servers, clock, gauge = rig
    assert gauge.fresh()  # the sample: primary at 1000
    _later(clock)
    servers.primary, servers.replayed, servers.since_commit = 1500, 1400, 30.0
    assert gauge.fresh()
    assert gauge.lag == replica.LAG_CHECK_SECONDS  # it has everything the primary had at the last check
    assert clock.slept == []
    # The last check so long ago that reaching its position proves nothing: measured properly.
    _later(clock, 60)
    servers.primary = 1600
    assert not gauge.fresh()
    assert gauge.lag == 30.0


@override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=5)
def test_a_server_that_replays_nothing_is_not_read(rig: Any) -> None:
    servers, clock, gauge = rig
    servers.replayed = None  # promoted, or not a standby at all
    assert not gauge.fresh()
    servers.replayed, servers.since_commit = 900, None  # behind, and nothing replayed since it started
    _later(clock)
    assert not gauge.fresh()


def test_a_failed_reading_leaves_the_replica_alone_for_a_while(
    rig: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    servers, _clock, gauge = rig
    monkeypatch.setattr(replica, "_unreachable_until", 0.0)
    servers.fail = True
    assert not gauge.fresh()
    assert replica._unreachable_until > 0
    assert "lag cannot be read" in caplog.text


def test_usable_needs_both_reachable_and_fresh(monkeypatch: pytest.MonkeyPatch, rig: Any) -> None:
    servers, clock, gauge = rig
    monkeypatch.setattr(replica, "gauge", gauge)
    reachable = [True]
    monkeypatch.setattr(replica, "replica_reachable", lambda: reachable[0])
    servers.primary, servers.since_commit = 9000, 600.0
    assert not replica.replica_usable()
    servers.replayed = servers.primary
    _later(clock)
    reachable[0] = False
    readings = servers.readings
    assert not replica.replica_usable()
    assert servers.readings == readings  # an unreachable replica is not measured
    reachable[0] = True
    assert replica.replica_usable()


def test_lsn_text_orders_as_positions_do() -> None:
    assert replica.lsn("0/16B3748") == 0x16B3748
    assert replica.lsn("1/0") > replica.lsn("0/FFFFFFFF")
    assert replica.lsn(None) is None
