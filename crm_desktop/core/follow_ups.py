"""Follow-ups: the Today source that keeps candidates from going cold.

A candidate is due a follow-up ``cadence`` days after the last time the recruiter was in touch
(``last_contacted_at``, kept by the timeline). The cadence is the candidate's own
(``follow_up_days``) or else the default for their status from the preferences; do-not-contact
candidates never get one. Logging the contact moves the next follow-up on by itself. Marking a
follow-up done without logging anything (or snoozing it, which sets it aside for a reminder)
counts from that day instead, so the next one still comes round.

A follow-up is listed from the day it falls due, not ahead of it like a birthday: there is
nothing to prepare, and at scale the "next 7 days" would drown the panel. A candidate who was never
contacted has no follow-up: there is nothing to follow up on yet, and the candidate list's "Going
cold" filter lists exactly those people.

Speed: every query is an index range for one cadence and status, so with the index on
``(follow_up_days, status, last_contacted_at) WHERE deleted_at IS NULL`` (schema v6) each reads
only the rows it returns, and nothing walks the candidate table in Python.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo

import peewee

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.candidates import display_name
from crm_desktop.core.preferences import FOLLOW_UP_STATUSES
from crm_desktop.core.today import TodayItem, alive, parse_utc, raw_rows, utc_text
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.models import Candidate, OccurrenceState

FOLLOW_UP = "follow_up"

# The index these queries are shaped for (schema v6, ``store/sql/v006_follow_up_index.sql``).
FOLLOW_UP_INDEX = "candidate_live_follow_up"

Cadences = Callable[[], Mapping[str, int | None]]


class FollowUpSource:
    """Follow-ups falling due between ``start`` and ``end``; ``cadences`` gives the default
    number of days per status (read on every call, so a changed preference shows at once)."""

    kind = FOLLOW_UP

    def __init__(self, cadences: Cadences) -> None:
        self._cadences = cadences

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        end = min(end, today)
        if end < start:
            return
        tz = clock.tz()
        defaults = {s: d for s, d in self._cadences().items() if d and s in FOLLOW_UP_STATUSES}
        own = _own_cadences()
        rows: dict[int, tuple] = {}
        for status, days in defaults.items():
            for row in _contacted_between(start, end, days, tz, status=status):
                rows[row[0]] = (*row, days)
        for days in own:
            for row in _contacted_between(start, end, days, tz):
                rows[row[0]] = (*row, days)
        longest = max([*defaults.values(), *own], default=0)
        set_aside = _set_aside_since(start - timedelta(days=longest), tz) if longest else {}
        missing = [cid for cid in set_aside if cid not in rows]
        for row in _candidates(missing):
            days = row[4] or defaults.get(row[5])
            if days:
                rows[row[0]] = (*row, days)
        days_of = _LocalDays(start - timedelta(days=longest), end, tz)
        yield from self._items(rows, set_aside, start, end, today, days_of)

    def _items(
        self,
        rows: dict[int, tuple],
        set_aside: Mapping[int, tuple[date, date]],
        start: date,
        end: date,
        today: date,
        days_of: _LocalDays,
    ) -> Iterable[TodayItem]:
        title_text = _("Follow up with {name}")
        steps: dict[int, timedelta] = {}
        keys: dict[date, str] = {}  # thousands of items share a handful of due dates
        for cid, first, last, contacted_text, _own, _status, days in rows.values():
            step = steps.get(days) or steps.setdefault(days, timedelta(days=days))
            contacted = days_of.day(contacted_text)
            anchor, due = contacted, contacted + step
            if cid in set_aside:
                done_on, last_occurrence = set_aside[cid]
                if done_on >= contacted:
                    anchor = done_on
                    due = max(done_on, last_occurrence) + step
            if not start <= due <= end:
                continue
            name = display_name(first, last)
            prefix = keys.get(due) or keys.setdefault(due, f"{FOLLOW_UP}:{{}}:{due.isoformat()}")
            yield TodayItem(
                key=prefix.format(cid),
                kind=FOLLOW_UP,
                on=due,
                due_at=None,
                title=title_text.format(name=name),
                reason=_reason(days, anchor == contacted, (today - anchor).days),
                candidate_id=cid,
                candidate_name=name,
            )


@functools.lru_cache(maxsize=4096)
def _reason(days: int, from_contact: bool, since: int) -> str:
    """ "No contact for 32 days" (or "Last follow-up 30 days ago" when the last one was marked
    done without a contact being logged). ``days`` is the cadence, for the translators' cache."""
    if from_contact:
        if since <= 0:
            return _("Contacted today")
        return ngettext("No contact for {n} day", "No contact for {n} days", since).format(n=since)
    if since <= 0:
        return _("Followed up today")
    return ngettext("Last follow-up {n} day ago", "Last follow-up {n} days ago", since).format(
        n=since
    )


