"""Today: reminders by local day, derived birthdays and anniversaries, done per occurrence."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crm_desktop.clock import SettableClock
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.reminders import next_occurrence
from crm_desktop.core.validation import PartialDate


def _titles(items):
    return [item.title for item in items]


def test_reminder_due_today_listed_and_tomorrow_not(services, clock):
    now = clock.local_now()
    services.reminders.create("Call Priya", now.replace(hour=16))
    services.reminders.create("Send shortlist", now + timedelta(days=1))
    services.reminders.create("Chase feedback", now - timedelta(days=3))
    view = services.today.compute()
    assert _titles(view.today) == ["Call Priya"]
    assert _titles(view.overdue) == ["Chase feedback"]
    assert _titles(view.upcoming) == ["Send shortlist"]


def test_local_midnight_decides_the_day(services, clock):
    # 23:30 in Berlin on the 27th is 22:30 UTC: still "today" for the recruiter.
    services.reminders.create("Late", clock.local_now().replace(hour=23, minute=30))
    # 00:30 in Berlin on the 28th is 23:30 UTC on the 27th: tomorrow for the recruiter.
    services.reminders.create("Early", clock.local_now().replace(hour=0, minute=30) + timedelta(1))
    view = services.today.compute()
    assert _titles(view.today) == ["Late"]
    assert _titles(view.upcoming) == ["Early"]


def test_completed_reminder_leaves_and_recurring_rolls_forward(services, clock):
    once = services.reminders.create("Once", clock.now())
    weekly = services.reminders.create("Weekly check-in", clock.now(), recurrence="weekly")
    services.reminders.complete(once)
    services.reminders.complete(weekly)
    view = services.today.compute()
    assert view.today == []
    assert [(i.title, i.on) for i in view.upcoming] == [("Weekly check-in", date(2026, 12, 4))]


def test_birthday_done_for_this_year_only(services, clock):
    cid = services.candidates.create(
        CandidateInput("Lena", "Brandt", birthday=PartialDate(11, 27, 1990))
    )
    view = services.today.compute()
    [item] = view.today
    assert (item.kind, item.reason, item.candidate_id) == ("birthday", "Turns 36", cid)
    services.today.mark_done(item)
    assert services.today.compute().today == []
    clock.set(datetime(2027, 11, 27, 9, 0))
    assert _titles(services.today.compute().today) == ["Lena Brandt's birthday"]


def test_29_february_is_celebrated_on_28_february_in_common_years(services):
    services.candidates.create(CandidateInput("Leap", "Day", birthday=PartialDate(2, 29)))
    common = services.today.compute(date(2027, 2, 28), days=0)
    leap = services.today.compute(date(2028, 2, 28), days=1)
    assert [i.on for i in common.today] == [date(2027, 2, 28)]
    assert leap.today == []
    assert [i.on for i in leap.upcoming] == [date(2028, 2, 29)]


def test_joining_day_and_work_anniversaries(services, clock):
    services.candidates.create(CandidateInput("New", "Joiner", joined_on=date(2026, 11, 27)))
    services.candidates.create(
        CandidateInput("Old", "Hand", company_name="Acme", joined_on=date(2023, 11, 29))
    )
    view = services.today.compute()
    assert [(i.kind, i.reason) for i in view.today] == [("joining_day", "Joining day")]
    assert [(i.kind, i.reason) for i in view.upcoming] == [("anniversary", "3 years at Acme")]


def test_trashed_candidates_drop_out_of_today(services, clock):
    cid = services.candidates.create(CandidateInput("Gone", birthday=PartialDate(11, 27)))
    services.reminders.create("Call Gone", clock.now(), candidate_id=cid)
    assert len(services.today.compute().today) == 2
    services.candidates.trash([cid])
    assert services.today.compute().today == []


def test_monthly_recurrence_keeps_wall_time_across_dst():
    clock = SettableClock(datetime(2026, 10, 15, 9, 0), "Europe/Berlin")
    due = clock.now()
    following = next_occurrence(due, "monthly", clock.tz())
    assert following.astimezone(clock.tz()).replace(tzinfo=None) == datetime(2026, 11, 15, 9, 0)
    jan31 = SettableClock(datetime(2027, 1, 31, 9, 0), "Europe/Berlin").now()
    assert next_occurrence(jan31, "monthly", clock.tz()).astimezone(clock.tz()).day == 28


def test_do_not_contact_candidates_get_no_celebration_prompts(services):
    services.candidates.create(
        CandidateInput(
            "Quiet",
            status="do_not_contact",
            birthday=PartialDate(11, 27),
            joined_on=date(2025, 11, 27),
        )
    )
    assert services.today.compute().today == []


def test_reminder_items_name_their_candidate(services, clock):
    services.candidates.create(CandidateInput("Aaron", "First"))
    zed = services.candidates.create(CandidateInput("Zed", "Last"))
    services.reminders.create("Ping Zed", clock.now(), candidate_id=zed)
    [item] = services.today.compute().today
    assert (item.candidate_id, item.candidate_name) == (zed, "Zed Last")


def test_open_reminders_are_read_through_their_partial_index(services, clock):
    """Completed reminders pile up over the years; Today reads only the open ones (v7)."""
    from crm_desktop.core.today import open_reminders_query
    from crm_desktop.store.models import db

    sql, params = open_reminders_query(clock.now()).sql()
    plan = " ".join(row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "USING INDEX reminder_open_due (due_at<?)" in plan
