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

Speed: every query is an index range for one cadence and status, and reads nothing but the index
on ``(follow_up_days, status, last_contacted_at) WHERE deleted_at IS NULL`` (schema v6): what
is due is decided from the index alone, and names are read by primary key for the lines that
are listed. The panel lists a page of each group (``listed``); alerts and the ``today`` command
take every item.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from operator import itemgetter

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.candidates import display_name
from crm_desktop.core.preferences import FOLLOW_UP_STATUSES
from crm_desktop.core.today import TodayItem, alive, parse_utc, raw_rows, utc_text
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.models import Candidate, OccurrenceState, db
from crm_desktop.store.params import chunks, placeholders

FOLLOW_UP = "follow_up"

# The index these queries are shaped for (schema v6, ``store/sql/v006_follow_up_index.sql``).
FOLLOW_UP_INDEX = "candidate_live_follow_up"

Cadences = Callable[[], Mapping[str, int | None]]


# Candidates whose follow-ups fall due on one day for one reason: (day, cadence, the day the
# reason counts from, whether that is the last contact, candidate ids). Thousands of follow-ups
# come in a few dozen runs, so nothing is built per candidate until it is listed.
_Run = tuple[date, int, date, bool, list[int]]


class FollowUpSource:
    """Follow-ups falling due between ``start`` and ``end``; ``cadences`` gives the default
    number of days per status (read on every call, so a changed preference shows at once)."""

    kind = FOLLOW_UP

    def __init__(self, cadences: Cadences) -> None:
        self._cadences = cadences

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        return self.listed(start, end, today, clock, None)[0]

    def listed(
        self, start: date, end: date, today: date, clock: Clock, limit: int | None
    ) -> tuple[list[TodayItem], Counter[date]]:
        """The follow-ups due, at most ``limit`` of the overdue ones (the longest waiting) and
        ``limit`` of today's, and how many more fall due on each day.

        Deciding what is due reads only the follow-up index (no table rows); names are read for
        the listed candidates (and those of the day a page ends in), so a panel showing 200 of
        5,000 builds 200 lines. A page is the start of the panel's own order (by day, then by
        name), so the next page adds lines after it.
        """
        end = min(end, today)
        unlisted: Counter[date] = Counter()
        if end < start:
            return [], unlisted
        runs = sorted(self._runs(start, end, clock.tz()), key=lambda run: run[0])
        names: dict[int, str] = {}
        if limit is not None:
            kept: list[_Run] = []
            for group in ([r for r in runs if r[0] < today], [r for r in runs if r[0] >= today]):
                room = limit
                for on, day in groupby(group, key=lambda run: run[0]):
                    day_runs = list(day)
                    size = sum(len(run[4]) for run in day_runs)
                    if size > room:  # the page ends in this day: its first names make it
                        day_runs = self._first_by_name(day_runs, room, names)
                        unlisted[on] += size - room
                    kept += day_runs
                    room = max(0, room - size)
            runs = kept
        names.update(_names([cid for run in runs for cid in run[4] if cid not in names]))
        return [
            self._item(cid, names[cid], run, today)
            for run in runs
            for cid in run[4]
            if cid in names
        ], unlisted

    @staticmethod
    def _first_by_name(day_runs: list[_Run], count: int, names: dict[int, str]) -> list[_Run]:
        """The first ``count`` follow-ups of one day in the panel's order (by name)."""
        if count <= 0:
            return []
        names.update(_names([cid for run in day_runs for cid in run[4]]))
        members = sorted((names.get(cid, ""), cid, run) for run in day_runs for cid in run[4])[
            :count
        ]
        return [(run[0], run[1], run[2], run[3], [cid]) for _name, cid, run in members]

    def _runs(self, start: date, end: date, tz: tzinfo) -> list[_Run]:
        defaults = {s: d for s, d in self._cadences().items() if d and s in FOLLOW_UP_STATUSES}
        own = _own_cadences()
        longest = max([*defaults.values(), *own], default=0)
        if not longest:
            return []
        set_aside = _set_aside_since(start - timedelta(days=longest), tz)
        days_of = _LocalDays(start - timedelta(days=longest), end, tz)
        queries = [(days, status) for status, days in defaults.items()]
        queries += [(days, None) for days in own]
        runs: list[_Run] = []
        aside: dict[int, tuple[str, int]] = {}  # set-aside candidate -> (last contact, cadence)
        for days, status in queries:
            rows = _contacted_between(start, end, days, tz, status)
            if set_aside:
                aside.update((cid, (text, days)) for cid, text in rows if cid in set_aside)
                rows = [row for row in rows if row[0] not in set_aside]
            rows.sort(key=itemgetter(1))  # by last contact (an IN query comes in runs)
            cids = [cid for cid, _text in rows]
            step = timedelta(days=days)
            for contacted, low, high in days_of.slices([text for _cid, text in rows]):
                if low < high:
                    runs.append((contacted + step, days, contacted, True, cids[low:high]))
        missing = [cid for cid in set_aside if cid not in aside]
        for cid, contacted, own_days, status in _candidates(missing):
            if days := own_days or defaults.get(status):
                aside[cid] = (contacted, days)
        for cid, (text, days) in aside.items():
            step = timedelta(days=days)
            contacted = days_of.day(text)
            done_on, last_occurrence = set_aside[cid]
            anchor, on = contacted, contacted + step
            if done_on >= contacted:
                anchor, on = done_on, max(done_on, last_occurrence) + step
            if start <= on <= end:
                runs.append((on, days, anchor, anchor == contacted, [cid]))
        return runs

    def _item(self, cid: int, name: str, run: _Run, today: date) -> TodayItem:
        on, days, anchor, from_contact, _cids = run
        return TodayItem(
            key=f"{FOLLOW_UP}:{cid}:{on.isoformat()}",
            kind=FOLLOW_UP,
            on=on,
            due_at=None,
            title=_("Follow up with {name}").format(name=name),
            reason=_reason(days, from_contact, (today - anchor).days),
            candidate_id=cid,
            candidate_name=name,
        )