def _own_cadences() -> list[int]:
    """The distinct cadences candidates have of their own (a walk of the follow-up index)."""
    return [days for (days,) in raw_rows(_own_cadences_query())]


def _own_cadences_query() -> peewee.Query:
    return (
        Candidate.select(Candidate.follow_up_days)
        .where((Candidate.follow_up_days > 0) & alive())
        .distinct()
    )


def _contacted_between(
    start: date, end: date, days: int, tz: tzinfo, status: str | None = None
) -> list[tuple]:
    return raw_rows(contact_range_query(start, end, days, tz, status))


def contact_range_query(
    start: date, end: date, days: int, tz: tzinfo, status: str | None = None
) -> peewee.Query:
    """Candidates whose follow-up ``days`` after their last contact falls in [start, end]:
    with the status default when ``status`` is given, else those with ``days`` of their own.

    Shaped for ``FOLLOW_UP_INDEX``: equality, equality, range, and ``deleted_at IS NULL`` as
    the partial index says, so SQLite reads exactly the rows returned.
    """
    low = utc_text(start_of_local_day(start - timedelta(days=days), tz))
    high = utc_text(start_of_local_day(end - timedelta(days=days - 1), tz))
    if status is None:
        cadence = (Candidate.follow_up_days == days) & Candidate.status.in_(FOLLOW_UP_STATUSES)
    else:
        cadence = Candidate.follow_up_days.is_null() & (Candidate.status == status)
    return Candidate.select(*_COLUMNS).where(
        cadence
        & (Candidate.last_contacted_at >= low)
        & (Candidate.last_contacted_at < high)
        & alive()
    )


def _candidates(ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    query = Candidate.select(*_COLUMNS).where(
        Candidate.id.in_(ids)
        & Candidate.last_contacted_at.is_null(False)
        & Candidate.status.in_(FOLLOW_UP_STATUSES)
        & alive()
    )
    return raw_rows(query)


def _set_aside_since(since: date, tz: tzinfo) -> dict[int, tuple[date, date]]:
    """candidate -> (local day of the latest follow-up marked done, latest occurrence done),
    for follow-ups marked done since ``since``."""
    query = (
        OccurrenceState.select(
            OccurrenceState.candidate,
            OccurrenceState.done_at,
            OccurrenceState.occurs_on,
        )
        .where(
            (OccurrenceState.kind == FOLLOW_UP)
            & (OccurrenceState.done_at >= utc_text(start_of_local_day(since, tz)))
        )
        .order_by(OccurrenceState.done_at)
    )
    found: dict[int, tuple[date, date]] = {}
    for cid, done_text, on_text in raw_rows(query):
        done_on = _local_day(parse_utc(done_text), tz)
        on = date.fromisoformat(on_text)
        previous = found.get(cid)
        found[cid] = (done_on, max(on, previous[1]) if previous else on)
    return found


def _local_day(when: datetime, tz: tzinfo) -> date:
    return when.astimezone(tz).date()


class _LocalDays:
    """The local date of a stored UTC timestamp, by bisecting the day boundaries of a known
    range: five times cheaper than parsing and converting each of thousands of timestamps."""

    def __init__(self, first: date, last: date, tz: tzinfo) -> None:
        self._tz = tz
        self._first = first
        count = (last - first).days + 2
        self._bounds = [
            utc_text(start_of_local_day(first + timedelta(days=i), tz)) for i in range(count)
        ]

    def day(self, stored: str) -> date:
        index = bisect.bisect_right(self._bounds, stored) - 1
        if 0 <= index < len(self._bounds) - 1:
            return self._first + timedelta(days=index)
        return _local_day(parse_utc(stored), self._tz)


_COLUMNS = (
    Candidate.id,
    Candidate.first_name,
    Candidate.last_name,
    Candidate.last_contacted_at,
    Candidate.follow_up_days,
    Candidate.status,
)
