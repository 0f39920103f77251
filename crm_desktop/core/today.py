"""What the recruiter owes today: reminders plus items derived from the data.

Derived items (birthdays, joining days, work anniversaries, follow-ups, and the pipeline's owed
updates and interviews) are computed from the data, not stored as copies. Marking one done
records it in ``OccurrenceState`` for that date only, so "birthday wished, 2027" sticks without
hiding 2028. Each kind of item is a small *source* (``TodaySource``); a new kind of item is one
more source appended to ``TodayService.sources``.

Speed matters here (the benchmark computes Today over 150,000 candidates): sources select plain
tuples instead of model instances, and each query is an index range (month-day, last contact).
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import peewee

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.fields import month_day
from crm_desktop.store.models import Candidate, OccurrenceState, Reminder, db

if TYPE_CHECKING:
    from crm_desktop.core.reminders import ReminderService

DERIVED_LOOKBACK_DAYS = 7  # a missed birthday stays "overdue" (belated wishes) for a week

REMINDER = "reminder"  # the one kind the recruiter sets; every other kind is derived


@dataclass(frozen=True)
class TodayItem:
    """One line of the Today panel."""

    key: str  # stable identity, e.g. "reminder:12" or "birthday:5:2026-11-28"
    kind: str  # reminder | birthday | joining_day | anniversary | follow_up | owed_update | ...
    on: date  # the local date it falls due
    due_at: datetime | None  # exact time for reminders, None for all-day items
    title: str
    reason: str
    candidate_id: int | None = None
    candidate_name: str = ""
    ref_id: int | None = None  # reminder id for reminders, application id for pipeline items


@dataclass(frozen=True)
class TodayView:
    on: date
    overdue: list[TodayItem]
    today: list[TodayItem]
    upcoming: list[TodayItem]
    more_overdue: int = 0  # due but not listed (``compute(limit=...)``)
    more_today: int = 0

    @property
    def overdue_count(self) -> int:
        """How many items are overdue, listed or not."""
        return len(self.overdue) + self.more_overdue

    @property
    def today_count(self) -> int:
        return len(self.today) + self.more_today

    @property
    def total(self) -> int:
        return self.overdue_count + self.today_count + len(self.upcoming)

    def all(self) -> list[TodayItem]:
        return [*self.overdue, *self.today, *self.upcoming]

    def summary(self) -> str:
        return _("{overdue} overdue, {today} today, {upcoming} in the next days").format(
            overdue=self.overdue_count, today=self.today_count, upcoming=len(self.upcoming)
        )


class TodaySource(Protocol):
    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        """Open items falling due between ``start`` and ``end`` (inclusive, local dates).

        Reminders are open until completed however old they are, so the reminder source also
        returns those due before ``start``.
        """
        ...


@runtime_checkable
class PagedSource(TodaySource, Protocol):
    """A source that can owe thousands of items at once (follow-ups) lists part of them."""

    def listed(
        self, start: date, end: date, today: date, clock: Clock, limit: int | None
    ) -> tuple[list[TodayItem], Counter[date]]:
        """At most ``limit`` items due before ``today`` and ``limit`` due from ``today`` on,
        and how many more fall due on each day."""
        ...


# --- helpers shared by the sources ------------------------------------------------------------


def alive(column: peewee.Field = Candidate.deleted_at) -> peewee.Expression:
    """``deleted_at IS NULL``, written exactly so: the store's partial indexes are declared
    ``WHERE deleted_at IS NULL`` and SQLite uses one only when the query says the same."""
    return column.is_null()


def raw_rows(query: peewee.Query) -> list[tuple]:
    """Run ``query`` and return plain tuples, skipping peewee's per-value conversion.

    Timestamps then come back as their stored ISO text; ``parse_utc`` reads them ten times
    faster than the field's ``strptime``.
    """
    sql, params = query.sql()
    return db.execute_sql(sql, params).fetchall()


def parse_utc(text: str) -> datetime:
    """A stored UTC timestamp ("2026-11-27T09:00:00.000000Z") as an aware datetime."""
    return datetime.fromisoformat(text)


def utc_text(when: datetime) -> str:
    """An aware datetime in the stored form, for comparisons in raw SQL."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def yearly_dates(start: date, end: date) -> dict[int, list[date]]:
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


# --- the sources ------------------------------------------------------------------------------


def open_reminders_query(before: datetime) -> peewee.Query:
    """Open reminders due before ``before`` (UTC), with their candidate's name; shaped for the
    partial index ``reminder_open_due`` (schema v7), so completed reminders are never read."""
    return (
        Reminder.select(
            Reminder.id,
            Reminder.title,
            Reminder.notes,
            Reminder.due_at,
            Reminder.snoozed_until,
            Reminder.candidate,
            Candidate.first_name,
            Candidate.last_name,
        )
        .join(Candidate, peewee.JOIN.LEFT_OUTER)
        .where(
            Reminder.done_at.is_null()
            & (Reminder.due_at < before)
            & (Candidate.id.is_null() | alive())
        )
    )


