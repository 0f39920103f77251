"""What the recruiter owes today: reminders plus items derived from the data.

Derived items (birthdays, joining days, work anniversaries) are computed from the candidates, not
stored as copies; marking one done records it in ``OccurrenceState`` for that date only, so
"birthday wished, 2027" sticks without hiding 2028. Each kind of item is a small *source*; the
pipeline adds its own (owed updates, interviews) by appending to ``TodayService.sources``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.fields import month_day
from crm_desktop.store.models import Candidate, OccurrenceState, Reminder

DERIVED_LOOKBACK_DAYS = 7  # a missed birthday stays "overdue" (belated wishes) for a week


@dataclass(frozen=True)
class TodayItem:
    """One line of the Today panel."""

    key: str  # stable identity, e.g. "reminder:12" or "birthday:5:2026-11-28"
    kind: str  # reminder | birthday | joining_day | anniversary
    on: date  # the local date it falls due
    due_at: datetime | None  # exact time for reminders, None for all-day items
    title: str
    reason: str
    candidate_id: int | None = None
    candidate_name: str = ""
    ref_id: int | None = None  # reminder id for reminders


@dataclass(frozen=True)
class TodayView:
    on: date
    overdue: list[TodayItem]
    today: list[TodayItem]
    upcoming: list[TodayItem]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.upcoming)

    def summary(self) -> str:
        return _("{overdue} overdue, {today} today, {upcoming} in the next days").format(
            overdue=len(self.overdue), today=len(self.today), upcoming=len(self.upcoming)
        )


class TodaySource(Protocol):
    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        """Open items falling due between ``start`` and ``end`` (inclusive, local dates)."""
        ...


class ReminderSource:
    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        tz = clock.tz()
        end_utc = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC)
        rows = (
            Reminder.select(Reminder, Candidate.id, Candidate.first_name, Candidate.last_name)
            .join(Candidate, peewee.JOIN.LEFT_OUTER)
            .where(
                Reminder.done_at.is_null()
                & (Reminder.due_at < end_utc)
                & (Candidate.id.is_null() | Candidate.deleted_at.is_null())
            )
            .order_by(Reminder.due_at)
        )
        for row in rows:
            due = (
                row.snoozed_until
                if row.snoozed_until and row.snoozed_until > row.due_at
                else (row.due_at)
            )
            if due >= end_utc:
                continue
            name = (
                display_name(row.candidate.first_name, row.candidate.last_name)
                if (row.candidate_id)
                else ""
            )
            yield TodayItem(
                key=f"reminder:{row.id}",
                kind="reminder",
                on=due.astimezone(tz).date(),
                due_at=due,
                title=row.title,
                reason=row.notes.splitlines()[0] if row.notes else _("Reminder"),
                candidate_id=row.candidate_id,
                candidate_name=name,
                ref_id=row.id,
            )


def _yearly_dates(start: date, end: date) -> dict[int, list[date]]:
    """month-day key -> the dates in [start, end] it is celebrated on.

    29 February is celebrated on 28 February in common years.
    """
    found: dict[int, list[date]] = {}
    day = start
    while day <= end:
        found.setdefault(month_day(day.month, day.day), []).append(day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            found.setdefault(229, []).append(day)
        day += timedelta(days=1)
    return found


def _done_keys(kind: str, candidate_ids: list[int], start: date, end: date) -> set[tuple]:
    if not candidate_ids:
        return set()
    rows = OccurrenceState.select(OccurrenceState.candidate, OccurrenceState.occurs_on).where(
        (OccurrenceState.kind == kind)
        & OccurrenceState.candidate.in_(candidate_ids)
        & OccurrenceState.done_at.is_null(False)
        & (OccurrenceState.occurs_on >= start.isoformat())
        & (OccurrenceState.occurs_on <= end.isoformat())
    )
    return {(r.candidate_id, r.occurs_on) for r in rows}


class BirthdaySource:
    kind = "birthday"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        dates = _yearly_dates(start, end)
        rows = list(
            Candidate.select(
                Candidate.id,
                Candidate.first_name,
                Candidate.last_name,
                Candidate.birthday_md,
                Candidate.birthday_year,
            ).where(
                Candidate.birthday_md.in_(list(dates))
                & Candidate.deleted_at.is_null()
                & (Candidate.status != "do_not_contact")
            )
        )
        done = _done_keys(self.kind, [r.id for r in rows], start, end)
        for row in rows:
            for on in dates[row.birthday_md]:
                if (row.id, on) in done:
                    continue
                name = display_name(row.first_name, row.last_name)
                if row.birthday_year:
                    age = on.year - row.birthday_year
                    reason = _("Turns {age}").format(age=age)
                else:
                    reason = _("Birthday")
                yield TodayItem(
                    key=f"birthday:{row.id}:{on.isoformat()}",
                    kind=self.kind,
                    on=on,
                    due_at=None,
                    title=_("{name}'s birthday").format(name=name),
                    reason=reason,
                    candidate_id=row.id,
                    candidate_name=name,
                )


class JoiningSource:
    """Joining days (year 0) and work anniversaries (years 1, 2, ...)."""

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        dates = _yearly_dates(start, end)
        rows = list(
            Candidate.select(
                Candidate.id,
                Candidate.first_name,
                Candidate.last_name,
                Candidate.joined_on,
                Candidate.company_name,
                Candidate.joined_md,
            ).where(
                Candidate.joined_md.in_(list(dates))
                & Candidate.deleted_at.is_null()
                & (Candidate.status != "do_not_contact")
            )
        )
        ids = [r.id for r in rows]
        done = _done_keys("joining_day", ids, start, end) | _done_keys(
            "anniversary", ids, start, end
        )
        for row in rows:
            for on in dates[row.joined_md]:
                years = on.year - row.joined_on.year
                if years < 0 or (row.id, on) in done:
                    continue
                name = display_name(row.first_name, row.last_name)
                at = (
                    _(" at {company}").format(company=row.company_name)
                    if (row.company_name)
                    else ""
                )
                if years == 0:
                    kind, title = "joining_day", _("{name}'s joining day").format(name=name)
                    reason = _("Starts{at}").format(at=at) if at else _("Joining day")
                else:
                    kind = "anniversary"
                    title = _("{name}'s work anniversary").format(name=name)
                    reason = ngettext("{n} year{at}", "{n} years{at}", years).format(n=years, at=at)
                yield TodayItem(
                    key=f"{kind}:{row.id}:{on.isoformat()}",
                    kind=kind,
                    on=on,
                    due_at=None,
                    title=title,
                    reason=reason,
                    candidate_id=row.id,
                    candidate_name=name,
                )


def default_sources() -> list[TodaySource]:
    return [ReminderSource(), BirthdaySource(), JoiningSource()]


@dataclass
class TodayService:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    sources: list[TodaySource] = field(default_factory=default_sources)

    def compute(self, on: date | None = None, days: int = 7) -> TodayView:
        """Overdue items, items due on ``on`` (default: today) and the next ``days`` days."""
        today = on or self.clock.today()
        start = today - timedelta(days=DERIVED_LOOKBACK_DAYS)
        end = today + timedelta(days=days)
        overdue, due_today, upcoming = [], [], []
        for source in self.sources:
            for item in source.items(start, end, today, self.clock):
                if item.on < today:
                    overdue.append(item)
                elif item.on == today:
                    due_today.append(item)
                else:
                    upcoming.append(item)
        for bucket in (overdue, due_today, upcoming):
            bucket.sort(key=_sort_key)
        return TodayView(today, overdue, due_today, upcoming)

    def mark_done(self, item: TodayItem) -> None:
        """Done for this occurrence only."""
        if item.kind == "reminder":
            raise ValueError("Complete reminders through ReminderService.complete")
        with self.database.atomic():
            state, _created = OccurrenceState.get_or_create(
                kind=item.kind, candidate=item.candidate_id, occurs_on=item.on
            )
            state.done_at = self.clock.now()
            state.save()
        ids = (item.candidate_id,) if item.candidate_id else ()
        self.hub.emit(Change("occurrence", "done", (state.id,), ids))


def _sort_key(item: TodayItem) -> tuple:
    due = item.due_at or datetime.combine(item.on, time(), UTC)
    return (item.on, item.due_at is not None, due, item.title)
