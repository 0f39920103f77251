"""The shared importer core: records from any reader (CSV, vCard) into candidates.

Every record goes through ``CandidateService.validate``, the same check the profile form uses;
a record that fails it, or that its reader could not build, is rejected with its line number and
the reason. Duplicates are found with the keys of ``core.duplicates`` (the duplicates screen's):
e-mail ignoring case, or phone by its last nine digits (so +49 170 1234567 and 0170 1234567
match); then on a web address (a LinkedIn profile); a record with none of these is matched on
its full name. A duplicate is merged (blank fields filled, new e-mails/phones/URLs added, nothing
overwritten), skipped or created anyway, as the recruiter chose; re-importing the same file so
finds every row and creates nothing.

All writes happen in ONE transaction: a cancelled or failed import rolls back and leaves the
database exactly as it was. Rows are written in batches with ``executemany``. The search triggers
of candidates and contact points are paused for the import (inside its transaction; see
``store.search.search_triggers_paused``): each batch indexes its new candidates once, complete,
and re-indexes the stored candidates it merged into, instead of the triggers rewriting a
document once per e-mail and phone. The core announces the result once, after the commit,
rather than once per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from enum import StrEnum
from itertools import islice
from operator import itemgetter

import peewee

from crm_desktop.core.candidates import CandidateInput, _columns, display_name
from crm_desktop.core.duplicates import email_key, name_key, phone_key
from crm_desktop.core.events import Change
from crm_desktop.core.services import Services
from crm_desktop.core.validation import PartialDate, ValidationError, phone_digits
from crm_desktop.exchange.records import ContactValue, ImportRecord
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.bulk import drop_indexes, recreate_indexes
from crm_desktop.store.models import Candidate, ContactPoint
from crm_desktop.store.search import SearchIndexWriter, search_triggers_paused

BATCH = 1000
# Large imports write without the secondary indexes of these tables and rebuild them at the end
# (``store.bulk``); the one a merge reads by (contact points of a candidate) stays.
BULK_AFTER = 20_000
BULK_TABLES = ("candidate", "contact_point")
BULK_KEEP = ("contact_point_candidate_id",)
_FILLABLE = (
    "first_name",
    "last_name",
    "headline",
    "company_name",
    "location",
    "skills",
    "source",
    "notes",
    "concerns",
    "career_goals",
    "birthday",
    "joined_on",
    "follow_up_days",
)


class DuplicatePolicy(StrEnum):
    MERGE = "merge"
    SKIP = "skip"
    CREATE = "create"


class ImportCancelledError(Exception):
    """The recruiter cancelled; the transaction was rolled back."""


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line {line}: {reason}").format(line=self.line, reason=self.reason)


@dataclass(frozen=True)
class Outcome:
    """What happened (or, in a dry run, would happen) to one record."""

    line: int
    name: str
    action: str  # create | merge | unchanged | skip | reject
    detail: str = ""


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    merged_ids: list[int] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.created + self.merged + self.unchanged + self.skipped + len(self.rejected)

    def summary(self) -> str:
        verb = _("would be") if self.dry_run else _("were")
        parts = [
            ngettext("{n} new candidate", "{n} new candidates", self.created).format(
                n=self.created
            ),
            ngettext("{n} merged", "{n} merged", self.merged).format(n=self.merged),
            ngettext("{n} already up to date", "{n} already up to date", self.unchanged).format(
                n=self.unchanged
            ),
            ngettext("{n} duplicate skipped", "{n} duplicates skipped", self.skipped).format(
                n=self.skipped
            ),
            ngettext("{n} rejected", "{n} rejected", len(self.rejected)).format(
                n=len(self.rejected)
            ),
        ]
        return _("{rows} ({verb} imported: {parts})").format(
            rows=ngettext("{n} row", "{n} rows", self.processed).format(n=self.processed),
            verb=verb,
            parts=", ".join(parts),
        )


def url_key(url: str) -> str:
    """linkedin.com/in/ada/ and https://www.LinkedIn.com/in/ada are the same profile."""
    text = re.sub(r"^[a-z]+://", "", url.strip().casefold()).removeprefix("www.")
    return text.rstrip("/")


