"""Timeline writes keep the candidate's last-contacted date right; promises; delete and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.timeline import PromiseInput
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import Reminder


@pytest.fixture
def candidate(services) -> int:
    return services.candidates.create(CandidateInput("Priya", "Nair"))


def _last(services, candidate_id):
    return services.candidates.get(candidate_id).last_contacted_at


def test_last_contacted_follows_add_edit_and_delete(services, clock, candidate):
    assert _last(services, candidate) is None
    note = services.timeline.add(candidate, "note", "Prefers remote roles")
    assert _last(services, candidate) is None  # a private note is not contact

    week_ago = clock.now() - timedelta(days=7)
    call = services.timeline.add(candidate, "call", "Intro call", occurred_at=week_ago)
    assert _last(services, candidate) == week_ago

    yesterday = clock.now() - timedelta(days=1)
    email = services.timeline.add(candidate, "email", "Sent the JD", occurred_at=yesterday)
    assert _last(services, candidate) == yesterday

    # Back-dating the newest contact moves last-contacted back with it.
    services.timeline.update(
        email,
        summary="Sent the JD",
        body="",
        kind="email",
        direction="out",
        occurred_at=clock.now() - timedelta(days=10),
    )
    assert _last(services, candidate) == week_ago

    services.timeline.delete(call)
    assert _last(services, candidate) == clock.now() - timedelta(days=10)
    services.timeline.delete(email)
    assert _last(services, candidate) is None
    assert [e.id for e in services.timeline.entries(candidate)] == [note]


def test_entries_are_newest_first_and_paged(services, clock, candidate):
    for day in range(5):
        services.timeline.add(
            candidate, "call", f"day {day}", occurred_at=clock.now() - timedelta(days=day)
        )
    assert [e.summary for e in services.timeline.entries(candidate, limit=3)] == [
        "day 0",
        "day 1",
        "day 2",
    ]
    assert [e.summary for e in services.timeline.entries(candidate, limit=3, offset=3)] == [
        "day 3",
        "day 4",
    ]


def test_empty_entry_and_unknown_kind_are_rejected(services, candidate):
    with pytest.raises(ValidationError) as empty:
        services.timeline.add(candidate, "note", "   ")
    assert "empty" in empty.value.errors["summary"]
    with pytest.raises(ValidationError) as kind:
        services.timeline.add(candidate, "telepathy", "hello")
    assert "telepathy" in kind.value.errors["kind"]
    assert services.timeline.count(candidate) == 0


def test_a_time_without_zone_is_a_validation_error(services, candidate):
    from datetime import datetime

    with pytest.raises(ValidationError) as error:
        services.timeline.add(candidate, "call", "x", occurred_at=datetime(2026, 1, 1, 9, 0))
    assert "time zone" in error.value.errors["occurred_at"]


# --- ordering, filtering, jobs -------------------------------------------------------------------


def test_back_dated_entries_sort_by_when_they_happened_not_when_logged(services, clock, candidate):
    services.timeline.add(candidate, "call", "logged first, happened last")
    services.timeline.add(
        candidate, "meeting", "logged last, happened first", occurred_at=clock.now() - timedelta(3)
    )
    same_instant = clock.now() - timedelta(days=1)
    first = services.timeline.add(candidate, "note", "tie A", occurred_at=same_instant)
    second = services.timeline.add(candidate, "note", "tie B", occurred_at=same_instant)
    entries = services.timeline.entries(candidate)
    assert [e.summary for e in entries] == [
        "logged first, happened last",
        "tie B",  # equal times: the later-logged entry first, so the order is stable
        "tie A",
        "logged last, happened first",
    ]
    assert [e.id for e in entries[1:3]] == [second, first]


def test_kind_filter_pages_and_counts_within_the_kind(services, clock, candidate):
    for day in range(6):
        kind = "call" if day % 2 else "note"
        services.timeline.add(
            candidate, kind, f"{kind} {day}", occurred_at=clock.now() - timedelta(days=day)
        )
    assert services.timeline.count(candidate, kinds=["call"]) == 3
    page = services.timeline.entries(candidate, limit=2, offset=1, kinds=["call"])
    assert [e.summary for e in page] == ["call 3", "call 5"]
    both = services.timeline.entries(candidate, kinds=("call", "note"))
    assert len(both) == 6


def test_entry_links_to_a_job_and_can_be_unlinked(services, candidate):
    company = services.jobs.create_company("Foxglove Health")
    from crm_desktop.core.jobs import JobInput

    job = services.jobs.create_job(JobInput("Data Engineer", company_id=company))
    entry = services.timeline.add(candidate, "call", "Pitched the role", job_id=job)
    got = services.timeline.get(entry)
    assert (got.job_id, got.job_label) == (job, "Data Engineer @ Foxglove Health")
    services.timeline.update(
        entry,
        summary=got.summary,
        body="",
        kind="call",
        direction="both",
        occurred_at=got.occurred_at,
        job_id=None,
    )
    assert services.timeline.get(entry).job_id is None


# --- promises ------------------------------------------------------------------------------------


def _open_reminders(services):
    view = services.today.compute()
    return [i for i in (*view.overdue, *view.today, *view.upcoming) if i.kind == "reminder"]


def test_a_promise_becomes_a_reminder_on_today_until_kept(services, clock, candidate):
    due = clock.now() + timedelta(days=1)
    entry = services.timeline.add(
        candidate,
        "call",
        "Client feedback pending",
        promise=PromiseInput("Call Friday with the client's feedback", due),
    )
    promise = services.timeline.get(entry).promise
    assert promise is not None
    assert not promise.kept
    assert (promise.text, promise.due_at) == ("Call Friday with the client's feedback", due)
    reminder = Reminder.get_by_id(promise.reminder_id)
    assert (reminder.interaction_id, reminder.candidate_id) == (entry, candidate)
    (item,) = _open_reminders(services)
    assert item.title == "Call Friday with the client's feedback"
    assert item.candidate_id == candidate
    assert item.reason == "Promised in the call on 27 Nov: Client feedback pending"

    assert services.timeline.keep_promise(entry) is True
    assert services.timeline.get(entry).promise.kept
    assert _open_reminders(services) == []
    assert services.timeline.keep_promise(entry) is False  # nothing open any more


def test_changing_and_dropping_a_promise_replaces_its_reminder(services, clock, candidate):
    entry = services.timeline.add(
        candidate, "note", "x", promise=PromiseInput("Send the JD", clock.now())
    )
    first = services.timeline.get(entry).promise.reminder_id
    services.timeline.set_promise(entry, PromiseInput("Send the JD", clock.now()))
    assert services.timeline.get(entry).promise.reminder_id == first  # unchanged: kept as is
    later = clock.now() + timedelta(days=2)
    services.timeline.set_promise(entry, PromiseInput("Send the JD and salary band", later))
    promise = services.timeline.get(entry).promise
    assert (promise.text, promise.due_at) == ("Send the JD and salary band", later)
    assert Reminder.select().where(Reminder.interaction == entry).count() == 1
    services.timeline.set_promise(entry, None)
    assert services.timeline.get(entry).promise is None
    assert _open_reminders(services) == []


def test_an_empty_promise_is_refused_and_nothing_is_saved(services, clock, candidate):
    with pytest.raises(ValidationError) as error:
        services.timeline.add(candidate, "call", "x", promise=PromiseInput("  ", clock.now()))
    assert "promised" in error.value.errors["promise"]
    assert services.timeline.count(candidate) == 0
    assert Reminder.select().count() == 0


# --- delete and undo -----------------------------------------------------------------------------


def test_delete_clears_the_open_promise_and_restore_brings_everything_back(
    services, clock, candidate
):
    yesterday = clock.now() - timedelta(days=1)
    entry = services.timeline.add(
        candidate,
        "call",
        "Discussed notice period",
        "Body <b>kept</b>",
        occurred_at=yesterday,
        duration_minutes=20,
        promise=PromiseInput("Send offer letter", clock.now() + timedelta(days=1)),
    )
    before = services.timeline.get(entry)
    assert _last(services, candidate) == yesterday

    deleted = services.timeline.delete(entry)
    assert services.timeline.count(candidate) == 0
    assert _open_reminders(services) == []
    assert _last(services, candidate) is None
    assert deleted.label == "Discussed notice period"

    assert services.timeline.restore(deleted) == entry
    after = services.timeline.get(entry)
    assert replace(after, promise=None) == replace(before, promise=None)
    assert (after.promise.text, after.promise.due_at) == (
        before.promise.text,
        before.promise.due_at,
    )
    assert [i.title for i in _open_reminders(services)] == ["Send offer letter"]
    assert _last(services, candidate) == yesterday
    assert services.timeline.restore(deleted) == entry  # a second undo changes nothing
    assert services.timeline.count(candidate) == 1


def test_restore_takes_a_new_id_when_a_newer_entry_took_the_old_one(services, candidate):
    old = services.timeline.add(candidate, "note", "deleted, then undone")
    deleted = services.timeline.delete(old)
    newer = services.timeline.add(candidate, "note", "logged in between")
    restored = services.timeline.restore(deleted)
    assert restored != newer
    summaries = {e.id: e.summary for e in services.timeline.entries(candidate)}
    assert summaries == {newer: "logged in between", restored: "deleted, then undone"}


def test_restore_keeps_a_kept_promise_linked(services, clock, candidate):
    entry = services.timeline.add(
        candidate, "call", "x", promise=PromiseInput("Call back", clock.now())
    )
    services.timeline.keep_promise(entry)
    deleted = services.timeline.delete(entry)
    services.timeline.restore(deleted)
    assert services.timeline.get(entry).promise.kept


def test_changes_are_announced_for_the_candidate(services, clock, candidate):
    seen = []
    services.hub.subscribe(seen.append)
    entry = services.timeline.add(candidate, "note", "x")
    deleted = services.timeline.delete(entry)
    services.timeline.restore(deleted)
    interaction = [(c.action, c.ids, c.candidate_ids) for c in seen if c.entity == "interaction"]
    assert interaction == [
        ("created", (entry,), (candidate,)),
        ("deleted", (entry,), (candidate,)),
        ("created", (entry,), (candidate,)),
    ]


def test_an_edit_can_add_change_and_drop_the_promise_in_one_go(services, clock, candidate):
    entry = services.timeline.add(candidate, "call", "Intro")
    fields = {
        "summary": "Intro",
        "body": "",
        "kind": "call",
        "direction": "both",
        "occurred_at": clock.now(),
    }
    with pytest.raises(ValidationError):
        services.timeline.update(entry, **fields, promise=PromiseInput("", clock.now()))
    assert services.timeline.get(entry).promise is None
    services.timeline.update(entry, **fields, promise=PromiseInput("Send JD", clock.now()))
    assert services.timeline.get(entry).promise.text == "Send JD"
    services.timeline.update(entry, **{**fields, "summary": "Intro call"})  # promise kept as is
    assert services.timeline.get(entry).promise.text == "Send JD"
    services.timeline.update(entry, **fields, promise=None)
    assert services.timeline.get(entry).promise is None
    assert _open_reminders(services) == []
