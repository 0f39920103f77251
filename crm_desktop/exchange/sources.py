"""The front door of every import: decide whether a file is CSV or vCard, and read it.

The GUI's import dialog and the ``import`` command both start here, so they accept and refuse
exactly the same files with the same messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crm_desktop.exchange import csv_import, vcard
from crm_desktop.exchange.files import CountingReader, TextFile, UnreadableFileError, inspect
from crm_desktop.exchange.records import ImportRecord
from crm_desktop.i18n import _

VCARD_SUFFIXES = (".vcf", ".vcard")


@dataclass
class ImportSource:
    """A file ready to import; ``mapping`` (CSV only) may be changed before reading."""

    info: TextFile
    kind: str  # "csv" | "vcard"
    layout: csv_import.CsvLayout | None = None
    mapping: csv_import.CsvMapping | None = field(default=None)

    @property
    def format_name(self) -> str:
        return "vCard" if self.kind == "vcard" else self.layout.format_name  # type: ignore[union-attr]

    def records(self) -> tuple[Iterator[ImportRecord], CountingReader]:
        if self.kind == "vcard":
            return vcard.read_records(self.info)
        assert self.layout is not None
        assert self.mapping is not None
        if not self.mapping.mapped():
            raise UnreadableFileError(_("No column is mapped to a candidate field."))
        return csv_import.read_records(self.layout, self.mapping)


def open_source(path: Path) -> ImportSource:
    """Inspect ``path``; raises ``UnreadableFileError`` with the reason when it cannot be read."""
    info = inspect(path)
    if vcard.looks_like_vcard(info):
        return ImportSource(info, "vcard")
    if path.suffix.lower() in VCARD_SUFFIXES:
        raise UnreadableFileError(
            _("{name} is not a vCard file: it has no BEGIN:VCARD line.").format(name=path.name)
        )
    layout = csv_import.sniff(path)
    return ImportSource(info, "csv", layout, csv_import.guess_mapping(layout))
