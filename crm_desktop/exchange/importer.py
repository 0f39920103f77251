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
``store.search.search_triggers_paused``): each batch's new candidates, complete, and the stored
candidates it merged into are indexed once, instead of the triggers rewriting a document once per
e-mail and phone, and on a helper thread (``store.search_index``) while this one parses and
checks the next batch. The core announces the result once, after the commit,
rather than once per row.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import islice

import peewee

from crm_desktop.core.candidates import CandidateInput, _columns, display_name
from crm_desktop.core.events import Change
from crm_desktop.core.services import Services
from crm_desktop.core.validation import ValidationError
from crm_desktop.exchange.import_matching import Contact, DuplicateIndex, make_contact
from crm_desktop.exchange.import_rows import CandidateRows, Pending, Stored, load_stored
from crm_desktop.exchange.records import ImportRecord
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.bulk import drop_indexes, recreate_indexes
from crm_desktop.store.models import Candidate
from crm_desktop.store.search import search_triggers_paused
from crm_desktop.store.search_index import BackgroundSearchIndex, search_indexed_in_background

BATCH = 1000
# Large imports write without the secondary indexes of these tables and rebuild them at the end
# (``store.bulk``). Kept: the one a merge reads by (contact points of a candidate, filled in
# ascending order) and those no imported row enters (the trash's partial index). Keeping the
# low-cardinality ones too (status, source, NULL dates) was measured: at 150,000 rows each cost
# more to maintain row by row (~80 ms) than to rebuild once (~45 ms).
BULK_AFTER = 20_000
BULK_TABLES = ("candidate", "contact_point")
BULK_KEEP = ("contact_point_candidate_id",)
BULK_KEEP_COLUMNS = ("deleted_at",)
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
        with _collector_paused():
            return self._run(records, policy, dry_run, progress, should_cancel, outcomes, finishing)

    def _run(
        self,
        records: Iterable[ImportRecord],
        policy: DuplicatePolicy,
        dry_run: bool,
        progress: Callable[[int], None] | None,
        should_cancel: Callable[[], bool] | None,
        outcomes: list[Outcome] | None,
        finishing: Callable[[], None] | None,
    ) -> ImportReport:
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
            _rollback_kept_possible(self._database),
            search_triggers_paused(self._database, ("candidate", "contact_point")),
            search_indexed_in_background(self._database) as search,
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
                    search.wait()
                    rebuild = drop_indexes(
                        self._database, BULK_TABLES, BULK_KEEP, BULK_KEEP_COLUMNS
                    )
                if progress:
                    progress(session.report.processed)
            _check(should_cancel)
            if finishing:
                finishing()
            if rebuild:
                search.wait()
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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the import, back on however it ends.

    An import allocates millions of small objects that live on (the duplicate index, the
    pending rows), so the collector runs over and over and finds nothing: the rows are plain
    acyclic values, freed by reference counting as before. The switch is process-wide: cycles
    made meanwhile by the window's thread wait the few seconds too. Left off when it already was.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _rollback_kept_possible(database: peewee.Database) -> Iterator[None]:
    """When a failed statement (a full disk) made SQLite end the transaction itself, open an
    empty one for the enclosing ``atomic()`` to roll back, so the failure reported is the
    statement's, not "cannot rollback - no transaction is active"."""
    try:
        yield
    except BaseException:
        if not database.connection().in_transaction:
            database.execute_sql("BEGIN")
        raise


def _bulk(created: int, existing: int) -> bool:
    """Switch to dropped indexes once the import has shown itself large next to the base: each
    later row then costs half, and rebuilding once costs about what the base's size does."""
    return created >= BULK_AFTER and created >= existing