class DuplicateIndex:
    """E-mails, phone tails and (lazily) names of the live candidates, in memory.

    Loaded with two plain queries (no model objects): 150,000 candidates take well under a
    second, and then each record is matched with dictionary look-ups.
    """

    def __init__(self) -> None:
        self.emails: dict[str, int] = {}
        self.phones: dict[str, int] = {}
        self._names: dict[str, int] | None = None
        self.urls: dict[str, int] = {}

    def load(self) -> DuplicateIndex:
        query = (
            ContactPoint.select(
                ContactPoint.candidate, ContactPoint.kind, ContactPoint.value, ContactPoint.digits
            )
            .join(Candidate)
            .where(Candidate.deleted_at.is_null())
            .order_by(ContactPoint.id)
            .tuples()
        )
        for candidate_id, kind, value, digits in query:
            if kind == "email":
                self.emails.setdefault(email_key(value), candidate_id)
            elif kind == "phone" and (key := phone_key(digits)):
                self.phones.setdefault(key, candidate_id)
            elif kind == "url":
                self.urls.setdefault(url_key(value), candidate_id)
        return self

    def names(self) -> dict[str, int]:
        if self._names is None:
            self._names = {}
            rows = (
                Candidate.select(Candidate.id, Candidate.first_name, Candidate.last_name)
                .where(Candidate.deleted_at.is_null())
                .order_by(Candidate.id)
                .tuples()
            )
            for candidate_id, first, last in rows:
                if key := name_key(first, last):
                    self._names.setdefault(key, candidate_id)
        return self._names

    def match(self, data: CandidateInput, urls: Iterable[str] = ()) -> tuple[int, str] | None:
        for email in data.emails:
            if (found := self.emails.get(email_key(email))) is not None:
                return found, _("same e-mail {value}").format(value=email)
        for phone in data.phones:
            key = phone_key(phone_digits(phone))
            if key and (found := self.phones.get(key)) is not None:
                return found, _("same phone {value}").format(value=phone)
        for url in urls:
            if (found := self.urls.get(url_key(url))) is not None:
                return found, _("same web address {value}").format(value=url)
        if not data.emails and not data.phones and not urls:
            key = name_key(data.first_name, data.last_name)
            if key and (found := self.names().get(key)) is not None:
                return found, _("same name, no e-mail or phone to tell them apart")
        return None

    def add(self, candidate_id: int, data: CandidateInput, urls: Iterable[str] = ()) -> None:
        for url in urls:
            self.urls.setdefault(url_key(url), candidate_id)
        for email in data.emails:
            self.emails.setdefault(email_key(email), candidate_id)
        for phone in data.phones:
            if key := phone_key(phone_digits(phone)):
                self.phones.setdefault(key, candidate_id)
        if self._names is not None and (key := name_key(data.first_name, data.last_name)):
            self._names.setdefault(key, candidate_id)


