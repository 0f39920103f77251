"""Reading candidates from CSV: header detection, column mapping, rows into ``ImportRecord``.

``sniff`` works out what the file is from its first 64 KB: the encoding (see ``files``), the
delimiter, the header line (LinkedIn's connections export puts "Notes:" lines above it) and which
exporter wrote it (LinkedIn, Google Contacts, Outlook, Rapport itself, or a plain spreadsheet).
``guess_mapping`` proposes a target field for every column from its header; the import dialog
lets the recruiter change any of them. ``read_records`` then streams the rows, one record at a
time, so a 150,000-row file never sits in memory.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.exchange.csv_export import unneutralise
from crm_desktop.exchange.files import (
    CountingReader,
    TextFile,
    UnreadableFileError,
    inspect,
    open_text,
)
from crm_desktop.exchange.records import (
    ContactValue,
    ImportRecord,
    UnreadableValueError,
    parse_full_date,
    parse_partial_date,
    parse_url,
    split_name,
    split_values,
)
from crm_desktop.i18n import _
from crm_desktop.store.models import CANDIDATE_STATUSES

HEADER_SEARCH_LINES = 30
DELIMITERS = ",;\t|"
IGNORE = ""
MAX_FIELD = 1024 * 1024  # one cell; csv's default (128 KB) rejects long notes

# target -> label shown in the mapping dialog
TARGETS: dict[str, str] = {
    IGNORE: _("(ignore)"),
    "first_name": _("First name"),
    "middle_name": _("Middle name"),
    "last_name": _("Last name"),
    "full_name": _("Full name"),
    "headline": _("Title / position"),
    "company_name": _("Company"),
    "location": _("Location"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "url": _("Web address"),
    "skills": _("Skills"),
    "source": _("Source"),
    "status": _("Status"),
    "notes": _("Notes"),
    "birthday": _("Birthday"),
    "joined_on": _("Joining date"),
    "preferred_language": _("Language"),
    "follow_up_days": _("Follow-up every (days)"),
    "concerns": _("Concerns"),
    "career_goals": _("Career goals"),
    "consent_date": _("Consent date"),
    "consent_basis": _("Consent basis"),
}
_TEXT_TARGETS = ("headline", "company_name", "skills", "source", "concerns", "career_goals")
_CONTACT_TARGETS = ("email", "phone", "url")

# (pattern on the normalised header, target); the first match wins.
_RULES: tuple[tuple[str, str], ...] = (
    (r"(first|given|fore) ?name|first|vorname|prenom", "first_name"),
    (r"(middle|additional) name", "middle_name"),
    (r"(last|family|sur) ?name|last|nachname", "last_name"),
    (r"(full |display |contact )?name|file as", "full_name"),
    (r"(job |current )?title|position|headline|role|organi[sz]ation( 1)? title", "headline"),
    (r"company|employer|organi[sz]ation( 1)?( name)?|current company", "company_name"),
    (
        r"location|city|town|(business|home|other) (city|country( region)?)|country( region)?",
        "location",
    ),
    (
        r"(e ?mail|mail)( \d+)?( (address|value))?|e ?mails|"
        r"(work|personal|primary|home|other|business) e ?mail( address)?",
        "email",
    ),
    (
        r"(tel|telephone|phone|mobile|cell)( \d+)?( (number|value))?|phones|"
        r"(mobile|business|home|other|work|primary|car|company main)( phone)?( \d)?",
        "phone",
    ),
    (r"urls?|website( \d+)?( value)?|(personal |business )?web ?page|linkedin( url)?", "url"),
    (r"profile url", "url"),
    (r"notes?|comments?", "notes"),
    (r"birthday|date of birth|dob|birth ?date", "birthday"),
    (r"joined on|joining date|start date", "joined_on"),
    (r"skills|keywords", "skills"),
    (r"source", "source"),
    (r"status", "status"),
    (r"(preferred )?language", "preferred_language"),
    (r"follow up( every)?( days)?", "follow_up_days"),
    (r"concerns", "concerns"),
    (r"career goals", "career_goals"),
    (r"consent date", "consent_date"),
    (r"consent basis", "consent_basis"),
)
_LABEL_WORDS = (
    ("mobile", "mobile"),
    ("cell", "mobile"),
    ("business", "work"),
    ("work", "work"),
    ("company", "work"),
    ("home", "home"),
    ("personal", "home"),
    ("other", "other"),
    ("linkedin", "LinkedIn"),
)


@dataclass(frozen=True)
class CsvLayout:
    """What ``sniff`` found: where the header is, how cells are separated, who wrote it."""

    file: TextFile
    delimiter: str
    header_line: int  # 0-based physical line of the header
    headers: tuple[str, ...]
    format_name: str  # "LinkedIn", "Google Contacts", "Outlook", "Rapport", "CSV"
    month_first: bool  # how to read 03/04/1990


@dataclass
class CsvMapping:
    """The target of each column, plus the columns that hold another column's label."""

    targets: list[str]
    label_columns: dict[int, int] = field(default_factory=dict)  # value column -> label column
    default_source: str = ""

    def mapped(self) -> bool:
        return any(self.targets)