class ReminderSource:
    kind = REMINDER

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        tz = clock.tz()
        end_utc = start_of_local_day(end + timedelta(days=1), tz)
        default_reason = _("Reminder")
        for rid, title, notes, due_text, snoozed_text, cid, first, last in raw_rows(
            open_reminders_query(end_utc)
        ):
            due = parse_utc(due_text)
            if snoozed_text is not None:
                due = max(due, parse_utc(snoozed_text))
            if due >= end_utc:
                continue
            yield TodayItem(
                key=f"reminder:{rid}",
                kind=REMINDER,
                on=due.astimezone(tz).date(),
                due_at=due,
                title=title,
                reason=notes.splitlines()[0] if notes else default_reason,
                candidate_id=cid,
                candidate_name=display_name(first, last) if cid else "",
                ref_id=rid,
            )


class BirthdaySource:
    kind = "birthday"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        dates = yearly_dates(start, end)
        query = Candidate.select(
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.birthday_md,
            Candidate.birthday_year,
        ).where(
            Candidate.birthday_md.in_(list(dates))
            & alive()
            & (Candidate.status != "do_not_contact")
        )
        title_text, turns_text, plain = _("{name}'s birthday"), _("Turns {age}"), _("Birthday")
        for cid, first, last, md, year in raw_rows(query):
            name = display_name(first, last)
            for on in dates[md]:
                yield TodayItem(
                    key=f"birthday:{cid}:{on.isoformat()}",
                    kind=self.kind,
                    on=on,
                    due_at=None,
                    title=title_text.format(name=name),
                    reason=turns_text.format(age=on.year - year) if year else plain,
                    candidate_id=cid,
                    candidate_name=name,
                )


class JoiningSource:
    """Joining days (year 0) and work anniversaries (years 1, 2, ...)."""

    kind = "joining_day"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        dates = yearly_dates(start, end)
        query = Candidate.select(
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.joined_on,
            Candidate.company_name,
            Candidate.joined_md,
        ).where(
            Candidate.joined_md.in_(list(dates)) & alive() & (Candidate.status != "do_not_contact")
        )
        for cid, first, last, joined_text, company, md in raw_rows(query):
            joined_year = int(joined_text[:4])
            name = display_name(first, last)
            at = _(" at {company}").format(company=company) if company else ""
            for on in dates[md]:
                years = on.year - joined_year
                if years < 0:
                    continue
                if years == 0:
                    kind, title = "joining_day", _("{name}'s joining day").format(name=name)
                    reason = _("Starts{at}").format(at=at) if at else _("Joining day")
                else:
                    kind = "anniversary"
                    title = _("{name}'s work anniversary").format(name=name)
                    reason = ngettext("{n} year{at}", "{n} years{at}", years).format(n=years, at=at)
                yield TodayItem(
                    key=f"{kind}:{cid}:{on.isoformat()}",
                    kind=kind,
                    on=on,
                    due_at=None,
                    title=title,
                    reason=reason,
                    candidate_id=cid,
                    candidate_name=name,
                )


def default_sources() -> list[TodaySource]:
    """Reminders, birthdays, joining days and anniversaries (follow-ups need preferences and
    are added by ``build_services``)."""
    return [ReminderSource(), BirthdaySource(), JoiningSource()]


# --- the service ------------------------------------------------------------------------------

DoneHandler = Callable[[TodayItem], None]


