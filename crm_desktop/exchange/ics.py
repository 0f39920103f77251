"""iCalendar (.ics) export: open reminders, interviews, and the yearly celebrations.

Built with the ``icalendar`` library. Each event has a stable UID (``reminder-12@rapport``,
``birthday-5@rapport``...), so importing the file again into a calendar updates the events instead
of duplicating them. Times are written in UTC (calendar apps show them in local time). The
yearly dates are all-day events with ``RRULE:FREQ=YEARLY``; a 29 February birthday repeats on the
last day of February (``BYMONTHDAY=-1``), i.e. on 28 February in common years, as the Today panel
does. People marked "do not contact" and candidates in the trash are left out.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date, datetime, timedelta, tzinfo
from typing import TextIO

import icalendar
import peewee

from crm_desktop import APP_NAME, __version__
from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.i18n import _
from crm_desktop.store.models import Application, Candidate, Company, Job, Reminder

REMINDER_MINUTES = 30
SHORTEST_MONTH = 28
FEBRUARY = 2
INTERVIEW_MINUTES = 60
_RRULE = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}


def build_calendar(clock: Clock) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{APP_NAME}//{APP_NAME} {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add(
        "x-wr-calname", _("{app}: reminders, interviews, celebrations").format(app=APP_NAME)
    )
    stamp = clock.now()
    reminders = _reminders(stamp, clock.tz())
    for event in (*reminders, *_interviews(stamp), *_celebrations(stamp, clock.today())):
        calendar.add_component(event)
    return calendar


def write_calendar(clock: Clock, handle: TextIO) -> int:
    """Write the calendar to ``handle``; returns the number of events."""
    calendar = build_calendar(clock)
    handle.write(calendar.to_ical().decode("utf-8"))
    return len(calendar.subcomponents)


def _event(uid: str, summary: str, stamp: datetime, description: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@rapport")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    return event


def _live() -> peewee.Expression:
    return Candidate.deleted_at.is_null() & (Candidate.status != "do_not_contact")


def _reminders(stamp: datetime, tz: tzinfo) -> list[icalendar.Event]:
    rows = (
        Reminder.select(Reminder, Candidate.first_name, Candidate.last_name)
        .join(Candidate, peewee.JOIN.LEFT_OUTER)
        .where(
            Reminder.done_at.is_null() & (Candidate.id.is_null() | Candidate.deleted_at.is_null())
        )
        .order_by(Reminder.due_at)
    )
    events = []
    for row in rows:
        due = (
            row.snoozed_until
            if row.snoozed_until and row.snoozed_until > row.due_at
            else row.due_at
        )
        who = (
            display_name(row.candidate.first_name, row.candidate.last_name)
            if row.candidate_id
            else ""
        )
        summary = f"{row.title} — {who}" if who else row.title
        event = _event(f"reminder-{row.id}", summary, stamp, row.notes)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(minutes=REMINDER_MINUTES))
        if row.recurrence in _RRULE:
            event.add("rrule", _rrule(row.recurrence, row.repeat_day, due.astimezone(tz)))
        events.append(event)
    return events


def _rrule(recurrence: str, day: int | None, due: datetime) -> dict[str, object]:
    """The repeat rule. Where Rapport moves an occurrence to a shorter month's last day (set for
    the 29th-31st monthly, or 29 February yearly), say so: a plain rule would skip the month."""
    rule: dict[str, object] = {"freq": _RRULE[recurrence]}
    day = day or due.day
    if day > SHORTEST_MONTH and recurrence == "monthly":
        rule["bymonthday"] = list(range(SHORTEST_MONTH, day + 1))
        rule["bysetpos"] = -1
    elif day > SHORTEST_MONTH and recurrence == "yearly" and due.month == FEBRUARY:
        rule.update(bymonth=FEBRUARY, bymonthday=[SHORTEST_MONTH, day], bysetpos=-1)
    return rule


def _interviews(stamp: datetime) -> list[icalendar.Event]:
    rows = (
        Application.select(
            Application.id,
            Application.interview_at,
            Candidate.first_name,
            Candidate.last_name,
            Job.title,
            Company.name,
        )
        .join(Candidate)
        .switch(Application)
        .join(Job)
        .join(Company, peewee.JOIN.LEFT_OUTER)
        .where(Application.interview_at.is_null(False) & Candidate.deleted_at.is_null())
        .order_by(Application.interview_at)
        .tuples()
    )
    events = []
    for app_id, at, first, last, title, company in rows:
        at = Application.interview_at.python_value(at) if isinstance(at, str) else at
        role = _("{title} at {company}").format(title=title, company=company) if company else title
        summary = _("Interview: {name} — {role}").format(name=display_name(first, last), role=role)
        event = _event(f"interview-{app_id}", summary, stamp)
        event.add("dtstart", at)
        event.add("dtend", at + timedelta(minutes=INTERVIEW_MINUTES))
        events.append(event)
    return events


def _celebrations(stamp: datetime, today: date) -> list[icalendar.Event]:
    events = []
    birthdays = Candidate.select(
        Candidate.id,
        Candidate.first_name,
        Candidate.last_name,
        Candidate.birthday_month,
        Candidate.birthday_day,
        Candidate.birthday_year,
    ).where(_live() & Candidate.birthday_md.is_null(False))
    for row in birthdays.order_by(Candidate.birthday_md, Candidate.id):
        name = display_name(row.first_name, row.last_name)
        event = _event(f"birthday-{row.id}", _("{name}'s birthday").format(name=name), stamp)
        _yearly(event, row.birthday_month, row.birthday_day, row.birthday_year or today.year)
        events.append(event)
    joined = Candidate.select(
        Candidate.id, Candidate.first_name, Candidate.last_name, Candidate.joined_on,
        Candidate.company_name,
    ).where(_live() & Candidate.joined_on.is_null(False))  # fmt: skip
    for row in joined.order_by(Candidate.joined_md, Candidate.id):
        name = display_name(row.first_name, row.last_name)
        where = _(" at {company}").format(company=row.company_name) if row.company_name else ""
        summary = _("{name}'s joining day and work anniversary{where}").format(
            name=name, where=where
        )
        description = _("Joined on {date}").format(date=row.joined_on.isoformat())
        event = _event(f"joining-{row.id}", summary, stamp, description)
        _yearly(event, row.joined_on.month, row.joined_on.day, row.joined_on.year)
        events.append(event)
    return events


def _yearly(event: icalendar.Event, month: int, day: int, year: int) -> None:
    """An all-day event on this month and day every year, from ``year`` on."""
    leap_day = month == 2 and day == 29
    start = date(year, 2, 28) if leap_day and not isleap(year) else date(year, month, day)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(days=1))
    rule: dict[str, object] = {"freq": "YEARLY"}
    if leap_day:
        rule.update(bymonth=2, bymonthday=-1)
    event.add("rrule", rule)
    event.add("transp", "TRANSPARENT")
