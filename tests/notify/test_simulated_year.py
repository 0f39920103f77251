"""A simulated year, in two time zones, through the real scheduler with a settable clock.

2027 has both DST changes in Berlin and New York, a 28 February for a 29 February birthday, two
sleeps of the laptop (one over a DST change) and a night with Rapport closed. The clock is moved
exactly as the scheduler's single timer asks (its interval, re-sync included), the recruiter
completes repeating reminders when they alert and snoozes one, and at the end:

- every birthday, joining day, anniversary and one-off reminder alerted exactly once;
- no occurrence alerted twice (the restart repeated nothing);
- every reminder and the morning digest came at their local wall-clock time on every day the
  laptop was awake, across the DST changes; what fell due during a sleep or while closed came
  once, in the one digest raised at wake or start.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.core.alerts import ALERT_CATCH_UP, ALERT_DIGEST, Alert
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.preferences import FOLLOW_UP_DAYS
from crm_desktop.core.reminders import SNOOZE_HOUR, local_wall_time
from crm_desktop.core.validation import PartialDate
from crm_desktop.notify.scheduler import AlertScheduler
from crm_desktop.profile import Profile, open_profile

RESYNC_MS = 6 * 3600 * 1000  # the app re-syncs every 5 minutes; 6 hours keeps the test quick
CHANGE_PAUSE = timedelta(milliseconds=400)

BIRTHDAYS = [(1, 1), (2, 29), (3, 14), (3, 28), (3, 29), (7, 15), (10, 31), (11, 7), (11, 8)]
BIRTHDAYS += [(12, 31)]
JOINED = [date(2027, 6, 1), date(2020, 3, 28), date(2024, 2, 29), date(2019, 11, 9)]
DST_DAYS = {
    "Europe/Berlin": (date(2027, 3, 28), date(2027, 10, 31)),
    "America/New_York": (date(2027, 3, 14), date(2027, 11, 7)),
}


@dataclass
class Life:
    """The running app: profile, scheduler, and every alert with the instant it was raised."""

    clock: SettableClock
    profile: Profile | None = None
    scheduler: AlertScheduler | None = None
    log: list[tuple[datetime, Alert]] = field(default_factory=list)
    snoozed: set[int] = field(default_factory=set)

    def start(self, paths) -> None:
        self.profile = open_profile(paths, self.clock)
        services = self.profile.services
        self.scheduler = AlertScheduler(
            services.alerts, self.clock, services.hub, resync_ms=RESYNC_MS
        )
        self.scheduler.alert.connect(lambda alert: self.log.append((self.clock.now(), alert)))
        self._react(self.scheduler.start())

    def stop(self) -> None:
        self.scheduler.stop()
        self.scheduler.deleteLater()
        self.profile.close()

    def tick(self) -> None:
        self._react(self.scheduler.tick())

    def _react(self, alerts: list[Alert]) -> None:
        """The recruiter: completes a repeating reminder when it alerts; snoozes one, once."""
        reminders = self.profile.services.reminders
        acted = False
        for alert in alerts:
            for item in alert.due:
                if item.kind != "reminder":
                    continue
                record = reminders.get(item.ref_id)
                if record.title == "Snooze me" and item.ref_id not in self.snoozed:
                    self.snoozed.add(item.ref_id)
                    reminders.snooze(item.ref_id, reminders.snooze_time(SNOOZE_HOUR))
                    acted = True
                elif record.recurrence != "none":
                    reminders.complete(item.ref_id)
                    acted = True
        if acted:  # the scheduler re-checks shortly after a change
            self.clock.advance(CHANGE_PAUSE)
            self.tick()


def _populate(profile: Profile, tz) -> dict[str, object]:
    services = profile.services
    services.preferences.set(FOLLOW_UP_DAYS, {"active": None, "passive": None, "placed": None})
    for month, day in BIRTHDAYS:
        services.candidates.create(
            CandidateInput(f"Born {month}-{day}", birthday=PartialDate(month, day, 1992))
        )
    for joined in JOINED:
        services.candidates.create(CandidateInput(f"Joined {joined}", joined_on=joined))

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return local_wall_time(day, time(hour, minute), tz)

    spring, autumn = DST_DAYS[str(tz)]
    once = {
        "New year": at(date(2027, 1, 1), 0, 30),
        "Skipped hour": at(spring, 2, 30),
        "Doubled hour": at(autumn, 1, 30),
        "While closed": at(date(2027, 7, 15), 9, 15),
        "While asleep": at(date(2027, 11, 6), 10, 0),
        "Last minute": at(date(2027, 12, 31), 23, 59),
        "Snooze me": at(date(2027, 5, 5), 10, 0),
    }
    for title, due in once.items():
        services.reminders.create(title, due)
    repeating = {
        "Daily": (at(date(2027, 1, 1), 9, 0), "daily"),
        "Weekly": (at(date(2027, 1, 4), 8, 0), "weekly"),
        "Monthly": (at(date(2027, 1, 31), 18, 0), "monthly"),
        "Yearly": (at(date(2027, 2, 28), 12, 0), "yearly"),
    }
    for title, (due, rule) in repeating.items():
        services.reminders.create(title, due, recurrence=rule)
    return {"once": once}


@pytest.mark.slow
@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_a_year_of_alerts_exactly_once(qapp, tmp_path, zone):
    from crm_desktop.paths import resolve_paths

    clock = SettableClock(datetime(2026, 12, 31, 23, 0), zone)
    tz = clock.tz()
    paths = resolve_paths(tmp_path / "profile")
    setup = open_profile(paths, clock)
    plan = _populate(setup, tz)
    setup.close()

    def local(y, m, d, hh, mm=0):
        return local_wall_time(date(y, m, d), time(hh, mm), tz)

    # Before the first start, "closed": 31 December's birthday comes in the start-up digest.
    gaps: list[tuple[datetime, datetime]] = [(local(2026, 12, 1, 0), clock.now())]
    life = Life(clock)
    life.start(paths)

    spring = DST_DAYS[zone][0]
    asleep = [
        (local(2027, 3, spring.day - 1, 22), timedelta(days=2, hours=14)),  # over spring DST
        (local(2027, 11, 5, 18), timedelta(days=5)),  # over New York's autumn change
    ]
    closed = (local(2027, 7, 14, 20), local(2027, 7, 15, 10))  # a night with Rapport shut
    mid_alert_restart = local(2027, 9, 1, 9, 0)  # quit and restart right after an alert
    end = local(2028, 1, 1, 12)

    events = sorted(
        [(at, "sleep", length) for at, length in asleep]
        + [(closed[0], "close", closed[1]), (mid_alert_restart, "restart", None)]
    )
    while clock.now() < end:
        step = timedelta(milliseconds=life.scheduler.timer.interval())
        if events and clock.now() + step >= events[0][0]:
            at, what, arg = events.pop(0)
            clock.advance(at - clock.now())
            if what == "sleep":
                clock.suspend(arg)
                gaps.append((at, clock.now()))
                life.tick()
            elif what == "close":
                life.stop()
                clock.advance(arg - clock.now())
                gaps.append((at, clock.now()))
                life.start(paths)
            else:
                life.tick()
                life.stop()
                life.start(paths)
            continue
        clock.advance(step)
        life.tick()
    life.stop()

    _check_year(life.log, plan, tz, gaps, zone)


def _check_year(log, plan, tz, gaps, zone) -> None:
    occurrences = Counter()
    when_alerted: dict[tuple, tuple[datetime, Alert]] = {}
    for instant, alert in log:
        for item in alert.due:
            marker = item.due_at if item.kind == "reminder" else item.on
            occurrences[(item.title, marker)] += 1
            when_alerted[(item.title, marker)] = (instant, alert)
    repeated = {k: n for k, n in occurrences.items() if n > 1}
    assert repeated == {}, "alerted more than once"

    def in_gap(instant: datetime) -> bool:
        return any(start <= instant < stop for start, stop in gaps)

    def on_time(title: str, due: datetime, day_marker=None) -> None:
        key = (title, day_marker if day_marker is not None else due)
        assert key in when_alerted, f"never alerted: {key}"
        instant, alert = when_alerted[key]
        if in_gap(due):
            assert alert.kind == ALERT_CATCH_UP, f"{key}: missed, so in the wake/start digest"
            assert any(stop == instant for _start, stop in gaps)
        else:
            assert timedelta(0) <= instant - due < timedelta(seconds=1), f"{key} late/early"

    # Occasions: once each, at the digest time on their day (or in the catch-up digest).
    digest_at = time(8, 30)
    derived = {(t, d) for (t, d) in occurrences if not isinstance(d, datetime)}
    expected = set()
    for month, day in BIRTHDAYS:
        on = date(2027, 2, 28) if (month, day) == (2, 29) else date(2027, month, day)
        expected.add((f"Born {month}-{day}'s birthday", on))
    expected.add(("Born 12-31's birthday", date(2026, 12, 31)))  # the evening before it starts
    expected.add(("Born 1-1's birthday", date(2028, 1, 1)))  # the year ends on 1 January, noon
    for joined in JOINED:
        on = date(2027, joined.month, 28 if (joined.month, joined.day) == (2, 29) else joined.day)
        kind = "joining day" if joined.year == 2027 else "work anniversary"
        expected.add((f"Joined {joined}'s {kind}", on))
    assert derived == expected
    for title, on in expected:
        on_time(title, local_wall_time(on, digest_at, tz), day_marker=on)

    # One-off reminders: once each, on time (the snoozed one again an hour after, once).
    for title, due in plan["once"].items():
        on_time(title, due)
    snoozed = [d for (t, d) in occurrences if t == "Snooze me"]
    assert len(snoozed) == 2
    assert snoozed[1] - snoozed[0] == timedelta(hours=1)

    # The daily reminder and the digest: at their local time every day the laptop was awake,
    # DST or not; a day inside a gap is covered by the one catch-up at its end.
    daily = sorted(d for (t, d) in occurrences if t == "Daily")
    digests = [instant for instant, alert in log if alert.kind == ALERT_DIGEST]
    day = date(2027, 1, 1)
    while day <= date(2027, 12, 31):
        nine = local_wall_time(day, time(9, 0), tz)
        if not in_gap(nine):
            assert nine in daily, f"daily reminder missing on {day}"
            on_time("Daily", nine)
        morning = local_wall_time(day, digest_at, tz)
        if not in_gap(morning):
            assert morning in [d.replace(microsecond=0) for d in digests] or any(
                timedelta(0) <= d - morning < timedelta(seconds=1) for d in digests
            ), f"no digest on {day}"
        day += timedelta(days=1)
    for start, stop in gaps[1:]:  # the daily reminder starts after the first gap
        missed = [d for d in daily if start <= d < stop]
        first_nine = [
            local_wall_time(start.astimezone(tz).date() + timedelta(days=n), time(9, 0), tz)
            for n in range(10)
        ]
        if any(start <= nine < stop for nine in first_nine):
            assert len(missed) == 1, "a repeating reminder comes once after a gap, not per day"

    # Weekly on Monday at 08:00 local, across both DST changes.
    for _title, due in (k for k in occurrences if k[0] == "Weekly"):
        local = due.astimezone(tz)
        assert (local.weekday(), local.time()) == (0, time(8, 0)), due
    # Monthly from 31 January: once a month at 18:00 local (then on the 28th: the reminder keeps
    # no anchor day, so February's clamp sticks; see the report).
    monthly = sorted(d.astimezone(tz) for (t, d) in occurrences if t == "Monthly")
    assert [d.month for d in monthly] == list(range(1, 13))
    assert {d.time() for d in monthly} == {time(18, 0)}
    spring, autumn = DST_DAYS[zone]
    assert any(d.astimezone(tz).date() == spring for d in daily)
    assert any(d.astimezone(tz).date() == autumn for d in daily) or any(
        start <= local_wall_time(autumn, time(9), tz) < stop for start, stop in gaps
    )