def _check(should_cancel: Callable[[], bool] | None) -> None:
    if should_cancel is not None and should_cancel():
        raise ImportCancelledError(_("The import was cancelled; nothing was changed."))


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
        self.pending: dict[int, Pending] = {}
        self.search: BackgroundSearchIndex | None = None  # set when writing
        self.reindex: set[int] = set()  # stored candidates changed in this batch
        self.rows = CandidateRows(self.now)

    # --- deciding --------------------------------------------------------------------------
    def handle(self, batch: list[ImportRecord]) -> None:
        """Decide every record of the batch; merges into stored candidates are done together."""
        merges: list[tuple[ImportRecord, CandidateInput, list[Contact], int, str]] = []
        for record in batch:
            decided = self._decide(record)
            if decided is not None:
                merges.append(decided)
        if not merges:
            return
        stored = load_stored(list(dict.fromkeys(m[3] for m in merges)))
        for record, data, contacts, candidate_id, reason in merges:
            target = stored.get(candidate_id)
            if target is None:  # deleted meanwhile: nothing to merge into
                self._reject(record, _("the matching candidate no longer exists"))
                continue
            if self._merge_stored(candidate_id, target, data, contacts, record):
                self.report.merged += 1
                self.report.merged_ids.append(candidate_id)
                self._say(record, data, "merge", reason)
            else:
                self.report.unchanged += 1
                self._say(record, data, "unchanged", reason)

    def _decide(
        self, record: ImportRecord
    ) -> tuple[ImportRecord, CandidateInput, list[Contact], int, str] | None:
        if record.problems or record.data is None:
            self._reject(record, "; ".join(record.problems) or _("nothing to import"))
            return None
        try:
            data = self.services.candidates.validate(record.data)
        except ValidationError as exc:
            self._reject(record, "; ".join(exc.errors.values()))
            return None
        contacts = _contacts(data, record)
        match = self.index.match(data, contacts)
        if match is None or self.policy is DuplicatePolicy.CREATE:
            candidate_id = self.next_id
            self.next_id += 1
            self.pending[candidate_id] = Pending(
                data, contacts, record.consent_date, record.consent_basis, record.line
            )
            self.index.add(candidate_id, data, contacts)
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
            return record, data, contacts, candidate_id, reason
        if self._merge_pending(pending, data, contacts):
            self.index.add(candidate_id, data, contacts)
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
        self, pending: Pending, data: CandidateInput, contacts: list[Contact]
    ) -> bool:
        """A later row of the same file describes a candidate this import creates."""
        filled = _filled(pending.data, data)
        known = {(c.kind, c.key) for c in pending.contacts}
        added = [c for c in contacts if (c.kind, c.key) not in known]
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
        self,
        candidate_id: int,
        stored: Stored,
        data: CandidateInput,
        contacts: list[Contact],
        record: ImportRecord,
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
        for contact in contacts:
            key = (contact.kind, contact.key)
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
                [(candidate_id, c.kind, c.value, c.label, False, c.digits) for c in added]
            )
        self.index.add(candidate_id, data, [c for c in contacts if c.kind != "url" or c in added])
        return True

    # --- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Write the pending new candidates and their contact points, and index them and the
        stored candidates this batch changed."""
        if self.dry_run:
            self.pending.clear()
            return
        contacts: list[tuple] = []
        plain: list[tuple] = []
        full: list[tuple] = []
        rows = self.rows
        for candidate_id, pending in self.pending.items():
            kinds: set[str] = set()
            for kind, value, label, _key, digits in pending.contacts:
                contacts.append((candidate_id, kind, value, label, kind not in kinds, digits))
                kinds.add(kind)
            row = rows.plain_row(candidate_id, pending)
            if row is not None:
                plain.append(row)
            else:
                full.append(rows.row(candidate_id, pending))
        cursor = self.services.database.cursor()
        with self.search.writing() if self.search is not None else nullcontext():
            # Candidates before their contact points: no deferred foreign-key checks to do.
            if plain:
                cursor.executemany(rows.plain_sql, plain)
            if full:
                cursor.executemany(rows.sql, full)
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


def _filled(existing: CandidateInput, data: CandidateInput) -> dict[str, object]:
    return {
        name: getattr(data, name)
        for name in _FILLABLE
        if _blank(getattr(existing, name)) and not _blank(getattr(data, name))
    }


def _contacts(data: CandidateInput, record: ImportRecord) -> list[Contact]:
    """The validated e-mails and phones (with the labels the source gave) and the URLs, in the
    order matching looks at them."""
    labels = {(c.kind, c.value.strip()): c.label for c in record.contacts}
    result = [make_contact("email", v, labels.get(("email", v), "")) for v in data.emails]
    result += [make_contact("phone", v, labels.get(("phone", v), "")) for v in data.phones]
    urls = [c.value for c in record.contacts if c.kind == "url"]
    if urls:
        result += [make_contact("url", v, labels.get(("url", v), "")) for v in dict.fromkeys(urls)]
    return result


def _blank(value: object) -> bool:
    return value is None or value == "" or value == ()


def _filled_columns(filled: dict[str, object]) -> set[str]:
    columns = set(filled)
    if "birthday" in filled:
        columns |= {"birthday_month", "birthday_day", "birthday_year", "birthday_md"}
    if "joined_on" in filled:
        columns |= {"joined_md"}
    return columns