class CandidateImporter:
    """Imports records through the core's validation; see the module docstring."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._database: peewee.Database = services.database

    def run(
        self,
        records: Iterable[ImportRecord],
        policy: DuplicatePolicy = DuplicatePolicy.MERGE,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
        outcomes: list[Outcome] | None = None,
        finishing: Callable[[], None] | None = None,
    ) -> ImportReport:
        """Import (or, with ``dry_run``, only classify) ``records``.

        ``progress(n)`` is called after each batch with the records handled so far;
        ``should_cancel()`` is polled as often and raises ``ImportCancelledError`` (after the
        rollback) when it returns True. ``outcomes`` collects one ``Outcome`` per record.
        ``finishing()`` is called when every record is written and only the indexes and the
        commit remain (seconds for a large import; it can no longer be cancelled).
        """
        session = _Session(self._services, policy, dry_run, outcomes)
        records = iter(records)
        if dry_run:
            session.index.load()
            while batch := list(islice(records, BATCH)):
                _check(should_cancel)
                session.handle(batch)
                if progress:
                    progress(session.report.processed)
            return session.report
        with (
            self._database.atomic(lock_type="IMMEDIATE"),
            search_triggers_paused(self._database, ("candidate", "contact_point")) as search,
        ):
            self._database.execute_sql("PRAGMA defer_foreign_keys = ON")
            session.search = search
            session.index.load()
            session.next_id = (Candidate.select(peewee.fn.MAX(Candidate.id)).scalar() or 0) + 1
            existing = Candidate.select().count()
            rebuild: list[str] | None = None
            while batch := list(islice(records, BATCH)):
                _check(should_cancel)
                session.handle(batch)
                session.flush()
                if rebuild is None and _bulk(session.report.created, existing):
                    rebuild = drop_indexes(self._database, BULK_TABLES, BULK_KEEP)
                if progress:
                    progress(session.report.processed)
            _check(should_cancel)
            if finishing:
                finishing()
            if rebuild:
                recreate_indexes(self._database, rebuild)
        report = session.report
        hub = self._services.hub
        if report.created_ids:
            ids = tuple(report.created_ids)
            hub.emit(Change("candidate", "created", ids, ids))
        if report.merged_ids:
            ids = tuple(dict.fromkeys(report.merged_ids))
            hub.emit(Change("candidate", "updated", ids, ids))
        return report


def _bulk(created: int, existing: int) -> bool:
    """Switch to dropped indexes once the import has shown itself large next to the base: each
    later row then costs half, and rebuilding once costs about what the base's size does."""
    return created >= BULK_AFTER and created >= existing


def _check(should_cancel: Callable[[], bool] | None) -> None:
    if should_cancel is not None and should_cancel():
        raise ImportCancelledError(_("The import was cancelled; nothing was changed."))


@dataclass
class _Pending:
    """A new candidate not yet written; later rows of the same file may merge into it."""

    data: CandidateInput
    contacts: list[ContactValue]
    consent_date: date | None
    consent_basis: str
    line: int


@dataclass
class _Stored:
    """What a merge needs to know of an existing candidate."""

    data: CandidateInput
    columns: dict[str, object]
    contact_keys: set[tuple[str, str]]
    has_consent: bool


