"""vCard in (2.1, 3.0, 4.0) and out (3.0), with ``vobject`` doing the parsing and writing.

Reading: the file is cut into cards here, so each card keeps the line number it starts on and a
card vobject cannot parse is reported without losing the others. Before parsing, two habits of
real address books that vobject does not cope with are smoothed out: Outlook's vCard 2.1
quoted-printable "soft line breaks" (a value ending in ``=`` continues on the next line), and
embedded photos, logos and sounds (dropped: base64 blocks of 2.1 cards are not folded the 3.0 way
and a damaged one would fail the whole card; Rapport does not keep pictures).

Writing: vCard 3.0, what every address book reads. A birthday without a year uses Apple's
convention (``X-APPLE-OMIT-YEAR=1604``), which Apple and Google Contacts honour; the importer
reads it back as a year-less birthday.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

import vobject

from crm_desktop.core.candidates import CandidateInput, display_name
from crm_desktop.core.validation import PartialDate
from crm_desktop.exchange.files import CountingReader, TextFile, UnreadableFileError, open_text
from crm_desktop.exchange.records import (
    ContactValue,
    ImportRecord,
    UnreadableValueError,
    parse_partial_date,
    parse_url,
    split_name,
)
from crm_desktop.i18n import _
from crm_desktop.store.models import Candidate, ContactPoint

MAX_CARD_LINES = 20_000
_BINARY_PROPERTIES = ("PHOTO", "LOGO", "SOUND", "KEY")
_PROPERTY_START = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]")
_QP = re.compile(r"(?:ENCODING=)?QUOTED-PRINTABLE", re.IGNORECASE)
_IGNORED_TYPES = {"internet", "pref", "x400", "voice", "msg", "text", "uri"}
_TYPE_LABELS = {"cell": "mobile", "iphone": "mobile", "mobile": "mobile", "work": "work"}
APPLE_NO_YEAR = 1604


@dataclass(frozen=True)
class RawCard:
    line: int  # 1-based line of BEGIN:VCARD
    text: str


def looks_like_vcard(info: TextFile) -> bool:
    return bool(re.search(r"^BEGIN:VCARD\s*$", info.sample, re.IGNORECASE | re.MULTILINE))


def read_records(info: TextFile) -> tuple[Iterator[ImportRecord], CountingReader]:
    """The cards of the file as records, streamed, and the byte counter for progress."""
    if not looks_like_vcard(info):
        raise UnreadableFileError(
            _("{name} is not a vCard file: it has no BEGIN:VCARD line.").format(name=info.path.name)
        )
    text, counter = open_text(info)

    def records() -> Iterator[ImportRecord]:
        with text:
            for card in split_cards(text):
                yield card_record(card)

    return records(), counter


def split_cards(lines: Iterable[str]) -> Iterator[RawCard | ImportRecord]:
    """Cut the text into cards; stray or unterminated content becomes a rejected record."""
    current: list[str] | None = None
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                yield ImportRecord(start, problems=[_("this card has no END:VCARD line")])
            current, start = [line], number
        elif current is None:
            continue  # blank lines or junk between cards carry no candidate
        else:
            current.append(line)
            if upper == "END:VCARD":
                yield RawCard(start, "\n".join(current) + "\n")
                current = None
            elif len(current) > MAX_CARD_LINES:
                yield ImportRecord(start, problems=[_("this card is too long to be a contact")])
                current = None
    if current is not None:
        yield ImportRecord(start, problems=[_("this card has no END:VCARD line")])


def card_record(card: RawCard | ImportRecord) -> ImportRecord:
    if isinstance(card, ImportRecord):
        return card
    try:
        component = vobject.readOne(_smooth(card.text), validate=False)
    except Exception as exc:  # vobject raises many types on bad input; any of them rejects
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return ImportRecord(card.line, problems=[_("unreadable card: {e}").format(e=reason[:200])])
    try:
        return _record(component, card.line)
    except UnreadableValueError as exc:
        return ImportRecord(card.line, problems=[str(exc)])
    except Exception as exc:  # values of unexpected shape (vobject returns what it found)
        return ImportRecord(
            card.line, problems=[_("unreadable card: {e}").format(e=type(exc).__name__)]
        )


def _smooth(text: str) -> str:
    """Join quoted-printable soft line breaks and drop binary properties (see module doc)."""
    out: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        name = line.split(":", 1)[0].split(";", 1)[0].split(".")[-1].upper()
        if name in _BINARY_PROPERTIES and _PROPERTY_START.match(line):
            params = line.split(":", 1)[0].upper()
            bare_base64 = "BASE64" in params or "ENCODING=B" in params
            while index < len(lines) and (
                lines[index][:1] in (" ", "\t")
                or (
                    bare_base64 and lines[index].strip() and not _PROPERTY_START.match(lines[index])
                )
            ):
                index += 1
            if bare_base64 and index < len(lines) and not lines[index].strip():
                index += 1  # vCard 2.1 ends base64 data with a blank line
            continue
        if ":" in line and _QP.search(line.split(":", 1)[0]):
            while line.endswith("=") and index < len(lines):
                line = line[:-1] + lines[index].lstrip(" \t")
                index += 1
        out.append(line)
    return "\n".join(out)


def _record(card, line: int) -> ImportRecord:
    contents = card.contents
    first = last = ""
    if "n" in contents:
        name = contents["n"][0].value
        if isinstance(name, vobject.vcard.Name):
            first = " ".join(_text(p) for p in (name.given, name.additional) if _text(p))
            last = _text(name.family)
    if not first and not last and "fn" in contents:
        first, last = split_name(_text(contents["fn"][0].value))
    if not first and not last and "org" in contents:
        first = _org(contents)  # a company card: keep it findable
    labels = _group_labels(card)
    contacts: list[ContactValue] = []
    problems: list[str] = []
    for kind, key in (("email", "email"), ("phone", "tel"), ("url", "url")):
        for prop in contents.get(key, []):
            value = _text(prop.value).strip()
            if kind == "phone":
                value = value.removeprefix("tel:").strip()
            if not value:
                continue
            if kind == "url":
                value = value.replace("\\:", ":")  # Google escapes the colon in 3.0
                try:
                    value = parse_url(value)
                except UnreadableValueError as exc:
                    problems.append(str(exc))
                    continue
            label = labels.get(prop.group or "", "") or _type_label(prop)
            contacts.append(ContactValue(kind, value, label))
    birthday = _birthday(contents)
    notes = "\n\n".join(_text(n.value).strip() for n in contents.get("note", []))
    if problems:
        return ImportRecord(line, problems=problems)
    data = CandidateInput(
        first_name=first,
        last_name=last,
        headline=_text(contents["title"][0].value) if "title" in contents else "",
        company_name=_org(contents),
        location=_location(contents),
        birthday=birthday,
        notes=notes.strip(),
        emails=tuple(dict.fromkeys(c.value for c in contacts if c.kind == "email")),
        phones=tuple(dict.fromkeys(c.value for c in contacts if c.kind == "phone")),
    )
    return ImportRecord(line, data=data, contacts=tuple(contacts))


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(_text(v) for v in value if _text(v))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value or "").strip()


def _org(contents: dict) -> str:
    if "org" not in contents:
        return ""
    value = contents["org"][0].value
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return _text(value).split(";")[0]


def _location(contents: dict) -> str:
    for prop in contents.get("adr", []):
        address = prop.value
        if isinstance(address, vobject.vcard.Address):
            parts = [_text(address.city), _text(address.country)]
            text = ", ".join(p for p in parts if p)
            if text:
                return text
    return ""


def _birthday(contents: dict) -> PartialDate | None:
    if "bday" not in contents:
        return None
    prop = contents["bday"][0]
    text = _text(prop.value)
    birthday = parse_partial_date(text, _("Birthday"))
    if birthday is None:
        return None
    omit = prop.params.get("X-APPLE-OMIT-YEAR")
    if birthday.year is not None and (
        birthday.year == APPLE_NO_YEAR or (omit and str(birthday.year) == omit[0])
    ):
        return PartialDate(birthday.month, birthday.day)
    return birthday


def _type_label(prop) -> str:
    types: list[str] = []
    for value in prop.params.get("TYPE", []):
        types.extend(t.strip().strip('"').lower() for t in value.split(","))
    types.extend(s.lower() for s in getattr(prop, "singletonparams", []))
    for kind in types:
        if kind and kind not in _IGNORED_TYPES and not kind.startswith("x-"):
            return _TYPE_LABELS.get(kind, kind)
    return ""


def _group_labels(card) -> dict[str, str]:
    """Apple's ``item1.X-ABLabel:_$!<Other>!$_`` names the label of the item1 property."""
    labels = {}
    for prop in card.getChildren():
        if prop.name == "X-ABLABEL" and prop.group:
            text = _text(prop.value)
            labels[prop.group] = re.sub(r"^_\$!<(.*)>!\$_$", r"\1", text).lower()
    return labels


