"""Which alerts to raise and when: the Qt-free heart of the notification scheduler.

The promise is *never miss, never repeat*. Everything that decides it lives here so it can be
tested with a settable clock over a simulated year; ``notify.scheduler`` only drives a QTimer.

- A reminder is due at its due time (or the end of its snooze). Other items are whole-day
  occasions: they fall due at the digest time on their day.
- ``check`` collects every due item that was not alerted yet, **records it as alerted in the same
  transaction**, and only then returns the alerts to raise. Whatever happens next (a crash, a
  restart), nothing is raised twice; an alert can be lost only if the process dies in the few
  microseconds between commit and display. The record is ``Reminder.notified_at`` for reminders
  and ``OccurrenceState.notified_at`` (kind + candidate + date) for derived items.
- What fell due while Rapport was closed or the machine slept is raised once, as one digest, at
  the next start (``START``) or wake (``WAKE``); the scheduler tells wake from a normal tick by
  comparing wall time with monotonic time (``WakeDetector``).
- The morning digest summarises the day once per day (``DIGEST_SENT_ON``) at the chosen time.
- ``next_wakeup`` says when something next falls due, for the scheduler's one timer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core import digest
from crm_desktop.core.preferences import (
    DIGEST_ENABLED,
    DIGEST_SENT_ON,
    DIGEST_TIME,
    Preferences,
)
from crm_desktop.core.reminders import local_wall_time
from crm_desktop.core.today import (
    DERIVED_LOOKBACK_DAYS,
    REMINDER,
    TodayItem,
    TodayService,
    parse_utc,
    raw_rows,
    sort_key,
    utc_text,
)
from crm_desktop.i18n import _
from crm_desktop.store.models import OccurrenceState, Reminder
from crm_desktop.store.params import chunks

log = logging.getLogger(__name__)

# Why a check runs: it decides whether what is due comes as one digest or one by one.
START = "start"  # the app just started: what fell due while it was closed
WAKE = "wake"  # the machine just woke: what fell due while it slept
TICK = "tick"  # the timer fired or the data changed: what is due now

# How each kind of item alerts. Kinds not listed are whole-day occasions (``DAY``).
TIMED = "timed"  # at its due time (reminders)
DAY = "day"  # at the digest time on its day
SUMMARY_ONLY = "summary_only"  # only counted in the morning digest, never alerted alone
ALERT_POLICY: Mapping[str, str] = {
    REMINDER: TIMED,
    # An owed update appears the moment the recruiter changes a stage: alerting it then would
    # only echo their own click. The morning digest counts them instead.
    "owed_update": SUMMARY_ONLY,
}

SEPARATE_LIMIT = 3  # more reminders than this due at once come as one alert
PURGE_AFTER_DAYS = 31  # alert records of occurrences older than this can no longer matter
SLEEP_TOLERANCE_S = 90.0  # wall time running ahead of monotonic time by more means a sleep

# Alert kinds.
ALERT_REMINDER = "reminder"  # one reminder, at its time
ALERT_ITEM = "item"  # one occasion that fell due after the morning digest
ALERT_GROUP = "group"  # several due at the same moment
ALERT_DIGEST = "digest"  # the morning digest
ALERT_CATCH_UP = "catch_up"  # what fell due while closed or asleep (with the day's digest)


@dataclass(frozen=True)
class Alert:
    """Something to show the recruiter once: a title, a plain-text body, the items it lists.

    ``due`` are the items this alert is *the* alert for (recorded as alerted); ``items`` may
    also list others for context, such as the rest of today in a digest.
    """

    kind: str
    title: str
    body: str
    items: tuple[TodayItem, ...] = ()
    due: tuple[TodayItem, ...] = ()

    @property
    def single(self) -> TodayItem | None:
        """The one item this alert is about, or ``None`` for digests of several."""
        return self.items[0] if len(self.items) == 1 else None


@dataclass
class WakeDetector:
    """Notices that the machine slept: wall time moved on further than monotonic time did.

    (Monotonic time stops during suspend on Linux and macOS. On Windows it does not, so a wake
    there shows up as the periodic re-sync finding things due: still raised once, not lost.)
    """

    tolerance_s: float = SLEEP_TOLERANCE_S
    _wall: datetime | None = None
    _mono: float = 0.0

    def observe(self, wall: datetime, mono: float) -> bool:
        """Record a reading; True when, since the previous one, the machine slept."""
        slept = False
        if self._wall is not None:
            wall_s = (wall - self._wall).total_seconds()
            slept = wall_s - (mono - self._mono) > self.tolerance_s
        self._wall, self._mono = wall, mono
        return slept


@dataclass
class AlertEngine:
    clock: Clock
    today: TodayService
    preferences: Preferences
    database: peewee.Database
    policies: Mapping[str, str] = field(default_factory=lambda: dict(ALERT_POLICY))

    def check(self, why: str = TICK) -> list[Alert]:
        """Everything due now and not alerted yet, recorded as alerted, as alerts to raise."""
        now = self.clock.now()
        today = self.clock.today()
        with self.database.atomic("IMMEDIATE"):
            if why == START:
                self._purge(today)
            items = self.today.items(today - timedelta(days=DERIVED_LOOKBACK_DAYS), today, today)
            due = self._unalerted([i for i in items if self._is_due(i, now)])
            day_digest = self._digest_due(now, today)
            if why in (START, WAKE) and due:
                alerts = [self._catch_up(why, due, items, today, day_digest)]
            else:
                alerts = self._morning(items, due, today) if day_digest else []
                covered = day_digest and bool(alerts)
                alerts += self._separate(
                    [i for i in due if not covered or self._policy(i) == TIMED], today
                )
            self._record(due, now)
            if day_digest:
                self.preferences.set(DIGEST_SENT_ON, today, announce=False)
        for alert in alerts:
            log.info("Alert (%s): %s", alert.kind, alert.title)
        return alerts

    def next_wakeup(self) -> datetime:
        """When something next falls due (a reminder, or the next digest time), in UTC."""
        now = self.clock.now()
        effective_due = peewee.fn.MAX(
            Reminder.due_at, peewee.fn.COALESCE(Reminder.snoozed_until, Reminder.due_at)
        )
        query = Reminder.select(peewee.fn.MIN(effective_due)).where(
            Reminder.done_at.is_null()
            & Reminder.notified_at.is_null()
            & (effective_due > utc_text(now))
        )
        [(text,)] = raw_rows(query)
        next_day = self._next_day_alert(now)
        return min(next_day, parse_utc(text)) if text else next_day

    def summary(self) -> Alert:
        """Today's digest on request (the tray menu): what today holds; nothing is recorded."""
        today = self.clock.today()
        items = self.today.items(today - timedelta(days=DERIVED_LOOKBACK_DAYS), today, today)
        todays = sorted((i for i in items if i.on == today), key=sort_key)
        overdue = sorted((i for i in items if i.on < today), key=sort_key)
        if not todays and not overdue:
            return Alert(ALERT_DIGEST, _("Nothing due today"), _("You are all caught up."))
        title = (
            _("Today: {what}").format(what=digest.count_phrase(todays))
            if todays
            else _("Nothing new today")
        )
        text = digest.body(todays, today, self.clock.tz()) if todays else ""
        if overdue:
            line = _("Overdue: {what}").format(what=digest.count_phrase(overdue))
            text = f"{text}\n{line}" if text else line
        return Alert(ALERT_DIGEST, title, text, tuple([*todays, *overdue]))

    # --- deciding -------------------------------------------------------------------------

    def _policy(self, item: TodayItem) -> str:
        return self.policies.get(item.kind, DAY)

    def _is_due(self, item: TodayItem, now: datetime) -> bool:
        policy = self._policy(item)
        if policy == TIMED:
            return item.due_at is not None and item.due_at <= now
        if policy == DAY:
            return self._day_alert_at(item.on) <= now
        return False

    def _day_alert_at(self, day: date) -> datetime:
        return local_wall_time(day, self.preferences.get(DIGEST_TIME), self.clock.tz())

    def _next_day_alert(self, now: datetime) -> datetime:
        day = now.astimezone(self.clock.tz()).date()
        at = self._day_alert_at(day)
        return at if at > now else self._day_alert_at(day + timedelta(days=1))

    def _digest_due(self, now: datetime, today: date) -> bool:
        return (
            self.preferences.get(DIGEST_ENABLED)
            and self._day_alert_at(today) <= now
            and self.preferences.get(DIGEST_SENT_ON) != today
        )

    # --- the alerts -----------------------------------------------------------------------

    def _morning(
        self, items: Sequence[TodayItem], due: Sequence[TodayItem], today: date
    ) -> list[Alert]:
        """The day's digest; it covers (and so records) the day's due occasions."""
        todays = sorted((i for i in items if i.on == today), key=sort_key)
        covered = [i for i in due if self._policy(i) == DAY]
        if not todays and not covered:
            return []
        overdue = sum(1 for i in items if i.on < today)
        title = (
            _("Today: {what}").format(what=digest.count_phrase(todays))
            if todays
            else _("Still to do: {what}").format(what=digest.count_phrase(covered))
        )
        earlier = [i for i in covered if i.on != today]
        lines = digest.body([*todays, *earlier], today, self.clock.tz())
        if overdue:
            lines += "\n" + _("{n} overdue").format(n=overdue)
        shown = tuple(_unique([*todays, *covered]))
        return [Alert(ALERT_DIGEST, title, lines, shown, tuple(covered))]

    def _catch_up(
        self,
        why: str,
        due: Sequence[TodayItem],
        items: Sequence[TodayItem],
        today: date,
        with_day: bool,
    ) -> Alert:
        missed = sorted(due, key=sort_key)
        lead = (
            _("While Rapport was closed: {what}")
            if why == START
            else _("While your computer was asleep: {what}")
        )
        title = lead.format(what=digest.count_phrase(missed))
        text = digest.body(missed, today, self.clock.tz())
        shown = list(missed)
        if with_day:
            seen = {i.key for i in missed}  # a set: thousands of items at 150k candidates
            todays = [i for i in items if i.on == today and i.key not in seen]
            if todays:
                text += "\n" + _("Also today: {what}").format(what=digest.count_phrase(todays))
                shown.extend(todays)
        return Alert(ALERT_CATCH_UP, title, text, tuple(shown), tuple(missed))

    def _separate(self, due: Sequence[TodayItem], today: date) -> list[Alert]:
        """Alerts for what fell due at this moment: one each, or one for many."""
        due = sorted(due, key=sort_key)
        tz = self.clock.tz()
        if len(due) > SEPARATE_LIMIT:
            title = _("Due now: {what}").format(what=digest.count_phrase(due))
            text = digest.body(due, today, tz)
            return [Alert(ALERT_GROUP, title, text, tuple(due), tuple(due))]
        alerts = []
        for item in due:
            if item.kind == REMINDER:
                alerts.append(
                    Alert(
                        ALERT_REMINDER,
                        item.title,
                        _reminder_body(item, today, tz),
                        (item,),
                        (item,),
                    )
                )
            else:
                alerts.append(Alert(ALERT_ITEM, item.title, item.reason, (item,), (item,)))
        return alerts

    # --- the record -----------------------------------------------------------------------

    def _unalerted(self, due: Sequence[TodayItem]) -> list[TodayItem]:
        """``due`` without what was alerted already (and without what cannot be recorded)."""
        reminder_ids = [i.ref_id for i in due if i.kind == REMINDER]
        pending: set[int] = set()
        for chunk in chunks(reminder_ids):
            query = Reminder.select(Reminder.id).where(
                Reminder.id.in_(chunk) & Reminder.notified_at.is_null()
            )
            pending.update(rid for (rid,) in query.tuples())
        derived = [i for i in due if i.kind != REMINDER and i.candidate_id is not None]
        alerted: set[tuple] = set()
        if derived:
            query = OccurrenceState.select(
                OccurrenceState.kind, OccurrenceState.candidate, OccurrenceState.occurs_on
            ).where(
                OccurrenceState.kind.in_(sorted({i.kind for i in derived}))
                & OccurrenceState.notified_at.is_null(False)
                & (OccurrenceState.occurs_on >= min(i.on for i in derived).isoformat())
                & (OccurrenceState.occurs_on <= max(i.on for i in derived).isoformat())
            )
            alerted = set(query.tuples())
        fresh = [i for i in due if i.kind == REMINDER and i.ref_id in pending]
        fresh += [i for i in derived if (i.kind, i.candidate_id, i.on) not in alerted]
        return fresh

    def _record(self, items: Sequence[TodayItem], now: datetime) -> None:
        reminder_ids = [i.ref_id for i in items if i.kind == REMINDER]
        for chunk in chunks(reminder_ids):
            Reminder.update(notified_at=now).where(
                Reminder.id.in_(chunk) & Reminder.notified_at.is_null()
            ).execute()
        rows = [
            {
                "kind": i.kind,
                "candidate": i.candidate_id,
                "occurs_on": i.on,
                "notified_at": now,
            }
            for i in items
            if i.kind != REMINDER and i.candidate_id is not None
        ]
        for chunk in chunks(rows, 150):
            OccurrenceState.insert_many(chunk).on_conflict(
                conflict_target=[
                    OccurrenceState.kind,
                    OccurrenceState.candidate,
                    OccurrenceState.occurs_on,
                ],
                update={OccurrenceState.notified_at: now},
                where=OccurrenceState.notified_at.is_null(),
            ).execute()

    def _purge(self, today: date) -> None:
        """Drop alert records of occurrences long past (rows that record nothing else)."""
        cutoff = today - timedelta(days=PURGE_AFTER_DAYS)
        OccurrenceState.delete().where(
            OccurrenceState.done_at.is_null() & (OccurrenceState.occurs_on < cutoff.isoformat())
        ).execute()


def _reminder_body(item: TodayItem, today: date, tz: tzinfo) -> str:
    """ "10:30 · Lena Brandt", then the first line of the notes."""
    when = digest.when(item, today, tz)
    first = " · ".join(part for part in (when, item.candidate_name) if part)
    if item.reason and item.reason != _("Reminder"):
        return f"{first}\n{item.reason}"
    return first


def _unique(items) -> list[TodayItem]:
    seen: dict[str, TodayItem] = {}
    for item in items:
        seen.setdefault(item.key, item)
    return list(seen.values())