def normalise_header(header: str) -> str:
    text = re.sub(r"[^\w]+", " ", header.casefold().replace("_", " ")).strip()
    return text.replace("é", "e")


def sniff(path: Path) -> CsvLayout:
    """Inspect ``path`` as a CSV file; raises ``UnreadableFileError`` when it is not one."""
    info = inspect(path)
    lines = info.sample.splitlines()
    if len(info.sample) >= 64 * 1024 - 4 and len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-line
    if not any(line.strip() for line in lines):
        raise UnreadableFileError(_("{name} has no text lines.").format(name=path.name))
    delimiter = _delimiter(lines)
    header_line = _header_line(lines, delimiter)
    headers = tuple(h.strip() for h in split_line(lines[header_line], delimiter))
    if len(headers) < 2 and not _known(headers):
        raise UnreadableFileError(
            _(
                "{name} does not look like a CSV file: no line with columns separated by "
                "commas, semicolons or tabs was found."
            ).format(name=path.name)
        )
    name = _format_name(headers)
    return CsvLayout(
        file=info,
        delimiter=delimiter,
        header_line=header_line,
        headers=headers,
        format_name=name,
        month_first=name != "CSV" or not _day_first_hint(lines[header_line + 1 :], delimiter),
    )


def guess_mapping(layout: CsvLayout) -> CsvMapping:
    """A target for each column from its header (what the mapping dialog starts from)."""
    normal = [normalise_header(h) for h in layout.headers]
    has_job_title = "job title" in normal
    targets: list[str] = []
    labels: dict[int, int] = {}
    for header in normal:
        target = _target(header)
        if layout.format_name == "Outlook" and header == "title" and has_job_title:
            target = IGNORE  # Outlook's "Title" is Mr / Ms
        targets.append(target)
    for index, header in enumerate(normal):
        if m := re.fullmatch(r"(e ?mail|phone|website) (\d+) (type|label)", header):
            value = next(
                (
                    i
                    for i, h in enumerate(normal)
                    if re.fullmatch(rf"{m[1]} {m[2]} value", h) is not None
                ),
                None,
            )
            if value is not None:
                labels[value] = index
                targets[index] = IGNORE
    sources = {"LinkedIn": "LinkedIn", "Google Contacts": "Google Contacts", "Outlook": "Outlook"}
    return CsvMapping(targets, labels, sources.get(layout.format_name, ""))


def read_records(
    layout: CsvLayout, mapping: CsvMapping
) -> tuple[Iterator[ImportRecord], CountingReader]:
    """The records of the file, streamed, and the byte counter for progress."""
    text, counter = open_text(layout.file)

    plan = column_plan(layout, mapping)

    def records() -> Iterator[ImportRecord]:
        with text:
            for _line in range(layout.header_line + 1):
                text.readline()
            reader = csv.reader(text, delimiter=layout.delimiter, strict=False)
            previous = 0
            while True:
                first_line = layout.header_line + 2 + previous
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    previous = reader.line_num
                    yield ImportRecord(
                        first_line, problems=[_("cannot read this line: {e}").format(e=exc)]
                    )
                    continue
                previous = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                yield record_from_row(row, first_line, layout, mapping, plan)

    csv.field_size_limit(MAX_FIELD)
    return records(), counter