def _names(ids: list[int]) -> dict[int, str]:
    """candidate -> display name, by primary key."""
    names: dict[int, str] = {}
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        sql = f"SELECT id, first_name, last_name FROM candidate WHERE id IN ({marks})"
        rows = db.execute_sql(sql, chunk)
        names.update((cid, display_name(first, last)) for cid, first, last in rows)
    return names


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
    """The distinct cadences candidates have of their own: a skip-scan of the follow-up index,
    one look-up per cadence (a DISTINCT would walk every such candidate's entry)."""
    found: list[int] = []
    while days := db.execute_sql(NEXT_OWN_CADENCE, (found[-1] if found else 0,)).fetchone()[0]:
        found.append(days)
    return found


# Raw SQL, written once: the Today panel runs these on every refresh, and peewee would spend
# longer building the statements than SQLite spends answering them. Each is shaped for
# ``FOLLOW_UP_INDEX``: equalities, then the range, and ``deleted_at IS NULL`` as the partial
# index says, so SQLite reads exactly the rows returned (tests check the plans).
NEXT_OWN_CADENCE = (
    "SELECT MIN(follow_up_days) FROM candidate WHERE follow_up_days > ? AND deleted_at IS NULL"
)
_RANGE = (
    "SELECT id, last_contacted_at FROM candidate WHERE {cadence} "
    "AND last_contacted_at >= ? AND last_contacted_at < ? AND deleted_at IS NULL"
)
_BY_STATUS = _RANGE.format(cadence="follow_up_days IS NULL AND status = ?")
_OWN = _RANGE.format(
    cadence=f"follow_up_days = ? AND status IN ({placeholders(len(FOLLOW_UP_STATUSES))})"
)


def _contacted_between(
    start: date, end: date, days: int, tz: tzinfo, status: str | None = None
) -> list[tuple]:
    return db.execute_sql(*contact_range(start, end, days, tz, status)).fetchall()


def contact_range(
    start: date, end: date, days: int, tz: tzinfo, status: str | None = None
) -> tuple[str, tuple]:
    """SQL and parameters for the candidates whose follow-up ``days`` after their last contact
    falls in [start, end]: with the status default when ``status`` is given, else those with
    ``days`` of their own."""
    low = utc_text(start_of_local_day(start - timedelta(days=days), tz))
    high = utc_text(start_of_local_day(end - timedelta(days=days - 1), tz))
    if status is None:
        return _OWN, (days, *FOLLOW_UP_STATUSES, low, high)
    return _BY_STATUS, (status, low, high)


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

    def slices(self, texts: Sequence[str]) -> Iterable[tuple[date, int, int]]:
        """For sorted stored timestamps: each local day and the slice of ``texts`` on it."""
        low = bisect.bisect_left(texts, self._bounds[0])
        for index, bound in enumerate(self._bounds[1:]):
            high = bisect.bisect_left(texts, bound, low)
            yield self._first + timedelta(days=index), low, high
            low = high

    def day(self, stored: str) -> date:
        index = bisect.bisect_right(self._bounds, stored) - 1
        if 0 <= index < len(self._bounds) - 1:
            return self._first + timedelta(days=index)
        return _local_day(parse_utc(stored), self._tz)


_COLUMNS = (Candidate.id, Candidate.last_contacted_at, Candidate.follow_up_days, Candidate.status)
