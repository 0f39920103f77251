"""The communication timeline: every call, e-mail, meeting and note with a candidate.

Adding, editing, deleting or restoring an entry recomputes the candidate's ``last_contacted_at``
from the entries themselves (the newest outbound or two-way one), so it is right after any edit,
including back-dated entries and deletions.

An entry may carry a *promise* made to the candidate ("call Friday with the client's feedback").
The promise is an ordinary reminder linked to the entry (``reminder.interaction_id``), created
through ``ReminderService`` so it shows on Today until it is kept (the reminder is completed).
Deleting an entry deletes its open promise with it, and ``restore`` puts both back: deletion is
undoable rather than confirmed, so the snapshot carries everything needed to rebuild the entry
under its old id.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.formatting import short_date
from crm_desktop.core.reminders import MAX_TITLE, ReminderService
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import CONTACT_DIRECTIONS, DEFAULT_DIRECTION, KIND_LABELS
from crm_desktop.i18n import _
from crm_desktop.store.models import (
    DIRECTIONS,
    INTERACTION_KINDS,
    Application,
    Candidate,
    Company,
    Interaction,
    Job,
    Reminder,
)

MAX_SUMMARY = 500
MAX_BODY = 100_000
MAX_DURATION_MINUTES = 24 * 60
# Kinds for which a duration makes sense (the entry dialog only offers it for these).
TIMED_KINDS = ("call", "meeting")


class _Keep:
    """Sentinel: "leave this field as it is" in ``update``."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


@dataclass(frozen=True)
class PromiseInput:
    """What the recruiter promised and by when (an aware datetime)."""

    text: str
    due_at: datetime


