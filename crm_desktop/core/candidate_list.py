"""What the candidate list shows: an ordered list of ids, and rows fetched a page at a time.

The list never materialises 150,000 objects: ``ids()`` returns plain integers in display order
(SQLite sorts over indexed columns; full-text search goes through the FTS5 index), and
``rows()`` fetches the values of the visible page only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.vocabulary import OWED_STAGES
from crm_desktop.store.models import (
    Application,
    Candidate,
    CandidateTag,
    Reminder,
)
from crm_desktop.store.search import parse_search


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
    "headline": (Candidate.headline,),
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
        return bool(
            self.text.strip()
            or self.status
            or self.source
            or self.location
            or self.tag_id
            or self.stage
            or self.job_id
            or self.cold_days
            or self.has_due
        )


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


class CandidateList:
    """Read-only queries for the list view."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def ids(self, query: ListQuery) -> list[int]:
        select = Candidate.select(Candidate.id).where(Candidate.deleted_at.is_null())
        select = self._apply_search(select, query.text)
        select = self._apply_filters(select, query)
        fields = _SORT_FIELDS.get(query.sort, _SORT_FIELDS["name"])
        order = [f.desc() if query.descending else f.asc() for f in fields]
        if query.sort == "last_contacted":
            # Never-contacted candidates go last whichever way the column is sorted.
            order.insert(0, Candidate.last_contacted_at.is_null())
        order.append(Candidate.id.desc() if query.descending else Candidate.id)
        return [row[0] for row in select.order_by(*order).tuples()]

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
                name=f"{r.first_name} {r.last_name}".strip(),
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
    def _apply_search(select: peewee.ModelSelect, text: str) -> peewee.ModelSelect:
        parsed = parse_search(text)
        if parsed.empty:
            return select
        match = parsed.match_expression()
        if match is not None:
            hits = peewee.SQL(
                "(SELECT rowid FROM candidate_fts WHERE candidate_fts MATCH ?)", [match]
            )
            return select.where(Candidate.id.in_(hits))
        excluded = peewee.SQL(
            "(SELECT rowid FROM candidate_fts WHERE candidate_fts MATCH ?)",
            [parsed.exclusion_expression()],
        )
        return select.where(Candidate.id.not_in(excluded))

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
