"""Export candidates to CSV that spreadsheets open safely.

Cells starting with ``= + - @`` (or a tab / carriage return) would run as formulas in Excel,
LibreOffice and Google Sheets ("CSV injection"); they are prefixed with an apostrophe.
Written as UTF-8 with a BOM so Excel detects the encoding of names like Zoë or Łukasz.
The columns are the ones ``csv_import`` recognises, so an export imports back unchanged
(``unneutralise`` removes the apostrophe again).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from crm_desktop.store.fields import UtcDateTimeField
from crm_desktop.store.models import Candidate, CandidateTag, ContactPoint, Tag

HEADER = (
    "first_name",
    "last_name",
    "headline",
    "company",
    "location",
    "status",
    "source",
    "skills",
    "emails",
    "phones",
    "urls",
    "birthday",
    "joined_on",
    "last_contacted_at",
    "preferred_language",
    "notes",
    "consent_date",
    "consent_basis",
    "tags",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def neutralise(cell: str) -> str:
    """Make a cell inert for spreadsheets (a leading apostrophe shows the text as typed)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def unneutralise(cell: str) -> str:
    """Undo ``neutralise`` when reading a CSV back."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def export_candidates_csv(candidate_ids: list[int], path: Path) -> int:
    """Write these candidates to ``path`` (atomically: a failed export leaves no half file)."""
    temporary = path.with_name(path.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            count = write_candidates_csv(candidate_ids, handle)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def write_candidates_csv(candidate_ids: list[int], handle: TextIO) -> int:
    """Write the header and these candidates to an open text ``handle`` (file or stdout)."""
    writer = csv.writer(handle)
    writer.writerow(HEADER)
    count = 0
    for row in _rows(candidate_ids):
        writer.writerow([neutralise(str(cell)) for cell in row])
        count += 1
    return count


def _rows(candidate_ids: list[int]) -> Iterable[list[str]]:
    to_text = UtcDateTimeField().db_value
    for start in range(0, len(candidate_ids), CHUNK):
        chunk = candidate_ids[start : start + CHUNK]
        contacts: dict[int, dict[str, list[str]]] = {}
        for candidate_id, kind, value in (
            ContactPoint.select(ContactPoint.candidate, ContactPoint.kind, ContactPoint.value)
            .where(ContactPoint.candidate.in_(chunk))
            .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
            .tuples()
        ):
            contacts.setdefault(candidate_id, {}).setdefault(kind, []).append(value)
        tags: dict[int, list[str]] = {}
        for candidate_id, name in (
            CandidateTag.select(CandidateTag.candidate, Tag.name)
            .join(Tag)
            .where(CandidateTag.candidate.in_(chunk))
            .order_by(Tag.name)
            .tuples()
        ):
            tags.setdefault(candidate_id, []).append(name)
        by_id = {c.id: c for c in Candidate.select().where(Candidate.id.in_(chunk))}
        for candidate_id in chunk:
            c = by_id.get(candidate_id)
            if c is None:
                continue
            mine = contacts.get(candidate_id, {})
            birthday = ""
            if c.birthday_month and c.birthday_day:
                year = f"{c.birthday_year:04d}" if c.birthday_year else "-"
                birthday = f"{year}-{c.birthday_month:02d}-{c.birthday_day:02d}"
            yield [
                c.first_name,
                c.last_name,
                c.headline,
                c.company_name,
                c.location,
                c.status,
                c.source,
                c.skills,
                "; ".join(mine.get("email", [])),
                "; ".join(mine.get("phone", [])),
                " ".join(mine.get("url", [])),
                birthday,
                c.joined_on.isoformat() if c.joined_on else "",
                to_text(c.last_contacted_at) if c.last_contacted_at else "",
                c.preferred_language,
                c.notes,
                c.consent_date.isoformat() if c.consent_date else "",
                c.consent_basis,
                "; ".join(tags.get(candidate_id, [])),
            ]
