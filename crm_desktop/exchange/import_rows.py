"""The rows an import writes and reads: new candidates waiting to be written, the stored
candidates a batch merges into, and the INSERT of a new candidate in its stored form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from operator import attrgetter, itemgetter

import peewee

from crm_desktop.core.candidates import CAREER_FIELDS, CandidateInput, _columns
from crm_desktop.core.validation import PartialDate
from crm_desktop.exchange.import_matching import Contact, contact_key
from crm_desktop.store.models import Candidate, ContactPoint
from crm_desktop.store.params import placeholders


@dataclass(slots=True)
class Pending:
    """A new candidate not yet written; later rows of the same file may merge into it."""

    data: CandidateInput
    contacts: list[Contact]
    consent_date: date | None
    consent_basis: str
    line: int


@dataclass(slots=True)
class Stored:
    """What a merge needs to know of an existing candidate."""

    data: CandidateInput
    columns: dict[str, object]
    contact_keys: set[tuple[str, str]]
    has_consent: bool


# The columns of a plain new candidate (no dates, cadence or career profile), as a row tuple.
_PLAIN = (
    "first_name",
    "last_name",
    "headline",
    "company_name",
    "location",
    "skills",
    "source",
    "status",
    "preferred_language",
    "notes",
    "concerns",
    "career_goals",
)
_PLAIN_GET = attrgetter(*_PLAIN)
_CAREER_GET = attrgetter(*CAREER_FIELDS)


class CandidateRows:
    """The INSERT of a new candidate, in its stored form (what ``core.candidates._columns``
    gives), as a tuple per row.

    Most imported candidates are plain: no birthday, joining day, cadence, consent date or
    career profile. Their rows go through ``plain_sql``, which binds 14 values and writes the
    constants (the import's timestamp, empty career fields) as literals. Every other row binds
    every column through ``sql``, converted as the models convert them.
    """

    def __init__(self, now: datetime) -> None:
        plain = (peewee.TextField, peewee.IntegerField, peewee.BooleanField, peewee.ForeignKeyField)
        self._convert: dict[str, Callable[[object], object]] = {}
        self._base: dict[str, object] = {}
        for model_field in Candidate._meta.sorted_fields:
            default = model_field.default
            self._base[model_field.name] = default() if callable(default) else default
            if type(model_field) not in (*plain, peewee.AutoField):
                self._convert[model_field.name] = model_field.db_value
        for name in ("created_at", "updated_at"):
            self._base[name] = self._convert.pop(name)(now)
        names = list(self._base)
        self._pick = itemgetter(*names)
        self.sql = (
            f"INSERT INTO candidate ({_column_list(names)}) VALUES ({placeholders(len(names))})"
        )
        bound = ["id", *_PLAIN, "consent_basis"]
        constant = {"created_at": self._base["created_at"], "updated_at": self._base["updated_at"]}
        constant.update({name: "" for name in CAREER_FIELDS})
        values = [*("?" * len(bound)), *(_literal(v) for v in constant.values())]
        self.plain_sql = (
            f"INSERT INTO candidate ({_column_list([*bound, *constant])}) "
            f"VALUES ({', '.join(values)})"
        )

    def plain_row(self, candidate_id: int, pending: Pending) -> tuple | None:
        """The row for ``plain_sql``, or None when the candidate is not plain."""
        data = pending.data
        if (
            data.birthday is not None
            or data.joined_on is not None
            or data.follow_up_days is not None
            or pending.consent_date is not None
            or any(_CAREER_GET(data))
        ):
            return None
        first, last, headline, company, location, skills, source, status, language, *notes = (
            _PLAIN_GET(data)
        )
        return (
            candidate_id,
            first,
            last,
            headline.strip(),
            company.strip(),
            location.strip(),
            skills.strip(),
            source.strip(),
            status,
            language or "en",
            *notes,
            pending.consent_basis,
        )

    def row(self, candidate_id: int, pending: Pending) -> tuple:
        """The row for ``sql``: any candidate."""
        values = dict(self._base)
        values.update(_columns(pending.data))
        values["id"] = candidate_id
        values["consent_date"] = pending.consent_date
        values["consent_basis"] = pending.consent_basis
        for name, convert in self._convert.items():
            if values[name] is not None:
                values[name] = convert(values[name])
        return self._pick(values)


def _column_list(names: list[str]) -> str:
    return ", ".join(f'"{Candidate._meta.fields[n].column_name}"' for n in names)


def _literal(value: object) -> str:
    """A constant as SQL text (strings quoted, quotes doubled)."""
    if not isinstance(value, str):
        raise TypeError(f"not a text constant: {value!r}")
    return "'" + value.replace("'", "''") + "'"


def load_stored(candidate_ids: list[int]) -> dict[int, Stored]:
    """The candidates a batch merges into: two queries, whatever the number of merges."""
    input_fields = [f.name for f in fields(CandidateInput)]
    found: dict[int, Stored] = {}
    contacts: dict[int, list[tuple[str, str, str]]] = {}
    for point in (
        ContactPoint.select(
            ContactPoint.candidate, ContactPoint.kind, ContactPoint.value, ContactPoint.digits
        )
        .where(ContactPoint.candidate.in_(candidate_ids))
        .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
        .tuples()
    ):
        contacts.setdefault(point[0], []).append(point[1:])
    for row in Candidate.select().where(Candidate.id.in_(candidate_ids)):
        mine = contacts.get(row.id, [])
        values = {name: getattr(row, name) for name in input_fields if hasattr(row, name)}
        values["birthday"] = (
            PartialDate(row.birthday_month, row.birthday_day, row.birthday_year)
            if row.birthday_month and row.birthday_day
            else None
        )
        values["emails"] = tuple(v for k, v, _d in mine if k == "email")
        values["phones"] = tuple(v for k, v, _d in mine if k == "phone")
        found[row.id] = Stored(
            data=CandidateInput(**values),
            columns={f.name: getattr(row, f.name) for f in Candidate._meta.sorted_fields},
            contact_keys={contact_key(k, v) for k, v, _d in mine},
            has_consent=row.consent_date is not None,
        )
    return found
