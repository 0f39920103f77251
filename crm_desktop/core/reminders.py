"""Reminders the recruiter sets: create, complete (recurring ones roll forward), reopen, snooze."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import RECURRENCES, Candidate, Interaction, Reminder

MAX_TITLE = 300


@dataclass
class ReminderService:
    clock: Clock
    hub: EventHub
    database: peewee.Database

    def create(
        self,
        title: str,
        due_at: datetime,
        *,
        candidate_id: int | None = None,
        notes: str = "",
        recurrence: str = "none",
        interaction_id: int | None = None,
    ) -> int:
        title = title.strip()
        errors = {}
        if not title:
            errors["title"] = "A reminder needs a title"
        elif len(title) > MAX_TITLE:
            errors["title"] = f"The title is too long: at most {MAX_TITLE} characters"
        if recurrence not in RECURRENCES:
            errors["recurrence"] = f"Unknown repeat rule “{recurrence}”"
        if due_at.tzinfo is None:
            errors["due_at"] = "The due time needs a time zone"
        if (
            candidate_id is not None
            and not Candidate.select().where(Candidate.id == candidate_id).exists()
        ):
            errors["candidate"] = f"Candidate {candidate_id} does not exist"
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
                candidate=candidate_id,
                interaction=interaction_id,
                created_at=self.clock.now(),
            )
        self._announce("created", row)
        return row.id

    def complete(self, reminder_id: int) -> None:
        """Mark done; a recurring reminder instead moves to its next occurrence after now."""
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            if row.recurrence == "none":
                row.done_at = self.clock.now()
            else:
                due = row.due_at
                while due <= self.clock.now():
                    due = next_occurrence(due, row.recurrence, self.clock.tz())
                row.due_at = due
                row.notified_at = None
            row.snoozed_until = None
            row.save()
        self._announce("updated", row)

    def reopen(self, reminder_id: int) -> None:
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.done_at = None
            row.save()
        self._announce("updated", row)

    def snooze(self, reminder_id: int, until: datetime) -> None:
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.snoozed_until = until
            row.notified_at = None
            row.save()
        self._announce("updated", row)

    def delete(self, reminder_id: int) -> None:
        with self.database.atomic():
            row = Reminder.get_by_id(reminder_id)
            row.delete_instance()
        self._announce("deleted", row)

    def _announce(self, action: str, row: Reminder) -> None:
        candidates = (row.candidate_id,) if row.candidate_id else ()
        self.hub.emit(Change("reminder", action, (row.id,), candidates))


def next_occurrence(due: datetime, recurrence: str, tz: tzinfo) -> datetime:
    """The next due time, keeping the local wall-clock time across DST changes."""
    local = due.astimezone(tz).replace(tzinfo=None)
    if recurrence == "daily":
        local += timedelta(days=1)
    elif recurrence == "weekly":
        local += timedelta(days=7)
    elif recurrence == "monthly":
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        day = min(local.day, calendar.monthrange(year, month)[1])
        local = local.replace(year=year, month=month, day=day)
    elif recurrence == "yearly":
        year = local.year + 1
        day = min(local.day, calendar.monthrange(year, local.month)[1])
        local = local.replace(year=year, day=day)
    else:
        raise ValueError(f"{recurrence!r} does not repeat")
    return local.replace(tzinfo=tz).astimezone(UTC)
