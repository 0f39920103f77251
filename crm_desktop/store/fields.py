"""Column types with the conventions of DESIGN.md: UTC timestamps, plain dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import peewee

_UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UtcDateTimeField(peewee.TextField):
    """An aware datetime stored as fixed-width ISO-8601 UTC text (so it sorts as text)."""

    field_type = "TEXT"

    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError("UtcDateTimeField needs an aware datetime")
        return value.astimezone(UTC).strftime(_UTC_FORMAT)

    def python_value(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        # fromisoformat reads the stored "...Z" form (Python 3.11+) ~50x faster than strptime.
        return datetime.fromisoformat(value)


class PlainDateField(peewee.TextField):
    """A calendar date without time (joining day, consent date) stored as YYYY-MM-DD."""

    field_type = "TEXT"

    def db_value(self, value: date | str | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()

    def python_value(self, value: str | None) -> date | None:
        return None if value is None else date.fromisoformat(value)


def month_day(month: int | None, day: int | None) -> int | None:
    """The index key for yearly dates: 1231 for 31 December, ``None`` when unknown."""
    if month is None or day is None:
        return None
    return month * 100 + day
