"""The alert engine with a settable clock: due once, recorded before raised, digests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from crm_desktop.clock import SettableClock
from crm_desktop.core.alerts import (
    ALERT_CATCH_UP,
    ALERT_DIGEST,
    ALERT_GROUP,
    ALERT_ITEM,
    ALERT_REMINDER,
    START,
    WAKE,
    WakeDetector,
)
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.preferences import DIGEST_ENABLED, DIGEST_SENT_ON, DIGEST_TIME
from crm_desktop.core.validation import PartialDate
from crm_desktop.profile import open_profile
from crm_desktop.store.models import OccurrenceState, Reminder

# The shared clock: Friday 27 November 2026, 10:00 in Berlin (after the 08:30 digest time).


def _due_keys(alerts):
    return [item.key for alert in alerts for item in alert.due]


def _at(clock, hour, minute=0, days=0):
    """Set the clock to a local time today (+ days)."""
    day = clock.today() + timedelta(days=days)
    clock.set(datetime.combine(day, time(hour, minute)))


def test_a_reminder_alerts_at_its_time_once(services, clock):
    rid = services.reminders.create("Call Priya", clock.now() + timedelta(minutes=30))
    services.alerts.check(START)  # today's digest goes out first
    assert services.alerts.check() == []
    clock.advance(timedelta(minutes=29, seconds=59))
    assert services.alerts.check() == []
    clock.advance(timedelta(seconds=1))
    [alert] = services.alerts.check()
    assert (alert.kind, alert.title, _due_keys([alert])) == (
        ALERT_REMINDER,
        "Call Priya",
        [f"reminder:{rid}"],
    )
    assert alert.body == "10:30"
    assert alert.single.ref_id == rid
    assert services.alerts.check() == []
    clock.advance(timedelta(days=3))
    assert services.alerts.check() == []


def test_recorded_before_it_is_raised(services, clock):
    rid = services.reminders.create("Call", clock.now())
    services.alerts.check(START)
    # Whatever happens to the alerts now (a crash while showing), the record is committed.
    assert Reminder.get_by_id(rid).notified_at == clock.now()
    assert not services.database.in_transaction()


def test_a_restart_repeats_nothing(paths, clock):
    first = open_profile(paths, clock)
    cid = first.services.candidates.create(
        CandidateInput("Lena", birthday=PartialDate(11, 27, 1990))
    )
    first.services.reminders.create("Call", clock.now() - timedelta(hours=1), candidate_id=cid)
    alerts = first.services.alerts.check(START)
    assert sorted(_due_keys(alerts)) == ["birthday:1:2026-11-27", "reminder:1"]
    first.close()
    again = open_profile(paths, clock)
    try:
        assert again.services.alerts.check(START) == []
        clock.advance(timedelta(hours=1))
        assert again.services.alerts.check() == []
    finally:
        again.close()


def test_what_fell_due_while_closed_comes_as_one_digest(services, clock):
    _at(clock, 7, 0)  # before the digest time
    cid = services.candidates.create(CandidateInput("Lena", birthday=PartialDate(11, 26)))
    services.reminders.create("Call Ada", clock.now() - timedelta(days=2))
    services.reminders.create("Send CV", clock.now() - timedelta(minutes=5), candidate_id=cid)
    services.reminders.create("Later today", clock.now() + timedelta(hours=6))
    [alert] = services.alerts.check(START)
    assert alert.kind == ALERT_CATCH_UP
    assert alert.title == "While Rapport was closed: 2 reminders, 1 birthday"
    assert "Call Ada · 2 days ago" in alert.body
    assert "Send CV (Lena) · 06:55" in alert.body
    assert "Lena's birthday · yesterday" in alert.body
    assert len(alert.due) == 3
    assert services.alerts.check() == []


def test_after_a_sleep_the_missed_come_as_one_digest(services, clock):
    services.alerts.check(START)
    for minutes in (10, 20, 30, 40, 50):
        services.reminders.create(f"Task {minutes}", clock.now() + timedelta(minutes=minutes))
    clock.suspend(timedelta(hours=2))
    [alert] = services.alerts.check(WAKE)
    assert alert.kind == ALERT_CATCH_UP
    assert alert.title == "While your computer was asleep: 5 reminders"
    assert alert.body.splitlines()[0] == "Task 10 · 10:10"
    assert len(alert.body.splitlines()) == 5
    assert len(alert.due) == 5


def test_several_due_at_once_come_as_one_alert(services, clock):
    services.alerts.check(START)
    for n in range(5):
        services.reminders.create(f"Task {n}", clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(minutes=5))
    [alert] = services.alerts.check()
    assert (alert.kind, alert.title, len(alert.due)) == (ALERT_GROUP, "Due now: 5 reminders", 5)


def test_the_wake_detector_tells_sleep_from_time_passing():
    clock = SettableClock(datetime(2026, 11, 27, 10, 0), "Europe/Berlin")
    detector = WakeDetector()
    assert detector.observe(clock.now(), clock.monotonic()) is False
    clock.advance(timedelta(hours=5))
    assert detector.observe(clock.now(), clock.monotonic()) is False
    clock.suspend(timedelta(minutes=30))
    assert detector.observe(clock.now(), clock.monotonic()) is True
    clock.advance(timedelta(seconds=1))
    assert detector.observe(clock.now(), clock.monotonic()) is False
    clock.suspend(timedelta(seconds=30))  # a hiccup, not a sleep
    assert detector.observe(clock.now(), clock.monotonic()) is False


def _digest_day(services, clock):
    """Today: 2 birthdays, 1 anniversary, 3 follow-ups (and an owed update)."""
    services.candidates.create(CandidateInput("Ana", birthday=PartialDate(11, 27)))
    services.candidates.create(CandidateInput("Ben", birthday=PartialDate(11, 27, 1980)))
    services.candidates.create(CandidateInput("Cy", joined_on=date(2024, 11, 27)))
    for name in ("Dee", "Eve", "Fay"):
        cid = services.candidates.create(CandidateInput(name))
        services.timeline.add(cid, "call", "Catch-up", occurred_at=clock.now() - timedelta(30))
    job = services.jobs.create_job(JobInput("Dev"))
    services.pipeline.attach(services.candidates.create(CandidateInput("Gus")), job, "shortlisted")


def test_the_morning_digest_summarises_the_day_once(services, clock):
    _at(clock, 8, 0)
    _digest_day(services, clock)
    services.reminders.create("Call at noon", clock.now() + timedelta(hours=4))
    services.alerts.check(START)  # nothing due yet: the occasions wait for the digest time
    assert services.alerts.check() == []
    assert services.alerts.next_wakeup() == clock.now() + timedelta(minutes=30)
    clock.advance(timedelta(minutes=30))
    [digest] = services.alerts.check()
    assert digest.kind == ALERT_DIGEST
    assert digest.title == (
        "Today: 1 reminder, 2 birthdays, 1 anniversary, 3 follow-ups, 1 update owed"
    )
    assert "Cy's work anniversary" in digest.body
    assert len(digest.due) == 6  # the occasions; the reminder alerts at noon, the update never
    assert services.alerts.check() == []
    clock.advance(timedelta(hours=3, minutes=30))
    [noon] = services.alerts.check()
    assert noon.title == "Call at noon"
    assert services.preferences.get(DIGEST_SENT_ON) == clock.today()


def test_an_occasion_added_after_the_digest_alerts_on_its_own(services, clock):
    services.alerts.check(START)
    cid = services.candidates.create(CandidateInput("Ida", birthday=PartialDate(11, 27, 2000)))
    [alert] = services.alerts.check()
    assert (alert.kind, alert.title, alert.body) == (ALERT_ITEM, "Ida's birthday", "Turns 26")
    assert alert.single.candidate_id == cid
    assert services.alerts.check() == []


def test_done_occasions_never_alert(services, clock):
    _at(clock, 7, 0)
    services.candidates.create(CandidateInput("Jo", birthday=PartialDate(11, 27)))
    [item] = services.today.compute().today
    services.today.mark_done(item)
    _at(clock, 9, 0)
    assert _due_keys(services.alerts.check(START)) == []


def test_a_snoozed_reminder_alerts_again_once_at_the_end_of_the_snooze(services, clock):
    rid = services.reminders.create("Call", clock.now())
    assert _due_keys(services.alerts.check(START)) == [f"reminder:{rid}"]
    services.reminders.snooze(rid, clock.now() + timedelta(hours=1))
    assert services.alerts.next_wakeup() == clock.now() + timedelta(hours=1)
    clock.advance(timedelta(minutes=59))
    assert services.alerts.check() == []
    clock.advance(timedelta(minutes=1))
    assert _due_keys(services.alerts.check()) == [f"reminder:{rid}"]
    clock.advance(timedelta(hours=1))
    assert services.alerts.check() == []


def test_the_digest_time_is_a_preference(services, clock):
    services.preferences.set(DIGEST_TIME, time(7, 15))
    _at(clock, 6, 0, days=1)
    services.candidates.create(CandidateInput("Kai", birthday=PartialDate(11, 28)))
    assert services.alerts.next_wakeup().astimezone(clock.tz()).time() == time(7, 15)
    clock.advance(timedelta(hours=1, minutes=15))
    assert [a.kind for a in services.alerts.check()] == [ALERT_DIGEST]


def test_without_the_digest_occasions_still_alert(services, clock):
    services.preferences.set(DIGEST_ENABLED, False)
    _at(clock, 8, 0)
    services.candidates.create(CandidateInput("Lu", birthday=PartialDate(11, 27)))
    services.alerts.check(START)
    clock.advance(timedelta(minutes=30))
    [alert] = services.alerts.check()
    assert (alert.kind, alert.title) == (ALERT_ITEM, "Lu's birthday")


def test_next_wakeup_ignores_what_cannot_alert(services, clock):
    cid = services.candidates.create(CandidateInput("Mo"))
    services.reminders.create("Past", clock.now() + timedelta(minutes=1), candidate_id=cid)
    services.candidates.trash([cid])  # its reminder leaves Today and cannot alert
    services.alerts.check(START)
    clock.advance(timedelta(minutes=2))
    assert services.alerts.check() == []
    wakeup = services.alerts.next_wakeup()
    assert wakeup > clock.now()  # never "now" again: the timer does not spin
    assert wakeup.astimezone(clock.tz()) == datetime(2026, 11, 28, 8, 30, tzinfo=clock.tz())


def test_old_alert_records_are_purged_at_start(services, clock):
    cid = services.candidates.create(CandidateInput("No", birthday=PartialDate(9, 1)))
    OccurrenceState.create(
        kind="birthday", candidate=cid, occurs_on=date(2026, 9, 1), notified_at=clock.now()
    )
    OccurrenceState.create(
        kind="birthday", candidate=cid, occurs_on=date(2025, 9, 1), done_at=clock.now()
    )
    services.alerts.check(START)
    assert [(s.occurs_on, s.done_at is not None) for s in OccurrenceState.select()] == [
        (date(2025, 9, 1), True)
    ]


def test_a_follow_up_alerts_once_on_its_day(services, clock):
    cid = services.candidates.create(CandidateInput("Olu"))
    services.timeline.add(cid, "call", "Catch-up", occurred_at=clock.now() - timedelta(days=29))
    services.alerts.check(START)
    assert services.alerts.check() == []
    _at(clock, 8, 30, days=1)
    [digest] = services.alerts.check()
    assert _due_keys([digest]) == [f"follow_up:{cid}:2026-11-28"]
    assert digest.title == "Today: 1 follow-up"


def test_todays_digest_on_request_records_nothing(services, clock):
    services.candidates.create(CandidateInput("Pia", birthday=PartialDate(11, 27)))
    summary = services.alerts.summary()
    assert summary.title == "Today: 1 birthday"
    assert summary.due == ()
    assert _due_keys(services.alerts.check(START)) == ["birthday:1:2026-11-27"]
