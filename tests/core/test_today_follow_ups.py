"""Follow-ups: due a cadence after the last contact; default per status, own cadence first."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.preferences import FOLLOW_UP_DAYS


def _contacted(services, clock, name, days_ago, status="active", own=None, hour=12):
    cid = services.candidates.create(CandidateInput(name, status=status, follow_up_days=own))
    when = clock.local_now().replace(hour=hour, minute=0) - timedelta(days=days_ago)
    services.timeline.add(cid, "call", "Caught up", occurred_at=when)
    return cid


def _follow_ups(view):
    return {i.candidate_name: i for i in view.all() if i.kind == "follow_up"}


def test_due_a_cadence_after_the_last_contact(services, clock):
    # Defaults: active 30 days, passive 90.
    _contacted(services, clock, "Due", 30)
    _contacted(services, clock, "Overdue", 33)
    _contacted(services, clock, "Recent", 10)
    _contacted(services, clock, "Passive", 30, status="passive")
    _contacted(services, clock, "Lapsed", 60)  # fell due a month ago: "Going cold" territory
    view = services.today.compute()
    found = _follow_ups(view)
    assert set(found) == {"Due", "Overdue"}
    assert found["Due"].on == clock.today()
    assert found["Due"].title == "Follow up with Due"
    assert found["Due"].reason == "No contact for 30 days"
    assert found["Overdue"] in view.overdue
    assert found["Overdue"].on == clock.today() - timedelta(days=3)


def test_a_candidates_own_cadence_beats_the_status_default(services, clock):
    _contacted(services, clock, "Weekly", 7, own=7)
    _contacted(services, clock, "Default", 7)
    _contacted(services, clock, "Slow", 30, own=45)
    assert set(_follow_ups(services.today.compute())) == {"Weekly"}


def test_changing_the_default_shows_at_once_and_never_means_none(services, clock):
    _contacted(services, clock, "Passive", 14, status="passive")
    assert _follow_ups(services.today.compute()) == {}
    services.preferences.set(FOLLOW_UP_DAYS, {"active": 30, "passive": 14, "placed": None})
    assert set(_follow_ups(services.today.compute())) == {"Passive"}
    services.preferences.set(FOLLOW_UP_DAYS, {"active": 30, "passive": None, "placed": None})
    assert _follow_ups(services.today.compute()) == {}


def test_no_follow_ups_for_do_not_contact_trashed_or_never_contacted(services, clock):
    _contacted(services, clock, "Quiet", 30, status="do_not_contact", own=30)
    gone = _contacted(services, clock, "Gone", 30)
    services.candidates.trash([gone])
    services.candidates.create(CandidateInput("Never", follow_up_days=1))
    assert _follow_ups(services.today.compute()) == {}


def test_logging_a_contact_moves_the_next_follow_up_on(services, clock):
    cid = _contacted(services, clock, "Anna", 30)
    assert set(_follow_ups(services.today.compute())) == {"Anna"}
    services.timeline.add(cid, "email", "Checked in")
    assert _follow_ups(services.today.compute()) == {}
    clock.advance(timedelta(days=30))
    assert set(_follow_ups(services.today.compute())) == {"Anna"}


def test_done_without_a_contact_counts_the_next_one_from_that_day(services, clock):
    _contacted(services, clock, "Bea", 30)
    [item] = _follow_ups(services.today.compute()).values()
    services.today.mark_done(item)
    assert _follow_ups(services.today.compute()) == {}
    clock.advance(timedelta(days=29))
    assert _follow_ups(services.today.compute()) == {}
    clock.advance(timedelta(days=1))
    [again] = _follow_ups(services.today.compute()).values()
    assert again.on == clock.today()
    assert again.reason == "Last follow-up 30 days ago"


def test_short_cadence_done_early_comes_round_again(services, clock):
    # Every 3 days; marked done the day it fell due, twice in a row: never stuck.
    _contacted(services, clock, "Cai", 3, own=3)
    for _round in range(2):
        [item] = _follow_ups(services.today.compute()).values()
        assert item.on == clock.today()
        services.today.mark_done(item)
        clock.advance(timedelta(days=3))


def test_local_day_of_the_last_contact_counts_not_utc(services, clock):
    # 00:30 in Berlin is still the previous day in UTC: the follow-up is due by the local day.
    _contacted(services, clock, "Late", 30, hour=0)
    [item] = _follow_ups(services.today.compute()).values()
    assert item.on == clock.today()


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York"])
def test_follow_up_across_a_dst_change_keeps_its_day(services, clock, tz):
    clock.set_zone(tz)
    clock.set(datetime(2026, 3, 20, 23, 30))  # before both spring-forward changes
    cid = services.candidates.create(CandidateInput("Dee", follow_up_days=14))
    services.timeline.add(cid, "call", "Late call")
    clock.set(datetime(2026, 4, 3, 9, 0))
    [item] = _follow_ups(services.today.compute()).values()
    assert item.on == date(2026, 4, 3)


def test_each_query_is_one_exact_range_of_the_follow_up_index(services, clock):
    """SQLite seeks on all three columns of the schema's follow-up index: it reads only the
    candidates it returns, whatever the size of the database."""
    from crm_desktop.core.follow_ups import FOLLOW_UP_INDEX, NEXT_OWN_CADENCE, contact_range
    from crm_desktop.store.models import db

    def plan(sql: str, params: tuple) -> str:
        return " ".join(row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))

    assert f"INDEX {FOLLOW_UP_INDEX} (follow_up_days>?)" in plan(NEXT_OWN_CADENCE, (0,))
    for status in ("active", None):
        query = contact_range(clock.today(), clock.today(), 30, clock.tz(), status)
        expected = "(follow_up_days=? AND status=? AND last_contacted_at>? AND last_contacted_at<?)"
        assert f"INDEX {FOLLOW_UP_INDEX} {expected}" in plan(*query)


def test_a_limit_lists_the_longest_waiting_and_counts_the_rest(services, clock):
    """The panel asks for a page: the most overdue follow-ups and the first of today's are
    listed, the others are counted; without a limit every one is listed (alerts, the CLI)."""
    for n in range(5):
        _contacted(services, clock, f"Over{n}", 31 + n)  # 1..5 days overdue
    for n in range(4):
        _contacted(services, clock, f"Today{n}", 30)
    services.reminders.create("Call the client", clock.now() - timedelta(days=2))
    full = services.today.compute()
    assert len(_follow_ups(full)) == 9
    view = services.today.compute(limit=2)
    overdue = [i for i in view.overdue if i.kind == "follow_up"]
    assert [i.candidate_name for i in overdue] == ["Over4", "Over3"]  # the longest waiting
    assert len([i for i in view.today if i.kind == "follow_up"]) == 2
    assert (view.more_overdue, view.more_today) == (3, 2)
    assert any(i.kind == "reminder" for i in view.overdue)  # other kinds are never cut
    assert view.total == full.total
    assert view.summary() == full.summary()
    assert services.today.compute(limit=10) == full


def test_a_page_is_the_start_of_the_panels_order_by_name(services, clock):
    """Within a day the panel sorts by name: a page must be its first names (contact times
    must not decide), so "Show more" adds lines after those already shown."""
    for name, hour in (("Zed", 9), ("Amy", 10), ("Bob", 11)):
        _contacted(services, clock, name, 30, hour=hour)
    page = services.today.compute(limit=2)
    assert [i.candidate_name for i in page.today] == ["Amy", "Bob"]
    assert page.more_today == 1
    full = [i.candidate_name for i in services.today.compute().today]
    assert full == ["Amy", "Bob", "Zed"]
