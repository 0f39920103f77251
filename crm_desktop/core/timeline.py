"""The communication timeline: every call, e-mail, meeting and note with a candidate.

Adding, editing or deleting an entry recomputes the candidate's ``last_contacted_at`` from the
entries themselves (the newest outbound or two-way one), so it is right after any edit, including
back-dated entries and deletions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import CONTACT_DIRECTIONS, DEFAULT_DIRECTION
from crm_desktop.store.models import DIRECTIONS, INTERACTION_KINDS, Candidate, Interaction

MAX_SUMMARY = 500
MAX_BODY = 100_000


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


@dataclass
class TimelineService:
    clock: Clock
    hub: EventHub
    database: peewee.Database

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
    ) -> int:
        direction = direction or DEFAULT_DIRECTION.get(kind, "none")
        summary, body = summary.strip(), body.strip()
        self._validate(kind, direction, summary, body, duration_minutes, occurred_at)
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
    ) -> None:
        summary, body = summary.strip(), body.strip()
        self._validate(kind, direction, summary, body, duration_minutes, occurred_at)
        with self.database.atomic():
            entry = Interaction.get_by_id(entry_id)
            entry.summary, entry.body, entry.kind = summary, body, kind
            entry.direction, entry.occurred_at = direction, occurred_at
            entry.duration_minutes = duration_minutes
            entry.updated_at = self.clock.now()
            entry.save()
            self._refresh_last_contacted(entry.candidate_id)
        self.hub.emit(Change("interaction", "updated", (entry_id,), (entry.candidate_id,)))

    def delete(self, entry_id: int) -> None:
        with self.database.atomic():
            entry = Interaction.get_by_id(entry_id)
            entry.delete_instance()
            self._refresh_last_contacted(entry.candidate_id)
        self.hub.emit(Change("interaction", "deleted", (entry_id,), (entry.candidate_id,)))

    def entries(self, candidate_id: int, limit: int = 200, offset: int = 0) -> list[TimelineEntry]:
        """Newest first, a page at a time."""
        rows = (
            Interaction.select()
            .where(Interaction.candidate == candidate_id)
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
            .offset(offset)
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
            )
            for r in rows
        ]

    def count(self, candidate_id: int) -> int:
        return Interaction.select().where(Interaction.candidate == candidate_id).count()

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

    @staticmethod
    def _validate(
        kind: str,
        direction: str,
        summary: str,
        body: str,
        duration_minutes: int | None,
        occurred_at: datetime | None,
    ) -> None:
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
        if duration_minutes is not None and not 0 <= duration_minutes <= 24 * 60:
            errors["duration_minutes"] = "Duration must be between 0 and 1440 minutes"
        if errors:
            raise ValidationError(errors)
