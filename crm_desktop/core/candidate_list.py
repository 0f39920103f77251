"""What the candidate list shows: an ordered list of ids, and rows fetched a page at a time.

The list never materialises 150,000 objects: ``ids()`` returns plain integers in display order
(SQLite sorts over indexed columns; full-text search goes through the FTS5 index), and
``rows()`` fetches the values of the visible page only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import overload

import peewee

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.vocabulary import OWED_STAGES
from crm_desktop.store.models import (
    Application,
    Candidate,
    CandidateTag,
    Reminder,
)
from crm_desktop.store.search import ParsedSearch, parse_search

log = logging.getLogger(__name__)

PAGE_SIZE = 200  # rows read at a time; also the head of the list read at start-up


@dataclass(frozen=True)
class ListColumn:
    key: str
    title: str


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("name", "Name"),
    ListColumn("headline", "Title"),
    ListColumn("company", "Company"),
    ListColumn("location", "Location"),
    ListColumn("status", "Status"),
    ListColumn("last_contacted", "Last contact"),
)

_SORT_FIELDS: dict[str, tuple[peewee.Field, ...]] = {
    "name": (Candidate.last_name, Candidate.first_name),
    "headline": (Candidate.headline.collate("NOCASE"),),
    "company": (Candidate.company_name,),
    "location": (Candidate.location,),
    "status": (Candidate.status,),
    "last_contacted": (Candidate.last_contacted_at,),
}


@dataclass(frozen=True)
class ListQuery:
    """Search text, filters and sort order of the list. Filters combine (AND) with the text."""

    sort: str = "name"
    descending: bool = False
    text: str = ""
    status: str | None = None
    source: str | None = None
    location: str | None = None  # matches the start of the location ("Berlin" finds "Berlin, DE")
    tag_id: int | None = None
    stage: str | None = None
    job_id: int | None = None
    cold_days: int | None = None  # no outbound contact for at least this many days (or never)
    has_due: bool = False  # an open reminder due by the end of today

    @property
    def filtered(self) -> bool:
        return bool(self.text.strip()) or _has_filters(self)


@dataclass(frozen=True)
class CandidateRow:
    id: int
    name: str
    headline: str
    company: str
    location: str
    status: str
    last_contacted_at: datetime | None
    owed_updates: int = 0  # stage changes the candidate has not been told about

    def value(self, key: str) -> object:
        return {
            "name": self.name,
            "headline": self.headline,
            "company": self.company,
            "location": self.location,
            "status": self.status,
            "last_contacted": self.last_contacted_at,
        }[key]


# Above this many full-text hits, filtering the cached sorted list beats sorting the hits.
BROAD_SEARCH = 2000


class CandidateList:
    """Read-only queries for the list view.

    The common case, a text search with no other filter, is answered from a cached list of
    every live id in the current sort order (rebuilt only after a write): the full-text index
    gives the set of hits and the cached order is filtered by it, so even a search matching
    100,000 candidates needs no sort. Narrow searches and filtered lists go to SQL.
    """

    def __init__(self, clock: Clock, hub: EventHub) -> None:
        self._clock = clock
        self._sorted: dict[tuple[str, bool], list[int]] = {}
        self._prefetch: _Prefetch | None = None
        hub.subscribe(self._invalidate)

    def prefetch(self, query: ListQuery, head: int = PAGE_SIZE) -> None:
        """Start reading the head and the total that ``ids(query, head)`` will ask for, on a
        helper thread with a connection of its own: at start-up this overlaps the loading of
        Qt, as SQLite works without the GIL."""
        self._prefetch = _Prefetch(query, head, self._head_and_total)

    def _head_and_total(self, query: ListQuery, head: int) -> tuple[list[int], int]:
        live = Candidate.select(Candidate.id).where(Candidate.deleted_at.is_null())
        with Candidate._meta.database.atomic():  # one snapshot: the head agrees with the total
            return _fetch_ids(live.order_by(*_order(query)).limit(head)), self.count()

    def ids(self, query: ListQuery, head: int | None = None) -> Sequence[int]:
        """Ids in display order. The returned list may be shared: do not modify it.

        With ``head``, the whole book in an order not read yet comes as a ``HeadFirst``: the
        first ``head`` ids and the total now, the rest on first need (the start-up's first
        paint needs a screenful, not 150,000 ids).
        """
        parsed = parse_search(query.text)
        prefetched, self._prefetch = self._prefetch, None  # for this call or for none
        if (
            head is not None
            and parsed.empty
            and not _has_filters(query)
            and query.sort != "last_contacted"  # never-contacted last: no single index walk
            and (query.sort, query.descending) not in self._sorted
        ):
            answer = prefetched.result() if prefetched is not None else None
            if answer is not None and prefetched.answers(query, head):
                first, total = answer
            else:
                first, total = self._head_and_total(query, head)
            return HeadFirst(first, total, lambda: self._all_sorted(query))
        if not _has_filters(query) and not parsed.name_prefixes:
            if parsed.empty:
                return self._all_sorted(query)
            match = parsed.match_expression()
            if match is None:  # only exclusions: everyone but the hits
                excluded = set(_fts_hits(parsed.exclusion_expression() or ""))
                return [i for i in self._all_sorted(query) if i not in excluded]
            hits = _fts_hits(match)
            if len(hits) > BROAD_SEARCH:
                wanted = set(hits)
                return [i for i in self._all_sorted(query) if i in wanted]
        select = Candidate.select(Candidate.id).where(Candidate.deleted_at.is_null())
        select = self._apply_search(select, parsed)
        select = self._apply_filters(select, query)
        return _fetch_ids(select.order_by(*_order(query)))

    def _all_sorted(self, query: ListQuery) -> list[int]:
        key = (query.sort, query.descending)
        if key not in self._sorted:
            live = Candidate.select(Candidate.id).where(Candidate.deleted_at.is_null())
            if query.sort == "last_contacted":
                # Two index walks: contacted ones in order, then never-contacted ones last.
                contacted = live.where(Candidate.last_contacted_at.is_null(False))
                never = live.where(Candidate.last_contacted_at.is_null())
                tie = Candidate.id.desc() if query.descending else Candidate.id
                field = Candidate.last_contacted_at
                by_date = field.desc() if query.descending else field.asc()
                ids = _fetch_ids(contacted.order_by(by_date, tie)) + _fetch_ids(never.order_by(tie))
            else:
                ids = _fetch_ids(live.order_by(*_order(query)))
            self._sorted = {key: ids}  # one order at a time: 150,000 ids are ~5 MB
        return self._sorted[key]

    def _invalidate(self, change: Change) -> None:
        if change.entity in ("candidate", "interaction", "tag", "application"):
            self._sorted = {}
            self._prefetch = None

    def rows(self, ids: list[int]) -> dict[int, CandidateRow]:
        if not ids:
            return {}
        select = Candidate.select(
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.headline,
            Candidate.company_name,
            Candidate.location,
            Candidate.status,
            Candidate.last_contacted_at,
        ).where(Candidate.id.in_(ids))
        owed = dict(
            Application.select(Application.candidate, peewee.fn.COUNT(1))
            .where(
                Application.candidate.in_(ids)
                & Application.informed_at.is_null()
                & Application.stage.in_(OWED_STAGES)
            )
            .group_by(Application.candidate)
            .tuples()
        )
        return {
            r.id: CandidateRow(
                id=r.id,
                name=display_name(r.first_name, r.last_name),
                headline=r.headline,
                company=r.company_name,
                location=r.location,
                status=r.status,
                last_contacted_at=r.last_contacted_at,
                owed_updates=owed.get(r.id, 0),
            )
            for r in select
        }

    def sources(self) -> list[str]:
        """The distinct sources in use (for the filter), from the index."""
        select = (
            Candidate.select(Candidate.source)
            .where(Candidate.source != "")
            .distinct()
            .order_by(Candidate.source)
        )
        return [row[0] for row in select.tuples()]

    def count(self) -> int:
        return Candidate.select().where(Candidate.deleted_at.is_null()).count()

    @staticmethod
    def _apply_search(select: peewee.ModelSelect, parsed: ParsedSearch) -> peewee.ModelSelect:
        for prefix in parsed.name_prefixes:
            # A single letter: names starting with it (an index range, not a full-text scan).
            pattern = f"{prefix}%"
            select = select.where(Candidate.first_name**pattern | Candidate.last_name**pattern)
        match = parsed.match_expression()
        if match is not None:
            hits = peewee.SQL(_FTS_HITS, [match])
            select = select.where(Candidate.id.in_(hits))
        elif parsed.exclude:
            excluded = peewee.SQL(_FTS_HITS, [parsed.exclusion_expression()])
            select = select.where(Candidate.id.not_in(excluded))
        return select

    def _apply_filters(self, select: peewee.ModelSelect, query: ListQuery) -> peewee.ModelSelect:
        if query.status:
            select = select.where(Candidate.status == query.status)
        if query.source:
            select = select.where(Candidate.source == query.source)
        if query.location:
            select = select.where(Candidate.location.startswith(query.location))
        if query.tag_id:
            tagged = CandidateTag.select(CandidateTag.candidate).where(
                CandidateTag.tag == query.tag_id
            )
            select = select.where(Candidate.id.in_(tagged))
        if query.stage or query.job_id:
            applications = Application.select(Application.candidate)
            if query.stage:
                applications = applications.where(Application.stage == query.stage)
            if query.job_id:
                applications = applications.where(Application.job == query.job_id)
            select = select.where(Candidate.id.in_(applications))
        if query.cold_days:
            since = self._clock.now() - timedelta(days=query.cold_days)
            select = select.where(
                Candidate.last_contacted_at.is_null() | (Candidate.last_contacted_at < since)
            )
        if query.has_due:
            tomorrow = self._clock.today() + timedelta(days=1)
            end_of_today = start_of_local_day(tomorrow, self._clock.tz())
            due = Reminder.select(Reminder.candidate).where(
                Reminder.done_at.is_null()
                & Reminder.candidate.is_null(False)
                & (Reminder.due_at < end_of_today)
                & (Reminder.snoozed_until.is_null() | (Reminder.snoozed_until < end_of_today))
            )
            select = select.where(Candidate.id.in_(due))
        return select


class _Prefetch:
    """One ``(head, total)`` read on a helper thread; ``result()`` waits for it."""

    def __init__(
        self,
        query: ListQuery,
        head: int,
        read: Callable[[ListQuery, int], tuple[list[int], int]],
    ) -> None:
        self._query, self._head, self._read = query, head, read
        self._value: tuple[list[int], int] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="list-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        database = Candidate._meta.database
        try:
            with database.connection_context():  # this thread's own connection, then closed
                self._value = self._read(self._query, self._head)
        except Exception as exc:  # reported on the caller's thread by result()
            self._value, self._error = None, exc

    def answers(self, query: ListQuery, head: int) -> bool:
        return query == self._query and head == self._head

    def result(self) -> tuple[list[int], int] | None:
        """The read, or None when it failed (logged; the caller reads it again itself)."""
        self._thread.join()
        if self._error is not None:
            log.warning("Reading the list's first page ahead failed", exc_info=self._error)
        return self._value


class HeadFirst(Sequence[int]):
    """A list of ids whose first ones are read and whose length is known; the whole list is
    read (once) when anything past the head is asked for."""

    def __init__(self, head: list[int], total: int, read_all: Callable[[], list[int]]) -> None:
        self._head = head
        self._total = total
        self._read_all = read_all
        self._all: list[int] | None = None

    @property
    def head(self) -> list[int]:
        return self._head

    @property
    def complete(self) -> bool:
        return self._all is not None

    def whole(self) -> list[int]:
        """Every id (read now if not yet)."""
        if self._all is None:
            self._all = self._read_all()
        return self._all

    def __len__(self) -> int:
        return self._total if self._all is None else len(self._all)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if self._all is None:
            end = index.stop if isinstance(index, slice) else index + 1
            if (
                end is not None
                and 0 < end <= len(self._head)
                and (not isinstance(index, slice) or (index.start or 0) >= 0)
            ):
                return self._head[index]
        return self.whole()[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self.whole())

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        if self._all is None and start == 0 and stop is None and value in self._head:
            return self._head.index(value)
        return self.whole().index(value, start, *(() if stop is None else (stop,)))


_FTS_HITS = "(SELECT rowid FROM candidate_fts WHERE candidate_fts MATCH ?)"


def _fts_hits(match: str) -> list[int]:
    cursor = Candidate._meta.database.execute_sql(_FTS_HITS[1:-1], (match,))
    return [row[0] for row in cursor]


def _fetch_ids(select: peewee.ModelSelect) -> list[int]:
    """First column of every row, straight from the cursor (peewee's row objects cost more
    than the query itself at 150,000 rows)."""
    return [row[0] for row in Candidate._meta.database.execute(select)]


def _order(query: ListQuery) -> list[peewee.Node]:
    fields = _SORT_FIELDS.get(query.sort, _SORT_FIELDS["name"])
    order = [f.desc() if query.descending else f.asc() for f in fields]
    if query.sort == "last_contacted":
        # Never-contacted candidates go last whichever way the column is sorted.
        order.insert(0, Candidate.last_contacted_at.is_null())
    order.append(Candidate.id.desc() if query.descending else Candidate.id)
    return order


def _has_filters(query: ListQuery) -> bool:
    return bool(
        query.status
        or query.source
        or query.location
        or query.tag_id
        or query.stage
        or query.job_id
        or query.cold_days
        or query.has_due
    )