@dataclass
class TodayService:
    """Computes the Today view and carries out what the panel does with an item.

    ``done_handlers`` lets a kind say what "done" means for it (an owed update is done when the
    candidate was told); other kinds are done for their occurrence only (``OccurrenceState``).
    """

    clock: Clock
    hub: EventHub
    database: peewee.Database
    sources: list[TodaySource] = field(default_factory=default_sources)
    reminders: ReminderService | None = None
    done_handlers: dict[str, DoneHandler] = field(default_factory=dict)

    def compute(self, on: date | None = None, days: int = 7, limit: int | None = None) -> TodayView:
        """Overdue items, items due on ``on`` (default: today) and the next ``days`` days.

        With ``limit``, a source that can owe thousands at once (follow-ups) lists at most
        that many of its overdue and of its today's items; the view counts the rest.
        """
        today = on or self.clock.today()
        start = today - timedelta(days=DERIVED_LOOKBACK_DAYS)
        end = today + timedelta(days=days)
        found: list[TodayItem] = []
        unlisted: Counter[date] = Counter()
        for source in self.sources:
            if limit is not None and isinstance(source, PagedSource):
                listed, more = source.listed(start, end, today, self.clock, limit)
                found.extend(listed)
                unlisted.update(more)
            else:
                found.extend(source.items(start, end, today, self.clock))
        overdue, due_today, upcoming = [], [], []
        for item in drop_done(found):
            if item.on < today:
                overdue.append(item)
            elif item.on == today:
                due_today.append(item)
            else:
                upcoming.append(item)
        for bucket in (overdue, due_today, upcoming):
            bucket.sort(key=sort_key)
        more_overdue = sum(n for day, n in unlisted.items() if day < today)
        more_today = sum(unlisted.values()) - more_overdue
        return TodayView(today, overdue, due_today, upcoming, more_overdue, more_today)

    def items(self, start: date, end: date, today: date) -> list[TodayItem]:
        """Every open item of every source between ``start`` and ``end`` (plus older open
        reminders), with occurrences marked done left out."""
        found: list[TodayItem] = []
        for source in self.sources:
            found.extend(source.items(start, end, today, self.clock))
        return drop_done(found)

    # --- what the panel does with an item ----------------------------------------------------

    def mark_done(self, item: TodayItem) -> Callable[[], None] | None:
        """Done: a reminder is completed (a repeating one moves on); anything else is done for
        this occurrence only, unless its kind has its own meaning of done.

        Returns a function that undoes it, or ``None`` when that cannot be undone here.
        """
        if item.kind == REMINDER:
            reminders = self._reminder_service()
            reminder_id = _reminder_id(item)
            before = reminders.complete(reminder_id)
            return lambda: reminders.restore(reminder_id, before)
        handler = self.done_handlers.get(item.kind)
        if handler is not None:
            handler(item)
            return None
        self._set_done(item, self.clock.now())
        return lambda: self._set_done(item, None)

    def snooze(self, item: TodayItem, until: datetime) -> int | None:
        """Put an item off until ``until``.

        A reminder simply moves. A derived item (a birthday, a follow-up...) becomes a reminder
        for that moment, linked to its candidate, and its occurrence is set aside so it is not
        listed twice. Returns the new reminder's id in that case.
        """
        reminders = self._reminder_service()
        if item.kind == REMINDER:
            reminders.snooze(_reminder_id(item), until)
            return None
        notes = item.reason if item.reason else ""
        with self.database.atomic():
            reminder_id = reminders.create(
                item.title, until, candidate_id=item.candidate_id, notes=notes
            )
            self._set_done(item, self.clock.now(), announce=False)
        return reminder_id

    def _set_done(self, item: TodayItem, when: datetime | None, announce: bool = True) -> None:
        if item.candidate_id is None:
            raise ValueError(f"{item.kind} items cannot be marked done")
        with self.database.atomic():
            state, _created = OccurrenceState.get_or_create(
                kind=item.kind, candidate=item.candidate_id, occurs_on=item.on
            )
            state.done_at = when
            state.save()
        if announce:
            action = "done" if when is not None else "reopened"
            self.hub.emit(Change("occurrence", action, (state.id,), (item.candidate_id,)))

    def _reminder_service(self) -> ReminderService:
        if self.reminders is None:
            raise RuntimeError("TodayService was built without a ReminderService")
        return self.reminders


def drop_done(items: Sequence[TodayItem]) -> list[TodayItem]:
    """``items`` without the occurrences marked done (one query, whatever the sources)."""
    derived = [i for i in items if i.kind != REMINDER and i.candidate_id is not None]
    if not derived:
        return list(items)
    kinds = sorted({i.kind for i in derived})
    first = min(i.on for i in derived)
    last = max(i.on for i in derived)
    rows = (
        OccurrenceState.select(
            OccurrenceState.kind, OccurrenceState.candidate, OccurrenceState.occurs_on
        )
        .where(
            OccurrenceState.kind.in_(kinds)
            & OccurrenceState.done_at.is_null(False)
            & (OccurrenceState.occurs_on >= first.isoformat())
            & (OccurrenceState.occurs_on <= last.isoformat())
        )
        .tuples()
    )
    done = {(kind, cid, on) for kind, cid, on in rows}
    if not done:
        return list(items)
    return [i for i in items if (i.kind, i.candidate_id, i.on) not in done]


def sort_key(item: TodayItem) -> tuple:
    """By day; whole-day occasions first, then timed items by time; then by title."""
    if item.due_at is None:
        return (item.on, False, 0.0, item.title)
    return (item.on, True, item.due_at.timestamp(), item.title)


def _reminder_id(item: TodayItem) -> int:
    if item.ref_id is None:
        raise ValueError("A reminder item without its reminder id")
    return item.ref_id
