"""What every importer produces: one ``ImportRecord`` per row or card, plus value parsers.

A record is either a ``CandidateInput`` ready for the core's validation, or the reasons it could
not be built (a date nobody can read). Parsing is forgiving in what it accepts (the date shapes
Outlook, Google, Apple and LinkedIn write, several values in one cell) and precise in what it
reports: each problem names the field and quotes the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from crm_desktop.core.candidates import CandidateInput, display_name
from crm_desktop.core.validation import PartialDate
from crm_desktop.i18n import _

MAX_URL = 2000
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januar", "janvier", "enero"),
            ("feb", "february", "februar", "février", "febrero"),
            ("mar", "march", "märz", "mars", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juni", "juin", "junio"),
            ("jul", "july", "juli", "juillet", "julio"),
            ("aug", "august", "août", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "oktober", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dezember", "décembre", "diciembre"),
        ),
        start=1,
    )
    for name in names
}
# Values that spreadsheets and address books write for "no date".
_NO_DATE = {"0/0/00", "00/00/0000", "0000-00-00", "1/1/1601", "1601-01-01"}


class ContactValue(NamedTuple):
    """An e-mail, phone or URL with the label the source gave it ("work", "mobile", ...).

    A named tuple: a large import makes one or two per row."""

    kind: str
    value: str
    label: str = ""


@dataclass(slots=True)
class ImportRecord:
    """One row or card: the candidate it describes, or why it cannot be imported."""

    line: int
    data: CandidateInput | None = None
    contacts: tuple[ContactValue, ...] = ()
    consent_date: date | None = None
    consent_basis: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.data is None:
            return ""
        return display_name(self.data.first_name, self.data.last_name)


class UnreadableValueError(ValueError):
    """A value that cannot be read; the message quotes it."""


def split_name(full: str) -> tuple[str, str]:
    """ "Ada Lovelace" -> (Ada, Lovelace); "Lovelace, Ada" -> (Ada, Lovelace)."""
    full = " ".join(full.split())
    if "," in full:
        last, _sep, first = full.partition(",")
        return first.strip(), last.strip()
    if " " not in full:
        return full, ""
    first, _sep, last = full.rpartition(" ")
    return first, last


_VALUE_SEPARATOR = re.compile(r"\s*(?::::|;|\n|\r)\s*")
_ADDRESS_SEPARATOR = re.compile(r"[,\s]+")
_ANY_SEPARATOR = re.compile(r"[;\n\r]|:::")


def split_values(cell: str, kind: str) -> list[str]:
    """Several values in one cell: "a@x.org; b@y.org", Google's "a ::: b", one per line."""
    address = kind in ("email", "url")
    if not _ANY_SEPARATOR.search(cell) and not (address and _ADDRESS_SEPARATOR.search(cell)):
        value = cell.strip()  # one value: the common case, a hundred thousand times
        return [value] if value else []
    parts = _VALUE_SEPARATOR.split(cell)
    if address:
        parts = [p for part in parts for p in _split_addresses(part, kind)]
    return [p.strip() for p in parts if p.strip()]


def _split_addresses(part: str, kind: str) -> list[str]:
    """ "a@x.org, b@y.org" is two addresses; "not an e-mail" is one bad value, quoted whole in
    the message rather than as "not"."""
    pieces = [p for p in _ADDRESS_SEPARATOR.split(part) if p]
    mark = "@" if kind == "email" else "."
    return pieces if all(mark in p for p in pieces) else [part]


def parse_url(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_URL or re.search(r"\s", value) or "." not in value:
        raise UnreadableValueError(_("“{value}” is not a web address").format(value=value[:80]))
    return value


def parse_partial_date(text: str, field_name: str, month_first: bool = True) -> PartialDate | None:
    """A date in any common shape, the year optional: 1985-03-14, --03-14, --0314, 19850314,
    3/14/1985 (``month_first``) or 14/3/1985, 14.03.1985, 14 Mar 1985, March 14, 1985-03-14T00:00Z.
    Empty text and placeholders like Outlook's 0/0/00 mean no date."""
    text = text.strip()
    if not text or text in _NO_DATE:
        return None
    found = _read_date(text.removesuffix("Z").split("T")[0] if "T" in text else text, month_first)
    if found is None:
        raise UnreadableValueError(
            _("{field}: “{value}” is not a date I can read (try YYYY-MM-DD)").format(
                field=field_name, value=text[:40]
            )
        )
    year, month, day = found
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise UnreadableValueError(
            _("{field}: “{value}” is not a real date").format(field=field_name, value=text[:40])
        )
    return PartialDate(month, day, year)


def parse_full_date(text: str, field_name: str, month_first: bool = True) -> date | None:
    partial = parse_partial_date(text, field_name, month_first)
    if partial is None:
        return None
    if partial.year is None:
        raise UnreadableValueError(
            _("{field}: “{value}” needs a year").format(field=field_name, value=text[:40])
        )
    try:
        return date(partial.year, partial.month, partial.day)
    except ValueError:
        raise UnreadableValueError(
            _("{field}: “{value}” is not a real date").format(field=field_name, value=text[:40])
        ) from None


def _read_date(text: str, month_first: bool) -> tuple[int | None, int, int] | None:
    if m := re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})", text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"--(\d{2})-?(\d{2})", text):
        return None, int(m[1]), int(m[2])
    if m := re.fullmatch(r"(\d{1,2})([/.])(\d{1,2})(?:[/.](\d{2,4}))?\.?", text):
        first, second = int(m[1]), int(m[3])
        year = _year(m[4]) if m[4] else None
        day_first = m[2] == "." or first > 12 or (not month_first and second <= 12)
        return (year, second, first) if day_first else (year, first, second)
    words = re.findall(r"[^\W\d_]+\.?|\d+", text.casefold())
    month = next((_MONTHS[w.rstrip(".")] for w in words if w.rstrip(".") in _MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    if month is None or not numbers or len(words) > 4:
        return None
    day = next((n for n in numbers if n <= 31), None)
    year = next((n for n in numbers if n > 31), None)
    if day is None:
        return None
    return year, month, day


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years: birthdays are in the past
        year += 1900 if year > 30 else 2000
    return year
