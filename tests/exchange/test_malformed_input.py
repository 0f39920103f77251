"""Property-based: malformed CSV, vCard and JSON never crash and never change the database.

Each example either is refused as a whole (``UnreadableFileError`` / ``RestoreError``) or is
imported row by row; whatever it is, when nothing is accepted the tables are byte-for-byte as
before.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.exchange.files import UnreadableFileError
from crm_desktop.exchange.importer import CandidateImporter
from crm_desktop.exchange.json_backup import RestoreError, check_backup, restore_backup
from crm_desktop.exchange.sources import open_source

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CSV_PIECES = st.sampled_from(
    ["First Name", "Last Name", "Email", "Phone", "Birthday", ",", ";", "\t", '"', '""', "\n",
     "\r\n", "=cmd", "a@b", "not-an-email", "+49 170", "--02-30", "13/13/2020", "\x00", "é", " "]
)  # fmt: skip
VCARD_LINES = st.sampled_from(
    ["BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", "FN:Ann Lee",
     "N:Lee;Ann;;;", "N:;;;;", "EMAIL:ann@example.com", "EMAIL:broken", "TEL;CELL:+1 555",
     "TEL:abc", "BDAY:--0314", "BDAY:19851399", "BDAY:soon", "NOTE;ENCODING=QUOTED-PRINTABLE:a=",
     "=C3=", " folded", "PHOTO;ENCODING=BASE64:", " !!notbase64", "ORG:;;", "URL:x y",
     "item1.X-ABLabel:_$!<Other>!$_", "ADR:;;;;;;", "X-CUSTOM;PARAM=\"q:\":v", ":", ";;;", ""]
)  # fmt: skip


def _import_or_refuse(services, path) -> int:
    try:
        records, _counter = open_source(path).records()
    except UnreadableFileError as exc:
        message = str(exc)
        assert message  # refused with a reason, not a traceback
        return 0
    report = CandidateImporter(services).run(records)
    for rejection in report.rejected:
        assert rejection.line >= 1
        assert rejection.reason
    return report.created + report.merged


@SETTINGS
@given(pieces=st.lists(CSV_PIECES, max_size=40), raw=st.binary(max_size=64))
def test_malformed_csv(tmp_path, services, dump, pieces, raw):
    path = tmp_path / "fuzz.csv"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass") + raw)
    before = dump()
    if _import_or_refuse(services, path) == 0:
        assert dump() == before


@SETTINGS
@given(lines=st.lists(VCARD_LINES, max_size=40))
def test_malformed_vcard(tmp_path, services, dump, lines):
    path = tmp_path / "fuzz.vcf"
    path.write_text("BEGIN:VCARD\n" + "\n".join(lines) + "\n", encoding="utf-8")
    before = dump()
    if _import_or_refuse(services, path) == 0:
        assert dump() == before


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(
    tables=st.dictionaries(
        st.sampled_from(["candidate", "contact_point", "tag", "setting", "nope"]),
        JSON_VALUES,
        max_size=4,
    ),
    schema=st.one_of(st.integers(-1, 9), st.text(max_size=3)),
)
def test_malformed_backup(services, profile, clock, dump, tables, schema):
    if not dump()["candidate"]:
        services.candidates.create(CandidateInput("Keep", "Me"))
    before = dump()
    document = {"format": "rapport-backup", "version": 1, "schema": schema, "tables": tables}
    try:
        checked = check_backup(json.loads(json.dumps(document)))
        restore_backup(profile.database, checked, None, clock, replace=True)
    except RestoreError:
        assert dump() == before
