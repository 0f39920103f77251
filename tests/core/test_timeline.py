"""Timeline writes keep the candidate's last-contacted date right."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import ValidationError


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