def record_from_row(
    row: list[str],
    line: int,
    layout: CsvLayout,
    mapping: CsvMapping,
    plan: list[tuple[int, str, str | None]] | None = None,
) -> ImportRecord:
    """Turn one row into a record (values parsed, not yet validated by the core).

    Built from the filled cells only: most of a wide export's cells are empty, so an empty cell
    is skipped before any work, and only the fields a row fills are parsed and passed on (the
    rest keep ``CandidateInput``'s defaults).
    """
    if plan is None:
        plan = column_plan(layout, mapping)
    values: dict[str, list[str]] = {}
    contacts: list[ContactValue] = []
    problems: list[str] = []
    width = len(row)
    for index, target, label in plan:
        if index >= width:
            continue
        cell = row[index]
        if not cell:
            continue
        cell = cell.strip()
        if not cell:
            continue
        if cell[0] == "'":
            cell = unneutralise(cell)
        if target in _CONTACT_TARGETS:
            if label is None:
                label = _label(layout, mapping, row, index)
            for value in split_values(cell, target):
                if target == "url":
                    try:
                        value = parse_url(value)
                    except UnreadableValueError as exc:
                        problems.append(str(exc))
                        continue
                contacts.append(ContactValue(target, value, label))
        elif (cells := values.get(target)) is None:
            values[target] = [cell]
        else:
            cells.append(cell)
    record = ImportRecord(line)
    fields: dict[str, object] = {}
    if values:
        _fill_fields(values, fields, layout, record, problems)
    if problems:
        record.problems = problems
        return record
    if contacts:
        emails = [c.value for c in contacts if c.kind == "email"]
        phones = [c.value for c in contacts if c.kind == "phone"]
        if emails:
            fields["emails"] = tuple(dict.fromkeys(emails)) if len(emails) > 1 else (emails[0],)
        if phones:
            fields["phones"] = tuple(dict.fromkeys(phones)) if len(phones) > 1 else (phones[0],)
        record.contacts = tuple(contacts)
    if "source" not in fields and mapping.default_source:
        fields["source"] = mapping.default_source
    first = fields.pop("first_name", "")
    record.data = CandidateInput(first, **fields)  # type: ignore[arg-type]
    return record


def _fill_fields(
    values: dict[str, list[str]],
    fields: dict[str, object],
    layout: CsvLayout,
    record: ImportRecord,
    problems: list[str],
) -> None:
    """The ``CandidateInput`` fields of the filled targets (dates, status and cadence parsed)."""
    for target, cells in values.items():
        if target in _TEXT_TARGETS:
            fields[target] = " ".join(cells)
        elif target == "location":
            fields["location"] = ", ".join(dict.fromkeys(cells))
        elif target == "notes":
            fields["notes"] = "\n\n".join(cells)
        elif target == "preferred_language":
            fields["preferred_language"] = cells[0].lower()
        elif target == "consent_basis":
            record.consent_basis = cells[0]
    first = " ".join(values.get("first_name", []) + values.get("middle_name", []))
    last = " ".join(values.get("last_name", []))
    if not first and not last and values.get("full_name"):
        first, last = split_name(values["full_name"][0])
    if first:
        fields["first_name"] = first
    if last:
        fields["last_name"] = last
    if "status" in values:
        fields["status"] = _status(values, problems)
    if "birthday" in values or "joined_on" in values or "consent_date" in values:
        try:
            fields["birthday"] = parse_partial_date(
                _one(values, "birthday"), TARGETS["birthday"], layout.month_first
            )
            fields["joined_on"] = parse_full_date(
                _one(values, "joined_on"), TARGETS["joined_on"], layout.month_first
            )
            record.consent_date = parse_full_date(
                _one(values, "consent_date"), TARGETS["consent_date"], layout.month_first
            )
        except UnreadableValueError as exc:
            problems.append(str(exc))
    if "follow_up_days" in values:
        fields["follow_up_days"] = _follow_up(values, problems)


