"""The recruiter's preferences: declared here in code, stored as JSON in the ``setting`` table.

Declaring each preference once (key, default, how to read it back) keeps the defaults in one
place and means a value that is missing, or that an older or newer Rapport wrote in a shape this
one does not understand, quietly falls back to the default instead of breaking start-up. The
values live in the profile's database rather than in QSettings so the headless commands, a
backup and a restore all carry them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Generic, TypeVar

import peewee

from crm_desktop.core.events import Change, EventHub
from crm_desktop.store.models import Setting

log = logging.getLogger(__name__)

T = TypeVar("T")

# Statuses that can have a default follow-up cadence. Do-not-contact never gets follow-ups.
FOLLOW_UP_STATUSES = ("active", "passive", "placed")
MAX_CADENCE_DAYS = 3650  # the candidate form's own limit


@dataclass(frozen=True)
class Pref(Generic[T]):
    """One preference: its storage key, its default, and how it is written and read back.

    ``decode`` raises ``ValueError`` (or ``TypeError``/``KeyError``) for a value it cannot use.
    """

    key: str
    default: T
    encode: Callable[[T], Any]
    decode: Callable[[Any], T]


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


def _time(value: Any) -> time:
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def _date_or_none(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _cadences(value: Any) -> dict[str, int | None]:
    """status -> days between follow-ups (``None``: no automatic follow-ups for that status)."""
    if not isinstance(value, Mapping):
        raise TypeError("not a mapping")
    cadences: dict[str, int | None] = {}
    for status in FOLLOW_UP_STATUSES:
        days = value.get(status, DEFAULT_CADENCES[status])
        if days is not None and (
            isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_CADENCE_DAYS
        ):
            raise ValueError(f"bad cadence for {status}: {days!r}")
        cadences[status] = days
    return cadences


# Active candidates hear from you monthly; passive ones and those you placed, quarterly.
DEFAULT_CADENCES: dict[str, int | None] = {"active": 30, "passive": 90, "placed": 90}

DIGEST_ENABLED = Pref("notify.digest_enabled", True, bool, _bool)
DIGEST_TIME = Pref("notify.digest_time", time(8, 30), lambda t: t.strftime("%H:%M"), _time)
FOLLOW_UP_DAYS = Pref("follow_up.default_days", dict(DEFAULT_CADENCES), dict, _cadences)
CLOSE_TO_TRAY = Pref("window.close_to_tray", True, bool, _bool)
TRAY_HINT_SHOWN = Pref("window.tray_hint_shown", False, bool, _bool)
START_AT_LOGIN = Pref("system.start_at_login", False, bool, _bool)
# Bookkeeping of the alert engine, not shown in the dialog: the morning digest is once a day.
DIGEST_SENT_ON = Pref(
    "notify.digest_sent_on",
    None,
    lambda d: None if d is None else d.isoformat(),
    _date_or_none,
)


class Preferences:
    """Reads and writes declared preferences; announces writes as ``Change("preference", ...)``.

    Values are cached: the Today sources read the follow-up cadences on every refresh.
    """

    def __init__(self, hub: EventHub, database: peewee.Database) -> None:
        self._hub = hub
        self._database = database
        self._cache: dict[str, Any] = {}

    def get(self, pref: Pref[T]) -> T:
        if pref.key in self._cache:
            return self._cache[pref.key]
        row = Setting.get_or_none(Setting.key == pref.key)
        value = pref.default
        if row is not None:
            try:
                value = pref.decode(json.loads(row.value))
            except (ValueError, TypeError, KeyError, AttributeError):
                log.warning("Ignoring unreadable preference %s=%r", pref.key, row.value)
        self._cache[pref.key] = value
        return value

    def set(self, pref: Pref[T], value: T, *, announce: bool = True) -> None:
        """Store ``value``; raises ``ValueError`` when it is not a valid value of ``pref``.

        ``announce=False`` is for bookkeeping values nobody needs to refresh for.
        """
        encoded = pref.encode(value)
        try:
            value = pref.decode(encoded)  # the same check a later read will make
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"{pref.key}: {exc}") from exc
        with self._database.atomic():
            Setting.replace(key=pref.key, value=json.dumps(encoded)).execute()
        self._cache[pref.key] = value
        if announce:
            self._hub.emit(Change("preference", "updated"))

    def cadences(self) -> dict[str, int | None]:
        """Default follow-up cadence per status (the follow-up Today source reads this)."""
        return self.get(FOLLOW_UP_DAYS)

    def forget_cache(self) -> None:
        """Re-read from the database on next access (after a restore, say)."""
        self._cache.clear()
