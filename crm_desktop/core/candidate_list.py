"""What the candidate list shows: an ordered list of ids, and rows fetched a page at a time.

The list never materialises 150,000 objects: ``ids()`` returns plain integers in display order
(sorted by SQLite over indexed columns), and ``rows()`` fetches the visible page's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import peewee

from crm_desktop.store.models import Candidate, ContactPoint


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
    """Sort, filter and text for the list. ``text`` is a simple contains-match over names,
    title, company and e-mail (full-text search replaces it in the search issue)."""

    sort: str = "name"
    descending: bool = False
    status: str | None = None
    text: str = ""


@dataclass(frozen=True)
class CandidateRow:
    id: int
    name: str
    headline: str
    company: str
    location: str
    status: str
    last_contacted_at: datetime | None

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

    def ids(self, query: ListQuery) -> list[int]:
        select = Candidate.select(Candidate.id).where(Candidate.deleted_at.is_null())
        if query.status:
            select = select.where(Candidate.status == query.status)
        for word in query.text.split():
            pattern = f"%{word}%"
            emails = ContactPoint.select(ContactPoint.candidate).where(ContactPoint.value**pattern)
            select = select.where(
                (Candidate.first_name**pattern)
                | (Candidate.last_name**pattern)
                | (Candidate.headline**pattern)
                | (Candidate.company_name**pattern)
                | (Candidate.id.in_(emails))
            )
        fields = _SORT_FIELDS.get(query.sort, _SORT_FIELDS["name"])
        order = [f.desc() if query.descending else f.asc() for f in fields]
        if query.sort == "last_contacted":
            # Never-contacted candidates go last whichever way the column is sorted.
            order.insert(0, Candidate.last_contacted_at.is_null())
        order.append(Candidate.id)
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
        result = {}
        for r in select:
            result[r.id] = CandidateRow(
                id=r.id,
                name=f"{r.first_name} {r.last_name}".strip(),
                headline=r.headline,
                company=r.company_name,
                location=r.location,
                status=r.status,
                last_contacted_at=r.last_contacted_at,
            )
        return result

    def count(self) -> int:
        return Candidate.select().where(Candidate.deleted_at.is_null()).count()
