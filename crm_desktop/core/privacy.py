"""The candidate's rights: consent on record, erasure on request, and a retention review.

Erasure removes every row about the candidate in one transaction: the candidate, and through the
schema's ``ON DELETE CASCADE`` its contact points, timeline, applications, reminders, occurrence
states, tag links and attachment rows; other candidates it referred keep their record but lose the
link (``SET NULL``). The search index drops the candidate's document through its trigger. Then:

- ``secure_delete`` is on for the transaction, so SQLite overwrites the freed pages with zeros
  instead of leaving the text readable in the file's free space;
- the FTS5 index is merged (``optimize``): FTS5 records a deletion as a marker and keeps the old
  tokens until segments merge, and the candidate's e-mail must not survive there;
- the WAL is checkpointed, so the old pages do not linger in ``-wal`` either.

What stays is one ``audit_log`` line saying that a candidate was erased and how many rows of each
kind went, without the name, the e-mail or even the id. Copies outside the database (the
pre-upgrade copies in ``backups/``, exported files) are not touched; the dialog says so.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import date, datetime

import peewee

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.store.fields import UtcDateTimeField
from crm_desktop.store.models import (
    Application,
    Attachment,
    AuditEntry,
    Candidate,
    CandidateTag,
    ContactPoint,
    Interaction,
    OccurrenceState,
    Reminder,
)

CONSENT_BASES = {
    "": _("Not recorded"),
    "consent": _("Consent given by the candidate"),
    "legitimate_interest": _("Legitimate interest"),
    "contract": _("Contract (e.g. a placement)"),
    "legal_obligation": _("Legal obligation"),
}
ERASE_ACTION = "candidate erased"
# What an erasure counts, in the order the audit line lists it.
_COUNTED: tuple[tuple[str, type[peewee.Model], peewee.Field], ...] = (
    ("contact_points", ContactPoint, ContactPoint.candidate),
    ("timeline_entries", Interaction, Interaction.candidate),
    ("applications", Application, Application.candidate),
    ("reminders", Reminder, Reminder.candidate),
    ("occurrence_states", OccurrenceState, OccurrenceState.candidate),
    ("tag_links", CandidateTag, CandidateTag.candidate),
    ("attachments", Attachment, Attachment.candidate),
    ("referral_links", Candidate, Candidate.referred_by),
)


@dataclass(frozen=True)
class Consent:
    on: date | None
    basis: str


@dataclass(frozen=True)
class ErasureReport:
    counts: dict[str, int]
    orphaned_files: tuple[str, ...]  # sha256 of attachment files no other row uses


@dataclass(frozen=True)
class RetentionRow:
    candidate_id: int
    name: str
    status: str
    last_activity: datetime
    in_trash: bool


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    action: str
    detail: dict[str, int]


@dataclass
class PrivacyService:
    clock: Clock
    hub: EventHub
    database: peewee.SqliteDatabase

    # --- consent -------------------------------------------------------------------------
    def consent(self, candidate_id: int) -> Consent:
        row = Candidate.select(Candidate.consent_date, Candidate.consent_basis).where(
            Candidate.id == candidate_id
        )
        found = row.first()
        if found is None:
            raise KeyError(f"Candidate {candidate_id} does not exist")
        return Consent(found.consent_date, found.consent_basis)

    def set_consent(self, candidate_id: int, on: date | None, basis: str) -> None:
        """Record on what basis (and since when) the candidate's data is kept."""
        errors = {}
        if basis not in CONSENT_BASES:
            errors["consent_basis"] = _("Unknown legal basis “{basis}”").format(basis=basis)
        if on is not None and on > self.clock.today():
            errors["consent_date"] = _("The consent date cannot be in the future")
        if on is not None and not basis:
            errors["consent_basis"] = _("Choose the legal basis the date refers to")
        if errors:
            raise ValidationError(errors)
        with self.database.atomic():
            updated = (
                Candidate.update(consent_date=on, consent_basis=basis, updated_at=self.clock.now())
                .where(Candidate.id == candidate_id)
                .execute()
            )
            if not updated:
                raise KeyError(f"Candidate {candidate_id} does not exist")
        self.hub.emit(Change("candidate", "updated", (candidate_id,), (candidate_id,)))

    # --- erasure -------------------------------------------------------------------------
    def erase(self, candidate_id: int) -> ErasureReport:
        """Remove every trace of the candidate from the database (see the module docstring)."""
        self.database.execute_sql("PRAGMA secure_delete = ON")
        try:
            with self.database.atomic(lock_type="IMMEDIATE"):
                if not Candidate.select().where(Candidate.id == candidate_id).exists():
                    raise KeyError(f"Candidate {candidate_id} does not exist")
                counts = {
                    name: model.select().where(column == candidate_id).count()
                    for name, model, column in _COUNTED
                }
                hashes = {
                    sha
                    for (sha,) in Attachment.select(Attachment.sha256)
                    .where(Attachment.candidate == candidate_id)
                    .tuples()
                }
                Candidate.delete().where(Candidate.id == candidate_id).execute()
                left = [
                    name
                    for name, model, column in _COUNTED
                    if model.select().where(column == candidate_id).exists()
                ]
                if left:  # the cascades are the schema's; check rather than trust
                    raise RuntimeError(f"Erasure left rows behind in {left}")
                still_used = {
                    sha
                    for (sha,) in Attachment.select(Attachment.sha256)
                    .where(Attachment.sha256.in_(list(hashes)))
                    .tuples()
                }
                AuditEntry.create(
                    at=self.clock.now(),
                    action=ERASE_ACTION,
                    detail=json.dumps({"candidates": 1, **counts}),
                )
            self.database.execute_sql(
                "INSERT INTO candidate_fts(candidate_fts) VALUES ('optimize')"
            )
        finally:
            self.database.execute_sql("PRAGMA secure_delete = OFF")
        with contextlib.suppress(peewee.OperationalError):  # a reader may hold the WAL
            self.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.hub.emit(Change("candidate", "erased", (candidate_id,), (candidate_id,)))
        return ErasureReport(counts, tuple(sorted(hashes - still_used)))

    def audit_lines(self) -> list[AuditLine]:
        return [
            AuditLine(row.at, row.action, json.loads(row.detail))
            for row in AuditEntry.select().order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        ]

    # --- retention -----------------------------------------------------------------------
    def inactive(self, years: int, limit: int = 5000) -> list[RetentionRow]:
        """Candidates (trash included) with no activity for ``years`` years, oldest first.

        Activity is the newest of: the profile edited, the last contact, any timeline entry.
        """
        if not 1 <= years <= 50:
            raise ValidationError({"years": _("Choose between 1 and 50 years")})
        today = self.clock.today()
        try:
            cutoff_day = today.replace(year=today.year - years)
        except ValueError:  # 29 February
            cutoff_day = today.replace(year=today.year - years, day=28)
        cutoff = UtcDateTimeField().db_value(start_of_local_day(cutoff_day, self.clock.tz()))
        newest_entry = peewee.SQL(
            "(SELECT MAX(i.occurred_at) FROM interaction i WHERE i.candidate_id = t1.id)"
        )
        last = peewee.fn.MAX(
            Candidate.updated_at,
            peewee.fn.COALESCE(Candidate.last_contacted_at, ""),
            peewee.fn.COALESCE(newest_entry, ""),
        )
        query = (
            Candidate.select(
                Candidate.id,
                Candidate.first_name,
                Candidate.last_name,
                Candidate.status,
                Candidate.deleted_at,
                last.alias("last"),
            )
            .where(last < cutoff)
            .order_by(peewee.SQL("last"), Candidate.id)
            .limit(limit)
            .tuples()
        )
        parse = UtcDateTimeField().python_value  # MAX() may come back as the stored text
        return [
            RetentionRow(
                cid,
                display_name(first, lastname),
                status,
                parse(when) if isinstance(when, str) else when,
                gone is not None,
            )
            for cid, first, lastname, status, gone, when in query
        ]