def column_plan(layout: CsvLayout, mapping: CsvMapping) -> list[tuple[int, str, str | None]]:
    """The mapped columns with their contact label, worked out once per file (None: the label
    comes from another column of each row)."""
    plan = []
    for index, target in enumerate(mapping.targets):
        if not target:
            continue
        label = None
        if target in ("email", "phone", "url") and index not in mapping.label_columns:
            label = _label(layout, mapping, [], index)
        plan.append((index, target, label))
    return plan


def _one(values: dict[str, list[str]], target: str) -> str:
    return values.get(target, [""])[0]


def _status(values: dict[str, list[str]], problems: list[str]) -> str:
    text = _one(values, "status")
    if not text:
        return "active"
    code = normalise_header(text).replace(" ", "_")
    code = {"do_not_contact": "do_not_contact", "dnc": "do_not_contact"}.get(code, code)
    if code not in CANDIDATE_STATUSES:
        problems.append(
            _("Status: “{value}” is not one of active, passive, placed, do not contact").format(
                value=text[:40]
            )
        )
        return "active"
    return code


def _follow_up(values: dict[str, list[str]], problems: list[str]) -> int | None:
    text = _one(values, "follow_up_days")
    if not text:
        return None
    if not text.isdigit():
        problems.append(_("Follow-up: “{value}” is not a number of days").format(value=text[:20]))
        return None
    return int(text)


def _label(layout: CsvLayout, mapping: CsvMapping, row: list[str], index: int) -> str:
    if layout.format_name == "LinkedIn" and mapping.targets[index] == "url":
        return "LinkedIn"
    label_column = mapping.label_columns.get(index)
    if label_column is not None and label_column < len(row):
        given = row[label_column].strip().lstrip("* ").strip()
        if given:
            return given.split(":::")[0].strip().lower()
    normal = normalise_header(layout.headers[index])
    return next((label for word, label in _LABEL_WORDS if word in normal.split()), "")


def _target(header: str) -> str:
    return next((target for rule, target in _RULES if re.fullmatch(rule, header)), IGNORE)


def _known(headers: tuple[str, ...]) -> int:
    return sum(1 for h in headers if _target(normalise_header(h)))


def split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def _delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number (> 1) of cells.

    Counting per line, rather than ``csv.Sniffer`` over the whole sample, keeps a preamble
    (LinkedIn's "Notes:" sentence full of commas) from deciding.
    """
    sample = [line for line in lines[: HEADER_SEARCH_LINES * 2] if line.strip()]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        widths = Counter(len(split_line(line, delimiter)) for line in sample)
        width, lines_with_width = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = lines_with_width if width > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_line(lines: list[str], delimiter: str) -> int:
    """The first line naming at least two known columns; else the first of the widest lines."""
    widths: list[tuple[int, int]] = []
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        if not line.strip():
            continue
        cells = split_line(line, delimiter)
        if _known(tuple(cells)) >= 2:
            return index
        widths.append((len(cells), index))
    if not widths:
        return 0
    widest = max(width for width, _index in widths)
    return next(index for width, index in widths if width == widest)


def _format_name(headers: tuple[str, ...]) -> str:
    normal = {normalise_header(h) for h in headers}
    if {"first name", "last name", "connected on"} <= normal:
        return "LinkedIn"
    if any(re.fullmatch(r"(e ?mail|phone) \d+ value", h) for h in normal):
        return "Google Contacts"
    if {"e mail address", "business phone"} <= normal or {"e mail address", "job title"} <= normal:
        return "Outlook"
    if {"first name", "last name", "emails", "phones", "last contacted at"} <= normal:
        return "Rapport"
    return "CSV"


def _day_first_hint(lines: list[str], delimiter: str) -> bool:
    """A plain CSV whose slashed dates have a first number above 12 is day-first (14/03/1990)."""
    for line in lines[:200]:
        for match in re.finditer(r"\b(\d{1,2})/(\d{1,2})/\d{2,4}\b", line):
            if int(match[1]) > 12:
                return True
            if int(match[2]) > 12:
                return False
    return False
