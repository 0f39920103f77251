"""Where the time comes from.

This is the only module that asks the operating system for the time. Everything else takes a
``Clock`` so tests can set and advance time (DST changes, sleep gaps, midnight rollover).
Times are aware datetimes; ``now()`` is UTC, ``local_now()`` is in the clock's time zone.
``monotonic()`` is elapsed seconds that never jump; comparing it with ``now()`` is how the alert
scheduler notices that the machine slept (wall time moved on, monotonic time did not).
"""

from __future__ import annotations

import contextlib
import os
import time
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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

    def monotonic(self) -> float:
        """Seconds from an arbitrary start that never go back and (on Linux and macOS) do not
        advance while the machine is suspended."""
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

    def monotonic(self) -> float:
        return time.monotonic()

    def tz(self) -> tzinfo:
        # Re-read each call: the user may travel (change zone) while the app is running.
        named = _system_zone()
        if named is not None:
            return named
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


class SettableClock(_ClockBase):
    """A clock tests (and the headless ``today --date``) can set and advance."""

    def __init__(self, start: datetime, tz: tzinfo | str = "UTC") -> None:
        self._tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._now = _as_utc(start, self._tz)
        self._monotonic = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def tz(self) -> tzinfo:
        return self._tz

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (naive values are taken as local time), like the user setting the
        clock: monotonic time does not move."""
        self._now = _as_utc(when, self._tz)

    def advance(self, delta: timedelta) -> None:
        """Time passes while the machine is awake: wall and monotonic time move together."""
        self._now = self._now + delta
        self._monotonic += delta.total_seconds()

    def suspend(self, delta: timedelta) -> None:
        """The machine sleeps for ``delta``: wall time moves on, monotonic time does not."""
        self._now = self._now + delta

    def set_zone(self, tz: tzinfo | str) -> None:
        """The user travels: same instant, another local time zone."""
        self._tz = ZoneInfo(tz) if isinstance(tz, str) else tz


def _system_zone() -> tzinfo | None:
    """The OS time zone as an IANA zone, which knows its DST rules (a fixed UTC offset does not,
    so "every day at 09:00" or "tomorrow morning" across a DST change would be an hour off).

    From ``TZ``, else the ``/etc/localtime`` link (Linux, macOS); ``None`` where neither names a
    zone (Windows), and the caller falls back to the current offset.
    """
    names = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            names.append(target.split("zoneinfo/", 1)[1])
    for name in names:
        if name and not name.startswith("/"):
            with contextlib.suppress(ValueError, OSError, ZoneInfoNotFoundError):
                return ZoneInfo(name)
    return None


def _as_utc(when: datetime, tz: tzinfo) -> datetime:
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return when.astimezone(UTC)


def start_of_local_day(day: date, tz: tzinfo) -> datetime:
    """The UTC instant at which ``day`` begins in ``tz`` (local midnight, DST-aware)."""
    return datetime.combine(day, datetime.min.time(), tz).astimezone(UTC)