@dataclass(frozen=True)
class PromiseInfo:
    """A promise as shown on its entry: open until its reminder is completed."""

    reminder_id: int
    text: str
    due_at: datetime
    done_at: datetime | None

    @property
    def kept(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    candidate_id: int
    kind: str
    direction: str
    occurred_at: datetime
    summary: str
    body: str
    duration_minutes: int | None
    job_id: int | None = None
    job_label: str = ""
    template_name: str | None = None
    promise: PromiseInfo | None = None


@dataclass(frozen=True)
class DeletedEntry:
    """A deleted entry and its promises, enough to restore it under the same id."""

    columns: dict[str, Any]
    open_promises: tuple[tuple[str, str, datetime], ...] = ()  # title, notes, due_at
    kept_promise_ids: tuple[int, ...] = ()

    @property
    def entry_id(self) -> int:
        return int(self.columns["id"])

    @property
    def candidate_id(self) -> int:
        return int(self.columns["candidate"])

    @property
    def label(self) -> str:
        """A short name for the undo bar: the summary, else the first line of the text."""
        text = str(self.columns.get("summary") or self.columns.get("body") or "")
        return text.splitlines()[0] if text else KIND_LABELS.get(self.columns["kind"], "")


@dataclass
class TimelineService:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    reminders: ReminderService | None = field(default=None, repr=False)

    # --- writes -------------------------------------------------------------------------------
    def add(
        self,
        candidate_id: int,
        kind: str,
        summary: str,
        body: str = "",
        *,
        direction: str | None = None,
        occurred_at: datetime | None = None,
        duration_minutes: int | None = None,
        job_id: int | None = None,
        template_name: str | None = None,
        promise: PromiseInput | None = None,
    ) -> int:
        direction = direction or DEFAULT_DIRECTION.get(kind, "none")
        summary, body = summary.strip(), body.strip()
        errors = _problems(kind, direction, summary, body, duration_minutes, occurred_at)
        errors.update(self._promise_problems(promise))
        if errors:
            raise ValidationError(errors)
        now = self.clock.now()
        with self.database.atomic():
            if not Candidate.select().where(Candidate.id == candidate_id).exists():
                raise ValidationError({"candidate": f"Candidate {candidate_id} does not exist"})
            entry = Interaction.create(
                candidate=candidate_id,
                kind=kind,
                direction=direction,
                occurred_at=occurred_at or now,
                duration_minutes=duration_minutes,
                summary=summary,
                body=body,
                job=job_id,
                template_name=template_name,
                created_at=now,
                updated_at=now,
            )
            self._refresh_last_contacted(candidate_id)
            if promise is not None:
                self._create_promise(entry, promise)
        self.hub.emit(Change("interaction", "created", (entry.id,), (candidate_id,)))
        return entry.id

    def update(
        self,
        entry_id: int,
        *,
        summary: str,
        body: str,
        kind: str,
        direction: str,
        occurred_at: datetime,
        duration_minutes: int | None = None,
        job_id: int | _Keep | None = KEEP,
        promise: PromiseInput | _Keep | None = KEEP,
    ) -> None:
        """Edit an entry; ``promise`` replaces its open promise (``None`` drops it)."""
        summary, body = summary.strip(), body.strip()
        errors = _problems(kind, direction, summary, body, duration_minutes, occurred_at)
        if not isinstance(promise, _Keep):
            errors.update(self._promise_problems(promise))
        if errors:
            raise ValidationError(errors)
        with self.database.atomic():
            entry = Interaction.get_by_id(entry_id)
            entry.summary, entry.body, entry.kind = summary, body, kind
            entry.direction, entry.occurred_at = direction, occurred_at
            entry.duration_minutes = duration_minutes
            if not isinstance(job_id, _Keep):
                entry.job = job_id
            entry.updated_at = self.clock.now()
            entry.save()
            self._refresh_last_contacted(entry.candidate_id)
            if not isinstance(promise, _Keep):
                self._replace_promise(entry, promise)
        self.hub.emit(Change("interaction", "updated", (entry_id,), (entry.candidate_id,)))

    def set_promise(self, entry_id: int, promise: PromiseInput | None) -> None:
        """Replace the entry's open promise (or drop it with ``None``); kept ones stay history."""
        errors = self._promise_problems(promise)
        if errors:
            raise ValidationError(errors)
        with self.database.atomic():
            entry = Interaction.get_by_id(entry_id)
            changed = self._replace_promise(entry, promise)
        if changed:
            self.hub.emit(Change("interaction", "updated", (entry_id,), (entry.candidate_id,)))

    def keep_promise(self, entry_id: int) -> bool:
        """Mark the entry's open promise kept; False when it had none."""
        current = self._open_promise(entry_id)
        if current is None:
            return False
        self._reminders().complete(current.id)
        candidate_id = Interaction.get_by_id(entry_id).candidate_id
        self.hub.emit(Change("interaction", "updated", (entry_id,), (candidate_id,)))
        return True

    def delete(self, entry_id: int) -> DeletedEntry:
        """Delete the entry and its open promise; returns what ``restore`` needs to undo it."""
        with self.database.atomic():
            entry = Interaction.get_by_id(entry_id)
            promises = list(Reminder.select().where(Reminder.interaction == entry_id))
            open_ones = [p for p in promises if p.done_at is None]
            snapshot = DeletedEntry(
                columns=dict(entry.__data__),
                open_promises=tuple((p.title, p.notes, p.due_at) for p in open_ones),
                kept_promise_ids=tuple(p.id for p in promises if p.done_at is not None),
            )
            for reminder in open_ones:
                self._reminders().delete(reminder.id)
            entry.delete_instance()  # kept promises stay as done reminders, unlinked
            self._refresh_last_contacted(entry.candidate_id)
        self.hub.emit(Change("interaction", "deleted", (entry_id,), (entry.candidate_id,)))
        return snapshot

    def restore(self, deleted: DeletedEntry) -> int:
        """Undo ``delete``: the entry returns with its promises, under its old id when that is
        still free; returns the id it has now."""
        columns = dict(deleted.columns)
        with self.database.atomic():
            holder = Interaction.get_or_none(Interaction.id == deleted.entry_id)
            if holder is not None:
                if holder.__data__ == columns:
                    return deleted.entry_id  # already restored (a double undo)
                # SQLite reuses the highest rowid: a newer entry took the old id.
                del columns["id"]
            if not Candidate.select().where(Candidate.id == deleted.candidate_id).exists():
                raise ValidationError({"candidate": "The candidate of this entry was deleted"})
            job = columns.get("job")
            if job is not None and not Job.select().where(Job.id == job).exists():
                columns["job"] = None
            entry_id = Interaction.insert(**columns).execute()
            for title, notes, due_at in deleted.open_promises:
                self._reminders().create(
                    title,
                    due_at,
                    candidate_id=deleted.candidate_id,
                    notes=notes,
                    interaction_id=entry_id,
                )
            if deleted.kept_promise_ids:
                Reminder.update(interaction=entry_id).where(
                    Reminder.id.in_(deleted.kept_promise_ids) & Reminder.interaction.is_null()
                ).execute()
            self._refresh_last_contacted(deleted.candidate_id)
        self.hub.emit(Change("interaction", "created", (entry_id,), (deleted.candidate_id,)))
        return entry_id

    # --- reads --------------------------------------------------------------------------------
    def get(self, entry_id: int) -> TimelineEntry:
        rows = self._query().where(Interaction.id == entry_id)
        found = self._entries_from(rows)
        if not found:
            raise KeyError(f"Timeline entry {entry_id} does not exist")
        return found[0]

    def entries(
        self,
        candidate_id: int,
        limit: int = 200,
        offset: int = 0,
        kinds: Collection[str] | None = None,
    ) -> list[TimelineEntry]:
        """Newest first, a page at a time; ``kinds`` limits to those kinds of entry."""
        rows = (
            self._query()
            .where(self._filter(candidate_id, kinds))
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return self._entries_from(rows)

    def count(self, candidate_id: int, kinds: Collection[str] | None = None) -> int:
        return Interaction.select().where(self._filter(candidate_id, kinds)).count()

    def job_choices(self, candidate_id: int) -> list[tuple[int, str]]:
        """Jobs an entry of this candidate can be linked to: those they are in the pipeline for."""
        rows = (
            Application.select(Job.id, Job.title, Company.name)
            .join(Job)
            .join(Company, peewee.JOIN.LEFT_OUTER)
            .where(Application.candidate == candidate_id)
            .order_by(Application.stage_changed_at.desc())
            .tuples()
        )
        return [(job_id, job_label(title, company)) for job_id, title, company in rows]

    # --- internals ----------------------------------------------------------------------------
    @staticmethod
    def _filter(candidate_id: int, kinds: Collection[str] | None) -> peewee.Expression:
        condition = Interaction.candidate == candidate_id
        if kinds is not None:
            condition &= Interaction.kind.in_(list(kinds))
        return condition

    @staticmethod
    def _query() -> peewee.ModelSelect:
        return (
            Interaction.select(
                Interaction, Job.title.alias("job_title"), Company.name.alias("job_company")
            )
            .join(Job, peewee.JOIN.LEFT_OUTER)
            .join(Company, peewee.JOIN.LEFT_OUTER)
        )

    @staticmethod
    def _entries_from(rows: peewee.ModelSelect) -> list[TimelineEntry]:
        fetched = list(rows.objects())
        promises: dict[int, PromiseInfo] = {}
        if fetched:
            linked = (
                Reminder.select(
                    Reminder.id,
                    Reminder.interaction,
                    Reminder.title,
                    Reminder.due_at,
                    Reminder.done_at,
                )
                .where(Reminder.interaction.in_([r.id for r in fetched]))
                .order_by(Reminder.id)
            )
            for reminder in linked:
                shown = promises.get(reminder.interaction_id)
                # The open promise wins over a kept one; among equals, the newest.
                if shown is None or not (reminder.done_at is not None and not shown.kept):
                    promises[reminder.interaction_id] = PromiseInfo(
                        reminder.id, reminder.title, reminder.due_at, reminder.done_at
                    )
        return [
            TimelineEntry(
                id=r.id,
                candidate_id=r.candidate_id,
                kind=r.kind,
                direction=r.direction,
                occurred_at=r.occurred_at,
                summary=r.summary,
                body=r.body,
                duration_minutes=r.duration_minutes,
                job_id=r.job_id,
                job_label=job_label(r.job_title, r.job_company) if r.job_id else "",
                template_name=r.template_name,
                promise=promises.get(r.id),
            )
            for r in fetched
        ]

    def _reminders(self) -> ReminderService:
        if self.reminders is None:
            raise RuntimeError("TimelineService was built without a ReminderService")
        return self.reminders

    @staticmethod
    def _open_promise(entry_id: int) -> Reminder | None:
        return (
            Reminder.select()
            .where((Reminder.interaction == entry_id) & Reminder.done_at.is_null())
            .order_by(Reminder.id.desc())
            .first()
        )

    def _replace_promise(self, entry: Interaction, promise: PromiseInput | None) -> bool:
        current = self._open_promise(entry.id)
        if current is None and promise is None:
            return False
        if (
            current is not None
            and promise is not None
            and (current.title, current.due_at) == (promise.text.strip(), promise.due_at)
        ):
            return False  # unchanged: keep the reminder (and its snooze and alert state)
        if current is not None:
            self._reminders().delete(current.id)
        if promise is not None:
            self._create_promise(entry, promise)
        return True

    def _create_promise(self, entry: Interaction, promise: PromiseInput) -> int:
        day = entry.occurred_at.astimezone(self.clock.tz()).date()
        notes = _("Promised in the {kind} on {date}").format(
            kind=KIND_LABELS.get(entry.kind, entry.kind).lower(),
            date=short_date(day, self.clock.today()),
        )
        if entry.summary:
            notes = f"{notes}: {entry.summary}"
        return self._reminders().create(
            promise.text,
            promise.due_at,
            candidate_id=entry.candidate_id,
            notes=notes,
            interaction_id=entry.id,
        )

    @staticmethod
    def _promise_problems(promise: PromiseInput | None) -> dict[str, str]:
        if promise is None:
            return {}
        text = promise.text.strip()
        if not text:
            return {"promise": "Write what you promised, or untick the promise"}
        if len(text) > MAX_TITLE:
            return {"promise": f"The promise is too long: at most {MAX_TITLE} characters"}
        if promise.due_at.tzinfo is None:
            return {"promise_due": "The promise's due time needs a time zone"}
        return {}

    def _refresh_last_contacted(self, candidate_id: int) -> None:
        newest = (
            Interaction.select(peewee.fn.MAX(Interaction.occurred_at))
            .where(
                (Interaction.candidate == candidate_id)
                & (Interaction.direction.in_(CONTACT_DIRECTIONS))
            )
            .scalar()
        )
        # MAX() comes back as the stored text; the field converts it on the way in.
        Candidate.update(last_contacted_at=newest).where(Candidate.id == candidate_id).execute()


def job_label(title: str | None, company: str | None) -> str:
    """ "Data Engineer @ Foxglove Health": how a job is named beside an entry."""
    title = title or ""
    return f"{title} @ {company}" if company else title


def _problems(
    kind: str,
    direction: str,
    summary: str,
    body: str,
    duration_minutes: int | None,
    occurred_at: datetime | None,
) -> dict[str, str]:
    errors = {}
    if occurred_at is not None and occurred_at.tzinfo is None:
        errors["occurred_at"] = "The time of the entry needs a time zone"
    if kind not in INTERACTION_KINDS:
        errors["kind"] = f"Unknown kind of entry “{kind}”"
    if direction not in DIRECTIONS:
        errors["direction"] = f"Unknown direction “{direction}”"
    if not summary and not body:
        errors["summary"] = "Write what happened: the entry is empty"
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = f"The summary is too long: at most {MAX_SUMMARY} characters"
    if len(body) > MAX_BODY:
        errors["body"] = f"The text is too long: at most {MAX_BODY} characters"
    if duration_minutes is not None and not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = (
            f"Duration must be between 0 and {MAX_DURATION_MINUTES} minutes"
        )
    return errors
