"""Where the time comes from.

This is the only module that asks the operating system for the time. Everything else takes a
``Clock`` so tests can set and advance time (DST changes, sleep gaps, midnight rollover).
Times are aware datetimes; ``now()`` is UTC, ``local_now()`` is in the clock's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Source of the current time."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...

    def tz(self) -> tzinfo:
        """The user's local time zone."""
        ...

    def local_now(self) -> datetime:
        """The current instant in the user's local time zone."""
        ...

    def today(self) -> date:
        """The user's local calendar date."""
        ...


class _ClockBase:
    def tz(self) -> tzinfo:
        raise NotImplementedError

    def now(self) -> datetime:
        raise NotImplementedError

    def local_now(self) -> datetime:
        return self.now().astimezone(self.tz())

    def today(self) -> date:
        return self.local_now().date()


class SystemClock(_ClockBase):
    """The real clock: the OS wall time and the OS local time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def tz(self) -> tzinfo:
        # Re-read each call: the user may travel (change zone) while the app is running.
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


class SettableClock(_ClockBase):
    """A clock tests (and the headless ``today --date``) can set and advance."""

    def __init__(self, start: datetime, tz: tzinfo | str = "UTC") -> None:
        self._tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._now = _as_utc(start, self._tz)

    def now(self) -> datetime:
        return self._now

    def tz(self) -> tzinfo:
        return self._tz

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (naive values are taken as local time)."""
        self._now = _as_utc(when, self._tz)

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta


def _as_utc(when: datetime, tz: tzinfo) -> datetime:
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return when.astimezone(UTC)


def start_of_local_day(day: date, tz: tzinfo) -> datetime:
    """The UTC instant at which ``day`` begins in ``tz`` (local midnight, DST-aware)."""
    return datetime.combine(day, datetime.min.time(), tz).astimezone(UTC)