class _Session:
    """The state of one run: the duplicate index, the pending new rows and the report."""

    def __init__(
        self,
        services: Services,
        policy: DuplicatePolicy,
        dry_run: bool,
        outcomes: list[Outcome] | None,
    ) -> None:
        self.services = services
        self.policy = policy
        self.dry_run = dry_run
        self.outcomes = outcomes
        self.index = DuplicateIndex()
        self.report = ImportReport(dry_run=dry_run)
        self.next_id = 1
        self.now = services.clock.now()
        self.pending: dict[int, _Pending] = {}
        self.search: SearchIndexWriter | None = None  # set when writing
        self.reindex: set[int] = set()  # stored candidates changed in this batch
        self.rows = _CandidateRows(self.now)

    # --- deciding --------------------------------------------------------------------------
    def handle(self, batch: list[ImportRecord]) -> None:
        """Decide every record of the batch; merges into stored candidates are done together."""
        merges: list[tuple[ImportRecord, CandidateInput, int, str]] = []
        for record in batch:
            decided = self._decide(record)
            if decided is not None:
                merges.append(decided)
        if not merges:
            return
        stored = _load_stored(list(dict.fromkeys(m[2] for m in merges)))
        for record, data, candidate_id, reason in merges:
            target = stored.get(candidate_id)
            if target is None:  # deleted meanwhile: nothing to merge into
                self._reject(record, _("the matching candidate no longer exists"))
                continue
            if self._merge_stored(candidate_id, target, data, record):
                self.report.merged += 1
                self.report.merged_ids.append(candidate_id)
                self._say(record, data, "merge", reason)
            else:
                self.report.unchanged += 1
                self._say(record, data, "unchanged", reason)

    def _decide(self, record: ImportRecord) -> tuple[ImportRecord, CandidateInput, int, str] | None:
        if record.problems or record.data is None:
            self._reject(record, "; ".join(record.problems) or _("nothing to import"))
            return None
        try:
            data = self.services.candidates.validate(record.data)
        except ValidationError as exc:
            self._reject(record, "; ".join(exc.errors.values()))
            return None
        contacts = _contacts(data, record)
        urls = [c.value for c in contacts if c.kind == "url"]
        match = self.index.match(data, urls)
        if match is None or self.policy is DuplicatePolicy.CREATE:
            candidate_id = self.next_id
            self.next_id += 1
            self.pending[candidate_id] = _Pending(
                data, contacts, record.consent_date, record.consent_basis, record.line
            )
            self.index.add(candidate_id, data, urls)
            self.report.created += 1
            self.report.created_ids.append(candidate_id)
            detail = _("also matches an existing candidate") if match else ""
            self._say(record, data, "create", detail)
            return None
        candidate_id, reason = match
        if self.policy is DuplicatePolicy.SKIP:
            self.report.skipped += 1
            self._say(record, data, "skip", reason)
            return None
        pending = self.pending.get(candidate_id)
        if pending is None:
            return record, data, candidate_id, reason
        if self._merge_pending(pending, data, contacts):
            self.index.add(candidate_id, data, urls)
        self.report.merged += 1
        self._say(record, data, "merge", _("row on line {n}").format(n=pending.line))
        return None

    def _reject(self, record: ImportRecord, reason: str) -> None:
        self.report.rejected.append(Rejection(record.line, reason))
        if self.outcomes is not None:
            self.outcomes.append(Outcome(record.line, record.label, "reject", reason))

    def _say(self, record: ImportRecord, data: CandidateInput, action: str, detail: str) -> None:
        if self.outcomes is not None:
            name = display_name(data.first_name, data.last_name)
            self.outcomes.append(Outcome(record.line, name, action, detail))

    # --- merging ---------------------------------------------------------------------------
    def _merge_pending(
        self, pending: _Pending, data: CandidateInput, contacts: list[ContactValue]
    ) -> bool:
        """A later row of the same file describes a candidate this import creates."""
        filled = _filled(pending.data, data)
        known = {_contact_key(c) for c in pending.contacts}
        added = [c for c in contacts if _contact_key(c) not in known]
        if filled:
            pending.data = replace(pending.data, **filled)
        pending.contacts.extend(added)
        pending.data = replace(
            pending.data,
            emails=tuple(c.value for c in pending.contacts if c.kind == "email"),
            phones=tuple(c.value for c in pending.contacts if c.kind == "phone"),
        )
        return bool(filled or added)

    def _merge_stored(
        self, candidate_id: int, stored: _Stored, data: CandidateInput, record: ImportRecord
    ) -> bool:
        """Fill the stored candidate's blanks and add its missing contacts; False: no change."""
        filled = _filled(stored.data, data)
        columns: dict[str, object] = {}
        if filled:
            merged = replace(stored.data, **filled)
            try:
                merged = self.services.candidates.validate(merged)
            except ValidationError:
                return False  # the stored candidate itself no longer validates: leave it be
            wanted = _filled_columns(filled)
            columns = {
                key: value
                for key, value in _columns(merged).items()
                if key in wanted and stored.columns.get(key) != value
            }
            stored.data = merged
            stored.columns.update(columns)
        if not stored.has_consent and record.consent_date is not None:
            columns["consent_date"] = record.consent_date
            columns["consent_basis"] = record.consent_basis
            stored.has_consent = True
        added = []
        for contact in _contacts(data, record):
            key = _contact_key(contact)
            if key not in stored.contact_keys:
                stored.contact_keys.add(key)
                added.append(contact)
        if not columns and not added:
            return False
        if not self.dry_run:
            if self.search is not None and candidate_id not in self.reindex:
                self.search.remove([candidate_id])  # before the change: the indexed text
                self.reindex.add(candidate_id)
            if columns:
                Candidate.update(updated_at=self.now, **columns).where(
                    Candidate.id == candidate_id
                ).execute()
            self._insert_contacts(
                [(candidate_id, c.kind, c.value, c.label, False, _digits(c)) for c in added]
            )
        self.index.add(candidate_id, data, [c.value for c in added if c.kind == "url"])
        return True

    # --- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Write the pending new candidates and their contact points, and index them and the
        stored candidates this batch changed."""
        if self.dry_run:
            self.pending.clear()
            return
        contacts: list[tuple] = []
        candidates: list[tuple] = []
        for candidate_id, pending in self.pending.items():
            seen: set[str] = set()
            for contact in pending.contacts:
                primary = contact.kind not in seen
                seen.add(contact.kind)
                digits = _digits(contact)
                contacts.append(
                    (candidate_id, contact.kind, contact.value, contact.label, primary, digits)
                )
            candidates.append(self.rows.row(candidate_id, pending))
        if candidates:  # before their contact points: no deferred foreign-key checks to do
            self.services.database.cursor().executemany(self.rows.sql, candidates)
        self._insert_contacts(contacts)
        if self.search is not None:
            self.search.add([*self.pending, *sorted(self.reindex)])
        self.pending.clear()
        self.reindex.clear()

    def _insert_contacts(self, rows: list[tuple]) -> None:
        if rows:
            self.services.database.cursor().executemany(
                "INSERT INTO contact_point (candidate_id, kind, value, label, is_primary, digits) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )


class _CandidateRows:
    """The INSERT of a new candidate: every column in table order, in its stored form.

    Defaults and the import's timestamp are converted once; per row only the values the
    candidate sets are, and only where the stored form differs (dates).
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
        columns = ", ".join(f'"{Candidate._meta.fields[n].column_name}"' for n in names)
        self.sql = f"INSERT INTO candidate ({columns}) VALUES ({', '.join('?' * len(names))})"

    def row(self, candidate_id: int, pending: _Pending) -> tuple:
        values = dict(self._base)
        values.update(_columns(pending.data))
        values["id"] = candidate_id
        values["consent_date"] = pending.consent_date
        values["consent_basis"] = pending.consent_basis
        for name, convert in self._convert.items():
            if values[name] is not None:
                values[name] = convert(values[name])
        return self._pick(values)


