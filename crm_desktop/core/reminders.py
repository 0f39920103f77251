"""Reminders the recruiter sets: create, edit, complete (repeating ones roll forward), reopen,
snooze, delete.

Alert bookkeeping lives on the row: ``notified_at`` says the current occurrence was alerted.
Anything that makes a new occurrence (rolling a repeating reminder forward, snoozing, moving the
due time) clears it, so that occurrence alerts once in its turn; see ``core.alerts``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.store.models import RECURRENCES, Candidate, Interaction, Job, Reminder

MAX_TITLE = 300
MAX_NOTES = 20_000
DEFAULT_MORNING = time(9, 0)

RECURRENCE_LABELS = {
    "none": _("Does not repeat"),
    "daily": _("Every day"),
    "weekly": _("Every week"),
    "monthly": _("Every month"),
    "yearly": _("Every year"),
}

# Snooze choices, in menu order.
SNOOZE_HOUR = "hour"
SNOOZE_TOMORROW = "tomorrow"
SNOOZE_NEXT_WEEK = "next_week"
SNOOZE_LABELS = {
    SNOOZE_HOUR: _("For 1 hour"),
    SNOOZE_TOMORROW: _("Until tomorrow morning"),
    SNOOZE_NEXT_WEEK: _("Until next week"),
}


@dataclass(frozen=True)
class ReminderRecord:
    """A saved reminder, as the edit dialog shows it."""

    id: int
    title: str
    due_at: datetime
    recurrence: str = "none"
    notes: str = ""
    candidate_id: int | None = None
    candidate_name: str = ""
    job_id: int | None = None
    done_at: datetime | None = None
    snoozed_until: datetime | None = None
    notified_at: datetime | None = None


@dataclass(frozen=True)
class ReminderState:
    """What ``complete`` changes, kept so that an accidental "Done" can be undone exactly."""

    due_at: datetime
    done_at: datetime | None
    snoozed_until: datetime | None
    notified_at: datetime | None


@dataclass
class ReminderService:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    # "Tomorrow morning" for snoozing: the preferences' digest time when wired by the services.
    morning: Callable[[], time] = field(default=lambda: DEFAULT_MORNING, repr=False)

    def create(
        self,
        title: str,
        due_at: datetime,
        *,
        candidate_id: int | None = None,
        job_id: int | None = None,
        notes: str = "",
        recurrence: str = "none",
        interaction_id: int | None = None,
    ) -> int:
        title, notes = title.strip(), notes.strip()
        errors = _problems(title, due_at, notes, recurrence, candidate_id, job_id)
        if (
            interaction_id is not None
            and not Interaction.select().where(Interaction.id == interaction_id).exists()
        ):
            errors["interaction"] = f"Timeline entry {interaction_id} does not exist"
        if errors:
            raise ValidationError(errors)
        with self.database.atomic():
            row = Reminder.create(
                title=title,
                notes=notes,
                due_at=due_at,
                recurrence=recurrence,
                repeat_day=repeat_day(due_at, recurrence, self.clock.tz()),
                candidate=candidate_id,
                job=job_id,
                interaction=interaction_id,
                created_at=self.clock.now(),
            )
        self._announce("created", row)
        return row.id

    def update(
        self,
        reminder_id: int,
        title: str,
        due_at: datetime,
        *,
        candidate_id: int | None = None,
        job_id: int | None = None,
        notes: str = "",
        recurrence: str = "none",
    ) -> None:
        """Edit a reminder. A new due time or repeat rule is a new occurrence: it alerts anew."""
        title, notes = title.strip(), notes.strip()
        errors = _problems(title, due_at, notes, recurrence, candidate_id, job_id)
        if errors:
            raise ValidationError(errors)
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            if row.due_at != due_at or row.recurrence != recurrence:
                row.notified_at = None
                row.snoozed_until = None
                tz = self.clock.tz()
                same_day = row.recurrence == recurrence and (
                    row.due_at.astimezone(tz).date() == due_at.astimezone(tz).date()
                )
                if not same_day:  # a new time on 28 Feb keeps a reminder set for the 31st
                    row.repeat_day = repeat_day(due_at, recurrence, tz)
            row.title, row.notes, row.due_at, row.recurrence = title, notes, due_at, recurrence
            row.candidate, row.job = candidate_id, job_id
            row.save()
        self._announce("updated", row)

    def get(self, reminder_id: int) -> ReminderRecord:
        row = Reminder.get_by_id(reminder_id)
        name = ""
        if row.candidate_id is not None:
            person = Candidate.get_by_id(row.candidate_id)
            name = display_name(person.first_name, person.last_name)
        return ReminderRecord(
            id=row.id,
            title=row.title,
            due_at=row.due_at,
            recurrence=row.recurrence,
            notes=row.notes,
            candidate_id=row.candidate_id,
            candidate_name=name,
            job_id=row.job_id,
            done_at=row.done_at,
            snoozed_until=row.snoozed_until,
            notified_at=row.notified_at,
        )

    def complete(self, reminder_id: int) -> ReminderState:
        """Mark done; a repeating reminder instead moves to its next occurrence after now.

        Returns the state before, for ``restore`` (undo).
        """
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            before = ReminderState(row.due_at, row.done_at, row.snoozed_until, row.notified_at)
            if row.recurrence == "none":
                row.done_at = self.clock.now()
            else:
                due = row.due_at
                while due <= self.clock.now():
                    due = next_occurrence(due, row.recurrence, self.clock.tz(), row.repeat_day)
                row.due_at = due
                row.notified_at = None
            row.snoozed_until = None
            row.save()
        self._announce("updated", row)
        return before

    def restore(self, reminder_id: int, state: ReminderState) -> None:
        """Put back the state ``complete`` returned (undo an accidental "Done")."""
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.due_at, row.done_at = state.due_at, state.done_at
            row.snoozed_until, row.notified_at = state.snoozed_until, state.notified_at
            row.save()
        self._announce("updated", row)

    def reopen(self, reminder_id: int) -> None:
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.done_at = None
            row.save()
        self._announce("updated", row)

    def snooze(self, reminder_id: int, until: datetime) -> None:
        """Put off until ``until``: the reminder alerts again then."""
        if until.tzinfo is None:
            raise ValidationError({"snoozed_until": "The snooze time needs a time zone"})
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.snoozed_until = until
            row.notified_at = None
            row.done_at = None
            row.save()
        self._announce("updated", row)

    def snooze_time(self, choice: str) -> datetime:
        """When a snooze choice (``SNOOZE_HOUR``, ...) ends, from now."""
        return snooze_until(choice, self.clock.local_now(), self.morning())

    def delete(self, reminder_id: int) -> None:
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.delete_instance()
        self._announce("deleted", row)

    def _announce(self, action: str, row: Reminder) -> None:
        candidates = (row.candidate_id,) if row.candidate_id else ()
        self.hub.emit(Change("reminder", action, (row.id,), candidates))


def _problems(
    title: str,
    due_at: datetime,
    notes: str,
    recurrence: str,
    candidate_id: int | None,
    job_id: int | None,
) -> dict[str, str]:
    errors = {}
    if not title:
        errors["title"] = _("A reminder needs a title")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("The title is too long: at most {n} characters").format(n=MAX_TITLE)
    if len(notes) > MAX_NOTES:
        errors["notes"] = _("The notes are too long: at most {n} characters").format(n=MAX_NOTES)
    if recurrence not in RECURRENCES:
        errors["recurrence"] = _("Unknown repeat rule “{rule}”").format(rule=recurrence)
    if due_at.tzinfo is None:
        errors["due_at"] = "The due time needs a time zone"
    if (
        candidate_id is not None
        and not Candidate.select().where(Candidate.id == candidate_id).exists()
    ):
        errors["candidate"] = f"Candidate {candidate_id} does not exist"
    if job_id is not None and not Job.select().where(Job.id == job_id).exists():
        errors["job"] = f"Job {job_id} does not exist"
    return errors


def snooze_until(choice: str, local_now: datetime, morning: time) -> datetime:
    """The end of a snooze, in UTC: an hour from now, tomorrow at ``morning``, or next Monday at
    ``morning`` (local wall-clock times, whatever DST does in between)."""
    tz = local_now.tzinfo
    if tz is None:
        raise ValueError("local_now must be aware")
    if choice == SNOOZE_HOUR:
        # In UTC: adding to a local time would add wall-clock time (two hours across fall-back).
        return local_now.astimezone(UTC) + timedelta(hours=1)
    today = local_now.date()
    if choice == SNOOZE_TOMORROW:
        day = today + timedelta(days=1)
    elif choice == SNOOZE_NEXT_WEEK:
        day = today + timedelta(days=7 - today.weekday())
    else:
        raise ValueError(f"Unknown snooze choice {choice!r}")
    return local_wall_time(day, morning, tz)


def local_wall_time(day: date, at: time, tz: tzinfo) -> datetime:
    """``day`` at wall-clock ``at`` in ``tz``, as UTC. A time skipped by a DST change falls as
    far after the change (02:30 on a spring-forward night is 03:30); a time that happens twice
    is the first one (PEP 495's ``fold=0``)."""
    return datetime.combine(day, at, tz).astimezone(UTC)


def repeat_day(due: datetime, recurrence: str, tz: tzinfo) -> int | None:
    """The day of the month a monthly or yearly reminder keeps: its local due date's."""
    return due.astimezone(tz).day if recurrence in ("monthly", "yearly") else None


def next_occurrence(due: datetime, recurrence: str, tz: tzinfo, day: int | None = None) -> datetime:
    """The next due time, keeping the local wall-clock time across DST changes.

    Monthly and yearly reminders fall on ``day`` of the month (default: ``due``'s own), or on
    the month's last day when it is shorter: 31 January, 28 February, 31 March.
    """
    local = due.astimezone(tz).replace(tzinfo=None)
    wanted = day or local.day
    if recurrence == "daily":
        local += timedelta(days=1)
    elif recurrence == "weekly":
        local += timedelta(days=7)
    elif recurrence == "monthly":
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        local = local.replace(year=year, month=month, day=_clamp(year, month, wanted))
    elif recurrence == "yearly":
        year = local.year + 1
        local = local.replace(year=year, day=_clamp(year, local.month, wanted))
    else:
        raise ValueError(f"{recurrence!r} does not repeat")
    return local.replace(tzinfo=tz).astimezone(UTC)


def _clamp(year: int, month: int, day: int) -> int:
    return min(day, calendar.monthrange(year, month)[1])
