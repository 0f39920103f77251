"""Dates and times for people, via babel, in a given locale (the user's or the candidate's)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.dates import format_time as _babel_time

from crm_desktop.i18n import _

DEFAULT_LOCALE = "en_GB"


def day_heading(day: date, today: date, locale: str = DEFAULT_LOCALE) -> str:
    """The heading of a day: Today, Yesterday, Tomorrow, else e.g. "Tuesday 3 March" in the
    locale's own order ("Di., 3. März"), with the year when it is not this year."""
    delta = (day - today).days
    if delta == 0:
        return _("Today")
    if delta == -1:
        return _("Yesterday")
    if delta == 1:
        return _("Tomorrow")
    skeleton = "MMMMEEEEd" if day.year == today.year else "yMMMMEEEEd"
    return format_skeleton(skeleton, day, locale=locale)


def short_date(day: date, today: date, locale: str = DEFAULT_LOCALE) -> str:
    """A compact date for lists: "3 Mar", or "3 Mar 2024" when not this year."""
    skeleton = "MMMd" if day.year == today.year else "yMMMd"
    return format_skeleton(skeleton, day, locale=locale)


def long_date(day: date, locale: str = DEFAULT_LOCALE) -> str:
    return _babel_date(day, "long", locale=locale)


def local_time(when: datetime, tz: tzinfo, locale: str = DEFAULT_LOCALE) -> str:
    """Clock time of an aware UTC instant in the user's zone, e.g. "14:05"."""
    return _babel_time(when.astimezone(tz), "short", locale=locale)


def relative_days(day: date, today: date) -> str:
    """ "today", "3 days ago", "in 2 days": for ages of things."""
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta < 0:
        return _("{n} days ago").format(n=-delta) if delta < -1 else _("yesterday")
    return _("in {n} days").format(n=delta) if delta > 1 else _("tomorrow")
