"""Every export format behind one call, for the export dialog and the ``export`` command."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from crm_desktop.core.services import Services
from crm_desktop.exchange import ics, json_backup, vcard
from crm_desktop.exchange.csv_export import write_candidates_csv
from crm_desktop.i18n import _
from crm_desktop.store.models import Candidate

# format -> (label, file suffix, file-dialog filter)
FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": (_("Spreadsheet (CSV)"), ".csv", _("CSV files (*.csv)")),
    "vcf": (_("Address cards (vCard 3.0)"), ".vcf", _("vCard files (*.vcf)")),
    "ics": (
        _("Calendar: reminders, interviews, celebrations (iCalendar)"),
        ".ics",
        _("iCalendar files (*.ics)"),
    ),
    "json": (_("Full backup of everything (JSON)"), ".json", _("JSON files (*.json)")),
}
# The byte-order mark helps Excel with CSV; other formats are plain UTF-8.
ENCODINGS = {"csv": "utf-8-sig", "vcf": "utf-8", "ics": "utf-8", "json": "utf-8"}


def live_candidate_ids() -> list[int]:
    """Every candidate not in the trash, by name."""
    query = (
        Candidate.select(Candidate.id)
        .where(Candidate.deleted_at.is_null())
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)
        .tuples()
    )
    return [candidate_id for (candidate_id,) in query]


def export(
    fmt: str,
    services: Services,
    handle: TextIO,
    *,
    candidate_ids: list[int] | None = None,
    attachments_dir: Path | None = None,
) -> int:
    """Write ``fmt`` to ``handle``; returns the number of candidates, events or rows written.

    ``candidate_ids`` limits CSV and vCard to a selection (default: everyone not in the
    trash); the calendar and the backup always cover everything.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "ics":
        return ics.write_calendar(services.clock, handle)
    if fmt == "json":
        counts = json_backup.write_backup(
            services.database, handle, services.clock, attachments_dir
        )
        return sum(counts.values())
    ids = live_candidate_ids() if candidate_ids is None else candidate_ids
    if fmt == "csv":
        return write_candidates_csv(ids, handle)
    return vcard.write_vcards(ids, handle)
