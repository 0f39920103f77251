"""Checks on user input. Each failure names the field and what was wrong with the value."""

from __future__ import annotations

import re
from calendar import isleap
from dataclasses import dataclass
from datetime import date


class ValidationError(Exception):
    """One or more fields are wrong; ``errors`` maps field name -> message. Nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}$")
MIN_YEAR = 1900


@dataclass(frozen=True)
class PartialDate:
    """A yearly date whose year may be unknown (birthdays)."""

    month: int
    day: int
    year: int | None = None

    def isoformat(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def email_problem(value: str) -> str | None:
    """Why ``value`` is not an e-mail address, or ``None`` when it looks like one."""
    if not _EMAIL.match(value):
        return f"“{value}” is not a valid e-mail address (expected name@example.com)"
    return None


_NOT_DIGIT = re.compile(r"\D")
_PHONE_SHAPE = re.compile(r"[\d\s()+\-./]+(?:\s*(?:x|ext\.?)\s*\d+)?", re.I)


def phone_digits(value: str) -> str:
    """The digits of a phone number, whatever its formatting (a leading + is dropped)."""
    return _NOT_DIGIT.sub("", value)


def phone_problem(value: str) -> str | None:
    if not _PHONE_SHAPE.fullmatch(value.strip()):
        return f"“{value}” is not a phone number (only digits, spaces, + ( ) - . are allowed)"
    digits = len(phone_digits(value))
    if not 5 <= digits <= 20:
        return f"“{value}” has {digits} digits; a phone number has 5 to 20"
    return None


def parse_partial_date(text: str, field: str, today: date) -> PartialDate | None:
    """Parse ``YYYY-MM-DD``, ``MM-DD`` or ``--MM-DD``; empty text means no date."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})", text)
    if not match:
        raise ValidationError(
            {field: f"“{text}” is not a date; use YYYY-MM-DD, or MM-DD if the year is unknown"}
        )
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    check_partial_date(PartialDate(month, day, year), field, today)
    return PartialDate(month, day, year)


def check_partial_date(value: PartialDate, field: str, today: date) -> None:
    year = value.year if value.year is not None else 2000  # a leap year: 29 February is fine
    if not 1 <= value.month <= 12 or not 1 <= value.day <= _days_in_month(year, value.month):
        raise ValidationError({field: f"{value.isoformat()} is not a real date"})
    if value.year is not None and not MIN_YEAR <= value.year <= today.year:
        raise ValidationError(
            {field: f"{value.isoformat()}: the year must be between {MIN_YEAR} and {today.year}"}
        )


def parse_date(text: str, field: str) -> date | None:
    """Parse a full ``YYYY-MM-DD`` date; empty text means no date."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        raise ValidationError({field: f"“{text}” is not a date; use YYYY-MM-DD"})
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month) or year < MIN_YEAR:
        raise ValidationError({field: f"{text} is not a real date"})
    return date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31
