"""Reminders: edit, done/undo, reopen, snooze presets, delete; derived items snoozed and done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.preferences import DIGEST_TIME
from crm_desktop.core.reminders import (
    SNOOZE_HOUR,
    SNOOZE_NEXT_WEEK,
    SNOOZE_TOMORROW,
    local_wall_time,
    next_occurrence,
    snooze_until,
)
from crm_desktop.core.validation import PartialDate, ValidationError
from crm_desktop.store.models import Reminder


def _local(clock, when):
    return when.astimezone(clock.tz()).replace(tzinfo=None)


def test_edit_changes_fields_and_a_new_time_alerts_anew(services, clock):
    cid = services.candidates.create(CandidateInput("Mia"))
    rid = services.reminders.create("Call", clock.now())
    Reminder.update(notified_at=clock.now()).where(Reminder.id == rid).execute()
    services.reminders.update(
        rid, "  Call Mia  ", clock.now() + timedelta(hours=2), candidate_id=cid, notes="offer"
    )
    record = services.reminders.get(rid)
    assert (record.title, record.candidate_name, record.notes) == ("Call Mia", "Mia", "offer")
    assert record.notified_at is None

    Reminder.update(notified_at=clock.now()).where(Reminder.id == rid).execute()
    services.reminders.update(rid, "Call Mia", record.due_at, candidate_id=cid, notes="renamed")
    assert services.reminders.get(rid).notified_at is not None  # same occurrence: no repeat


def test_edit_is_validated(services, clock):
    rid = services.reminders.create("Call", clock.now())
    with pytest.raises(ValidationError) as raised:
        services.reminders.update(rid, " ", clock.now(), recurrence="hourly", job_id=999)
    assert set(raised.value.errors) == {"title", "recurrence", "job"}
    assert services.reminders.get(rid).title == "Call"


def test_done_then_undo_restores_a_repeating_reminder_exactly(services, clock):
    rid = services.reminders.create("Weekly", clock.now() - timedelta(days=1), recurrence="weekly")
    Reminder.update(notified_at=clock.now()).where(Reminder.id == rid).execute()
    before = services.reminders.get(rid)
    [item] = services.today.compute().overdue
    undo = services.today.mark_done(item)
    rolled = services.reminders.get(rid)
    assert rolled.due_at == before.due_at + timedelta(days=7)
    assert rolled.notified_at is None
    undo()
    assert services.reminders.get(rid) == before


def test_reopen_brings_a_done_reminder_back(services, clock):
    rid = services.reminders.create("Once", clock.now())
    services.reminders.complete(rid)
    assert services.today.compute().today == []
    services.reminders.reopen(rid)
    assert [i.ref_id for i in services.today.compute().today] == [rid]


def test_delete_removes_it(services, clock):
    rid = services.reminders.create("Gone", clock.now())
    services.reminders.delete(rid)
    assert services.today.compute().total == 0


def test_snooze_moves_it_and_it_alerts_again(services, clock):
    rid = services.reminders.create("Call", clock.now() - timedelta(days=2))
    Reminder.update(notified_at=clock.now()).where(Reminder.id == rid).execute()
    services.reminders.snooze(rid, services.reminders.snooze_time(SNOOZE_TOMORROW))
    view = services.today.compute()
    assert view.overdue == []
    [item] = view.upcoming
    assert _local(clock, item.due_at) == datetime(2026, 11, 28, 8, 30)  # digest time, tomorrow
    assert services.reminders.get(rid).notified_at is None


def test_snooze_presets_follow_the_morning_preference(services, clock):
    services.preferences.set(DIGEST_TIME, time(7, 15))
    # Friday 27 November 2026, 10:00.
    assert _local(clock, services.reminders.snooze_time(SNOOZE_HOUR)) == datetime(
        2026, 11, 27, 11, 0
    )
    assert _local(clock, services.reminders.snooze_time(SNOOZE_TOMORROW)) == datetime(
        2026, 11, 28, 7, 15
    )
    assert _local(clock, services.reminders.snooze_time(SNOOZE_NEXT_WEEK)) == datetime(
        2026, 11, 30, 7, 15
    )


def test_next_week_from_a_monday_is_the_following_monday():
    monday = SettableClock(datetime(2026, 11, 30, 9, 0), "Europe/Berlin").local_now()
    until = snooze_until(SNOOZE_NEXT_WEEK, monday, time(9, 0))
    assert until.astimezone(monday.tzinfo).date() == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("tz", "day"), [("Europe/Berlin", date(2026, 3, 29)), ("America/New_York", date(2026, 3, 8))]
)
def test_a_wall_time_skipped_by_dst_falls_just_after_the_change(tz, day):
    clock = SettableClock(datetime(2026, 1, 1), tz)
    when = local_wall_time(day, time(2, 30), clock.tz()).astimezone(clock.tz())
    assert (when.date(), when.hour, when.minute) == (day, 3, 30)


def test_an_hour_of_snooze_across_fall_back_is_an_hour():
    # 01:30 on the night New York falls back: an hour later is 01:30 again (EST), not 02:30.
    clock = SettableClock(datetime(2026, 11, 1, 5, 30), "UTC")
    clock.set_zone("America/New_York")
    until = snooze_until(SNOOZE_HOUR, clock.local_now(), time(9, 0))
    assert until - clock.now() == timedelta(hours=1)


@pytest.mark.parametrize("rule", ["daily", "weekly", "monthly", "yearly"])
def test_recurrence_keeps_the_wall_time_across_dst_in_new_york(rule):
    clock = SettableClock(datetime(2026, 3, 1, 9, 0), "America/New_York")
    due = clock.now()
    for _step in range(14):
        due = next_occurrence(due, rule, clock.tz())
        assert due.astimezone(clock.tz()).time() == time(9, 0)


def test_yearly_recurrence_on_29_february_falls_on_28_february_in_common_years():
    clock = SettableClock(datetime(2028, 2, 29, 9, 0), "Europe/Berlin")
    following = next_occurrence(clock.now(), "yearly", clock.tz())
    assert following.astimezone(clock.tz()).date() == date(2029, 2, 28)


def test_a_monthly_reminder_on_the_31st_keeps_its_day_through_short_months(services, clock):
    """31 January -> 28 February -> 31 March -> 30 April -> 31 May, through the service (the
    day is stored with the reminder, so completing it month after month never drifts)."""
    clock.set(datetime(2027, 1, 31, 8, 0))
    due = local_wall_time(date(2027, 1, 31), time(9, 0), clock.tz())
    rid = services.reminders.create("Invoice the client", due, recurrence="monthly")
    seen = []
    for _month in range(4):
        clock.set(services.reminders.get(rid).due_at + timedelta(minutes=5))
        services.reminders.complete(rid)
        seen.append(services.reminders.get(rid).due_at.astimezone(clock.tz()).date())
    assert seen == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31)]
    assert {r.repeat_day for r in Reminder.select()} == {31}


def test_editing_a_repeating_reminder_takes_the_new_day(services, clock):
    due = local_wall_time(date(2027, 1, 31), time(9, 0), clock.tz())
    rid = services.reminders.create("Payroll", due, recurrence="monthly")
    services.reminders.update(rid, "Payroll", due - timedelta(days=16), recurrence="monthly")
    assert Reminder.get_by_id(rid).repeat_day == 15
    services.reminders.update(rid, "Payroll", due, recurrence="weekly")
    assert Reminder.get_by_id(rid).repeat_day is None


def test_a_new_time_on_a_short_month_keeps_the_day_the_reminder_was_set_for(services, clock):
    clock.set(datetime(2027, 2, 1, 8, 0))
    due = local_wall_time(date(2027, 1, 31), time(9, 0), clock.tz())
    rid = services.reminders.create("Invoices", due, recurrence="monthly")
    services.reminders.complete(rid)  # now due 28 February
    february = services.reminders.get(rid).due_at
    services.reminders.update(rid, "Invoices", february + timedelta(hours=2), recurrence="monthly")
    assert Reminder.get_by_id(rid).repeat_day == 31


def test_reminders_from_before_v7_keep_the_day_of_their_due_date(clock):
    due = local_wall_time(date(2027, 1, 30), time(9, 0), clock.tz())
    following = next_occurrence(due, "monthly", clock.tz(), None)
    assert following.astimezone(clock.tz()).date() == date(2027, 2, 28)


def test_snoozing_a_birthday_turns_it_into_a_reminder_and_sets_it_aside(services, clock):
    cid = services.candidates.create(CandidateInput("Lena", birthday=PartialDate(11, 27, 1990)))
    [birthday] = services.today.compute().today
    rid = services.today.snooze(birthday, clock.now() + timedelta(hours=3))
    [item] = services.today.compute().today
    assert (item.kind, item.ref_id, item.candidate_id) == ("reminder", rid, cid)
    assert (item.title, item.reason) == ("Lena's birthday", "Turns 36")
    clock.set(datetime(2027, 11, 27, 9, 0))  # next year's birthday is untouched
    assert [i.kind for i in services.today.compute().today] == ["birthday"]


def test_undo_of_a_birthday_done(services, clock):
    services.candidates.create(CandidateInput("Ola", birthday=PartialDate(11, 27)))
    [item] = services.today.compute().today
    undo = services.today.mark_done(item)
    assert services.today.compute().today == []
    undo()
    assert [i.key for i in services.today.compute().today] == [item.key]


def test_done_on_an_owed_update_means_the_candidate_was_told(services, clock):
    cid = services.candidates.create(CandidateInput("Pat"))
    job = services.jobs.create_job(JobInput("Dev"))
    app = services.pipeline.attach(cid, job, stage="shortlisted")
    [item] = [i for i in services.today.compute().all() if i.kind == "owed_update"]
    assert services.today.mark_done(item) is None  # no undo: the candidate was told
    assert services.pipeline.get(app).informed_at is not None
    assert not [i for i in services.today.compute().all() if i.kind == "owed_update"]