def _load_stored(candidate_ids: list[int]) -> dict[int, _Stored]:
    """The candidates a batch merges into: two queries, whatever the number of merges."""
    input_fields = [f.name for f in fields(CandidateInput)]
    found: dict[int, _Stored] = {}
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
        found[row.id] = _Stored(
            data=CandidateInput(**values),
            columns={f.name: getattr(row, f.name) for f in Candidate._meta.sorted_fields},
            contact_keys={_contact_key(ContactValue(k, v)) for k, v, _d in mine},
            has_consent=row.consent_date is not None,
        )
    return found


def _filled(existing: CandidateInput, data: CandidateInput) -> dict[str, object]:
    return {
        name: getattr(data, name)
        for name in _FILLABLE
        if _blank(getattr(existing, name)) and not _blank(getattr(data, name))
    }


def _contact_key(contact: ContactValue) -> tuple[str, str]:
    if contact.kind == "phone":
        return contact.kind, phone_key(phone_digits(contact.value)) or ""
    if contact.kind == "url":
        return contact.kind, url_key(contact.value)
    return contact.kind, email_key(contact.value)


def _contacts(data: CandidateInput, record: ImportRecord) -> list[ContactValue]:
    """The validated e-mails and phones (with the labels the source gave) and the URLs."""
    labels = {(c.kind, c.value.strip()): c.label for c in record.contacts}
    result = [ContactValue("email", v, labels.get(("email", v), "")) for v in data.emails]
    result += [ContactValue("phone", v, labels.get(("phone", v), "")) for v in data.phones]
    urls = dict.fromkeys(c.value for c in record.contacts if c.kind == "url")
    result += [ContactValue("url", v, labels.get(("url", v), "")) for v in urls]
    return result


def _digits(contact: ContactValue) -> str:
    return phone_digits(contact.value) if contact.kind == "phone" else ""


def _blank(value: object) -> bool:
    return value is None or value == "" or value == ()


def _filled_columns(filled: dict[str, object]) -> set[str]:
    columns = set(filled)
    if "birthday" in filled:
        columns |= {"birthday_month", "birthday_day", "birthday_year", "birthday_md"}
    if "joined_on" in filled:
        columns |= {"joined_md"}
    return columns