# --- writing ------------------------------------------------------------------------------------


def write_vcards(candidate_ids: list[int], handle: TextIO, chunk: int = 500) -> int:
    """Write the candidates as vCard 3.0 to ``handle``; returns the number written."""
    written = 0
    for start in range(0, len(candidate_ids), chunk):
        ids = candidate_ids[start : start + chunk]
        contacts: dict[int, list[ContactPoint]] = {}
        for point in (
            ContactPoint.select()
            .where(ContactPoint.candidate.in_(ids))
            .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
        ):
            contacts.setdefault(point.candidate_id, []).append(point)
        rows = {c.id: c for c in Candidate.select().where(Candidate.id.in_(ids))}
        for candidate_id in ids:
            row = rows.get(candidate_id)
            if row is None:
                continue
            handle.write(_card(row, contacts.get(candidate_id, [])).serialize())
            written += 1
    return written


def _card(row: Candidate, points: list[ContactPoint]):
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=row.last_name, given=row.first_name)
    card.add("fn").value = display_name(row.first_name, row.last_name) or "?"
    for point in points:
        key = {"email": "email", "phone": "tel", "url": "url"}[point.kind]
        prop = card.add(key)
        prop.value = point.value
        types = ["INTERNET"] if point.kind == "email" else []
        if point.label:
            label = {"mobile": "CELL"}.get(point.label.lower(), point.label.upper())
            types.append(re.sub(r"[^A-Za-z0-9-]", "-", label))
        if point.is_primary and point.kind != "url":
            types.append("PREF")
        if types:
            prop.type_param = types
    if row.company_name:
        card.add("org").value = [row.company_name]
    if row.headline:
        card.add("title").value = row.headline
    if row.location:
        card.add("adr").value = vobject.vcard.Address(city=row.location)
    if row.birthday_month and row.birthday_day:
        bday = card.add("bday")
        if row.birthday_year:
            bday.value = f"{row.birthday_year:04d}-{row.birthday_month:02d}-{row.birthday_day:02d}"
        else:
            bday.value = f"{APPLE_NO_YEAR}-{row.birthday_month:02d}-{row.birthday_day:02d}"
            bday.params["X-APPLE-OMIT-YEAR"] = [str(APPLE_NO_YEAR)]
    if row.notes:
        card.add("note").value = row.notes
    return card
