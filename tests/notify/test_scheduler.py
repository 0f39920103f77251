"""The QTimer driver: one timer armed for the next due item, capped; sleep; data changes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crm_desktop.core.alerts import ALERT_CATCH_UP, ALERT_REMINDER
from crm_desktop.notify.scheduler import (
    MIN_DELAY_MS,
    QTIMER_MAX_MS,
    RESYNC_MS,
    AlertScheduler,
    delay_ms,
)

NOW = datetime.fromisoformat("2026-11-27T09:00:00+00:00")


@pytest.mark.parametrize(
    ("wakeup", "expected"),
    [
        (NOW + timedelta(seconds=90), 90_000),
        (NOW + timedelta(milliseconds=1.2), MIN_DELAY_MS),  # never a zero-time spin
        (NOW - timedelta(hours=1), MIN_DELAY_MS),
        (NOW + timedelta(days=2), RESYNC_MS),  # re-sync at least every five minutes
        (None, RESYNC_MS),
    ],
)
def test_delay_is_until_the_wakeup_within_bounds(wakeup, expected):
    assert delay_ms(NOW, wakeup) == expected


def test_delay_rounds_up_so_the_timer_never_fires_early():
    assert delay_ms(NOW, NOW + timedelta(microseconds=100_001)) == 101


def test_delay_never_overflows_qtimer_even_with_a_huge_cap():
    months_ahead = NOW + timedelta(days=90)  # beyond QTimer's ~24.8 days
    assert delay_ms(NOW, months_ahead, cap_ms=10**12) == QTIMER_MAX_MS


@pytest.fixture
def scheduler(qtbot, services, clock):
    built = AlertScheduler(services.alerts, clock, services.hub)
    yield built
    built.stop()


def test_start_raises_what_fell_due_while_closed_and_arms_for_the_next(
    qtbot, scheduler, services, clock
):
    services.reminders.create("Missed", clock.now() - timedelta(hours=2))
    services.reminders.create("Soon", clock.now() + timedelta(minutes=3))
    with qtbot.waitSignal(scheduler.alert) as raised:
        scheduler.start()
    assert raised.args[0].kind == ALERT_CATCH_UP
    assert scheduler.timer.isActive()
    assert scheduler.timer.isSingleShot()
    assert scheduler.timer.interval() == 3 * 60 * 1000


def test_the_timer_firing_raises_the_reminder(qtbot, scheduler, services, clock):
    scheduler.start()
    services.reminders.create("Call", clock.now() + timedelta(minutes=1))
    clock.advance(timedelta(minutes=1))
    with qtbot.waitSignal(scheduler.alert) as raised:
        scheduler.timer.timeout.emit()
    assert (raised.args[0].kind, raised.args[0].title) == (ALERT_REMINDER, "Call")


def test_a_data_change_rechecks_after_a_short_pause(qtbot, scheduler, services, clock):
    scheduler.start()
    with qtbot.waitSignal(scheduler.alert, timeout=3000) as raised:
        services.reminders.create("Already due", clock.now() - timedelta(minutes=1))
    assert raised.args[0].title == "Already due"
    assert scheduler.timer.interval() <= RESYNC_MS


def test_a_wall_time_jump_is_a_wake_with_one_digest(qtbot, scheduler, services, clock):
    scheduler.start()
    for n in range(3):
        services.reminders.create(f"Task {n}", clock.now() + timedelta(hours=n + 1))
    clock.suspend(timedelta(hours=5))
    with qtbot.waitSignal(scheduler.woke), qtbot.waitSignal(scheduler.alert) as raised:
        scheduler.tick()
    assert raised.args[0].kind == ALERT_CATCH_UP
    assert len(raised.args[0].due) == 3


def test_a_failing_check_keeps_the_timer_going(qtbot, services, clock, caplog):
    class Broken(type(services.alerts)):
        def check(self, why="tick"):
            raise RuntimeError("database is locked")

    engine = Broken(clock, services.today, services.preferences, services.database)
    scheduler = AlertScheduler(engine, clock, services.hub)
    assert scheduler.start() == []
    assert scheduler.timer.isActive()
    assert "Alert check failed" in caplog.text
    scheduler.stop()


def test_nothing_is_checked_before_start_or_after_stop(qtbot, scheduler, services, clock):
    services.reminders.create("Due", clock.now())
    assert scheduler.tick() == []
    scheduler.start()
    scheduler.stop()
    assert not scheduler.timer.isActive()
