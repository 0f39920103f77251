"""CSV import: the shapes LinkedIn, Google and Outlook write, encodings, duplicates, atomicity."""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import date

import peewee
import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import PartialDate
from crm_desktop.exchange import csv_import
from crm_desktop.exchange.csv_export import export_candidates_csv
from crm_desktop.exchange.files import UnreadableFileError, inspect
from crm_desktop.exchange.importer import (
    BATCH,
    CandidateImporter,
    DuplicatePolicy,
    ImportCancelledError,
)
from crm_desktop.exchange.records import ImportRecord
from crm_desktop.exchange.sources import open_source
from crm_desktop.store.models import Candidate, ContactPoint
from crm_desktop.store.search_index import BackgroundSearchIndex

LINKEDIN = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,ada@example.com,Analytical Engines,Principal Engineer,12 Mar 2024
Zoë,Müller-Łukasiewicz,https://www.linkedin.com/in/zoe-m,,Datenwerk GmbH,"Data Scientist, ML",01 Jan 2023
Bad,Address,https://www.linkedin.com/in/bad,not-an-email,X,Y,01 Jan 2023
"""  # noqa: E501

GOOGLE = (
    "Name,Given Name,Family Name,Birthday,Notes,E-mail 1 - Type,E-mail 1 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Organization 1 - Title,"
    "Website 1 - Type,Website 1 - Value\n"
    "José García,José,García,--07-04,Met at PyCon,* Work,jose@work.example ::: jose@home.example,"
    "Mobile,+34 600 123 456,Nimbus,SRE,Profile,https://jose.example\n"
)

OUTLOOK = (
    "Title,First Name,Middle Name,Last Name,Company,Job Title,Business Phone,Mobile Phone,"
    "Birthday,E-mail Address,Business City,Business Country/Region,Notes\n"
    "Mr.,Søren,,Berg,Fjord AS,Architect,+47 22 12 34 56,+47 912 34 567,3/14/1985,"
    "soren@fjord.example,Oslo,Norway,Prefers e-mail\n"
    "Ms.,Inès,,Moreau,,,,,0/0/00,ines@example.fr,,,\n"
)


def names(services) -> list[str]:
    return sorted(
        f"{c.first_name} {c.last_name}" for c in Candidate.select().order_by(Candidate.id)
    )


def test_linkedin_export_with_its_notes_preamble(write, import_file, services):
    path = write("Connections.csv", LINKEDIN)
    layout = csv_import.sniff(path)
    assert layout.format_name == "LinkedIn"
    assert layout.header_line == 3
    report = import_file(path)
    assert (report.created, len(report.rejected)) == (2, 1)
    rejected = report.rejected[0]
    assert rejected.line == 7
    assert "not-an-email" in rejected.reason
    zoe = services.candidates.get(Candidate.get(Candidate.first_name == "Zoë").id).data
    assert zoe.headline == "Data Scientist, ML"
    assert zoe.company_name == "Datenwerk GmbH"
    assert zoe.source == "LinkedIn"
    url = ContactPoint.get(ContactPoint.value == "https://www.linkedin.com/in/zoe-m")
    assert url.kind == "url"
    assert url.label == "LinkedIn"


def test_reimporting_the_same_file_creates_nothing(write, import_file, dump):
    path = write("Connections.csv", LINKEDIN)
    import_file(path)
    before = dump()
    again = import_file(path)
    assert (again.created, again.merged, again.unchanged) == (0, 0, 2)
    assert dump() == before


def test_google_contacts_labels_and_several_values_in_one_cell(write, import_file, services):
    report = import_file(write("google.csv", GOOGLE))
    assert report.created == 1
    jose = services.candidates.get(Candidate.get().id).data
    assert jose.emails == ("jose@work.example", "jose@home.example")
    assert jose.birthday == PartialDate(7, 4)
    assert jose.headline == "SRE"
    assert jose.company_name == "Nimbus"
    labels = {p.value: p.label for p in ContactPoint.select()}
    assert labels["jose@work.example"] == "work"
    assert labels["+34 600 123 456"] == "mobile"
    assert labels["https://jose.example"] == "profile"


def test_outlook_csv_in_windows_1252(write, import_file, services):
    path = write("outlook.csv", OUTLOOK, "cp1252")
    source = open_source(path)
    assert source.info.encoding == "cp1252"
    assert source.format_name == "Outlook"
    assert source.mapping.targets[0] == ""  # Outlook's "Title" is Mr / Ms, not the job title
    report = import_file(path)
    assert report.created == 2
    assert names(services) == ["Inès Moreau", "Søren Berg"]
    soren = services.candidates.get(Candidate.get(Candidate.last_name == "Berg").id).data
    assert soren.birthday == PartialDate(3, 14, 1985)
    assert soren.location == "Oslo, Norway"
    assert soren.headline == "Architect"
    assert soren.phones == ("+47 22 12 34 56", "+47 912 34 567")
    ines = services.candidates.get(Candidate.get(Candidate.last_name == "Moreau").id).data
    assert ines.birthday is None  # Outlook writes 0/0/00 for "no birthday"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-8", ","), ("utf-16-le", ",")],
)
def test_encodings_and_delimiters_are_sniffed(write, import_file, services, encoding, delimiter):
    text = delimiter.join(["First name", "Last name", "Email"]) + "\n"
    text += delimiter.join(["Łukasz", "Wiśniewski", "l@example.pl"]) + "\n"
    path = write("people.csv", text, encoding)
    layout = csv_import.sniff(path)
    assert layout.delimiter == delimiter
    assert import_file(path).created == 1
    assert names(services) == ["Łukasz Wiśniewski"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest of a workbook", "Excel"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"", "empty"),
        (b"just one line of text without separators\n", "does not look like a CSV"),
    ],
)
def test_files_that_are_not_csv_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "candidates.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=message):
        open_source(path)


def test_too_large_files_are_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(UnreadableFileError, match="up to 0 MB"):
        inspect(path, max_bytes=100)


def test_a_vcf_suffix_without_cards_is_refused(write):
    with pytest.raises(UnreadableFileError, match="not a vCard"):
        open_source(write("contacts.vcf", "First,Last\nA,B\n"))


def test_a_failure_halfway_leaves_the_database_as_it_was(services, dump):
    services.candidates.create(CandidateInput("Existing", emails=("e@example.com",)))
    before = dump()

    def records():
        for number in range(2500):
            yield ImportRecord(number + 2, data=CandidateInput(f"P{number}"))
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk"):
        CandidateImporter(services).run(records())
    assert dump() == before


def test_cancel_rolls_back(services, dump):
    before = dump()
    records = (ImportRecord(n + 2, data=CandidateInput(f"P{n}")) for n in range(3000))
    calls = []

    def cancel_after_first_batch() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ImportCancelledError):
        CandidateImporter(services).run(records, should_cancel=cancel_after_first_batch)
    assert dump() == before


def test_a_full_disk_while_indexing_leaves_the_database_as_it_was(services, dump, monkeypatch):
    """The search index is filled on a helper thread: when its statement fails, SQLite ends
    the transaction, and no later write of the import may be saved on its own."""
    services.candidates.create(CandidateInput("Existing", emails=("e@example.com",)))
    before = dump()
    connection = services.database.connection()
    add = BackgroundSearchIndex.add

    def disk_full_for_the_index(index: BackgroundSearchIndex, ids) -> None:
        # The first batch is written; the disk is full before the helper indexes it.
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        add(index, ids)

    monkeypatch.setattr(BackgroundSearchIndex, "add", disk_full_for_the_index)
    records = (
        ImportRecord(n + 2, data=CandidateInput(f"P{n}", "Person", emails=(f"p{n}@x.org",)))
        for n in range(3000)
    )
    try:
        with pytest.raises(peewee.DatabaseError, match="full"):
            CandidateImporter(services).run(records)
    finally:
        connection.execute("PRAGMA max_page_count = 1073741823")
    assert not connection.in_transaction
    assert dump() == before


def test_duplicates_merge_fills_blanks_and_adds_contacts(write, import_file, services):
    ada = services.candidates.create(
        CandidateInput("Ada", "Lovelace", headline="Engineer", emails=("ADA@example.com",))
    )
    path = write(
        "more.csv",
        "First Name,Last Name,Email,Phone,Title,City\n"
        "Ada,Lovelace,ada@example.com,+44 20 7946 0958,Countess,London\n",
    )
    report = import_file(path)
    assert (report.created, report.merged) == (0, 1)
    data = services.candidates.get(ada).data
    assert data.headline == "Engineer"  # never overwritten
    assert data.location == "London"  # blank filled
    assert data.phones == ("+44 20 7946 0958",)
    again = import_file(path)
    assert (again.created, again.merged, again.unchanged) == (0, 0, 1)


def test_phone_digits_match_across_formats(write, import_file, services):
    services.candidates.create(CandidateInput("Ana", phones=("+49 170 1234567",)))
    path = write("p.csv", "First Name,Phone\nAna B,0170 123-4567\n")
    assert import_file(path, DuplicatePolicy.SKIP).skipped == 1
    assert import_file(path, DuplicatePolicy.CREATE).created == 1
    assert Candidate.select().count() == 2


def test_duplicates_within_one_file_become_one_candidate(write, import_file, services):
    path = write(
        "twice.csv",
        "First Name,Last Name,Email,Phone\nAda,Lovelace,ada@example.com,\n"
        "Ada,Lovelace,ada@example.com,+44 20 7946 0958\n",
    )
    report = import_file(path)
    assert (report.created, report.merged) == (1, 1)
    only = services.candidates.get(Candidate.get().id).data
    assert only.phones == ("+44 20 7946 0958",)


def test_imported_candidates_are_searchable(write, import_file, services, profile):
    import_file(write("Connections.csv", LINKEDIN))
    hits = services.candidate_list.ids(ListQuery(text="ada@example.com"))
    assert len(hits) == 1
    assert services.candidate_list.ids(ListQuery(text="Łukasiewicz")) != []
    profile.database.execute_sql(
        "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
    )


def test_csv_export_imports_back_unchanged(tmp_path, services, profile, clock):
    from crm_desktop.paths import resolve_paths
    from crm_desktop.profile import open_profile

    ids = [
        services.candidates.create(
            CandidateInput(
                "Zoë",
                "Müller",
                headline="=cmd|' /C calc'!A0",
                status="passive",
                birthday=PartialDate(2, 29),
                emails=("zoe@example.de", "z@example.org"),
                phones=("+49 30 1234567",),
                notes="Line one\nLine two",
                skills="python, sql",
            )
        ),
        services.candidates.create(CandidateInput("Okonkwo", status="do_not_contact")),
    ]
    path = tmp_path / "out.csv"
    export_candidates_csv(ids, path)
    other = open_profile(resolve_paths(tmp_path / "other"), clock)
    try:
        records, _counter = open_source(path).records()
        report = CandidateImporter(other.services).run(records)
        assert report.created == 2
        assert report.rejected == []
        imported = [other.services.candidates.get(i).data for i in (1, 2)]
    finally:
        other.close()
        from crm_desktop.store.models import db

        db.initialize(profile.database)
    original = [services.candidates.get(i).data for i in ids]
    assert imported == original


def _search_triggers(profile) -> list[str]:
    rows = profile.database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%candidate_fts%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def _fts_ok(profile) -> None:
    profile.database.execute_sql(
        "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
    )


def test_merges_keep_the_search_index_right_across_batches(services, profile):
    """The import pauses the search triggers and indexes by hand: a stored candidate it merges
    into, and one it created in an earlier batch, must both be found by what was added."""
    triggers = _search_triggers(profile)
    ada = services.candidates.create(CandidateInput("Ada", "Lovelace", emails=("ada@x.org",)))
    first_batch = [
        ImportRecord(n + 2, data=CandidateInput(f"P{n}", "Person", emails=(f"p{n}@x.org",)))
        for n in range(BATCH)
    ]
    later = [
        ImportRecord(
            BATCH + 2,
            data=CandidateInput("Ada", "Lovelace", location="Zanzibar", emails=("ada@x.org",)),
        ),
        ImportRecord(
            BATCH + 3,
            data=CandidateInput("P7", "Person", emails=("p7@x.org",), phones=("+49 170 7654321",)),
        ),
    ]
    report = CandidateImporter(services).run([*first_batch, *later])
    assert (report.created, report.merged) == (BATCH, 2)
    assert services.candidate_list.ids(ListQuery(text="zanzibar")) == [ada]
    assert services.candidate_list.ids(ListQuery(text="ada@x.org")) == [ada]
    p7 = services.candidate_list.ids(ListQuery(text="7654321"))
    assert len(p7) == 1
    assert services.candidates.get(p7[0]).data.first_name == "P7"
    assert len(services.candidate_list.ids(ListQuery(text="person"))) == BATCH
    assert _search_triggers(profile) == triggers
    _fts_ok(profile)
    services.candidates.update(ada, replace(services.candidates.get(ada).data, skills="COBOL"))
    assert services.candidate_list.ids(ListQuery(text="cobol")) == [ada]  # triggers are back
    _fts_ok(profile)


def test_a_failed_import_keeps_the_search_triggers(services, profile, dump):
    triggers = _search_triggers(profile)
    before = dump()

    def records():
        yield from (ImportRecord(n + 2, data=CandidateInput(f"P{n}")) for n in range(BATCH + 5))
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk"):
        CandidateImporter(services).run(records())
    assert _search_triggers(profile) == triggers
    assert dump() == before
    _fts_ok(profile)


def _indexes(profile) -> list[tuple[str, str]]:
    return profile.database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()


def test_a_large_import_rebuilds_the_indexes_it_set_aside(services, profile, monkeypatch):
    from crm_desktop.exchange import importer
    from crm_desktop.store.database import integrity_ok

    monkeypatch.setattr(importer, "BULK_AFTER", 500)  # the switch, at a test's size
    services.candidates.create(CandidateInput("Ada", "Lovelace", emails=("ada@x.org",)))
    before = _indexes(profile)
    records = [
        ImportRecord(n + 2, data=CandidateInput(f"P{n}", "Person", emails=(f"p{n}@x.org",)))
        for n in range(2500)
    ]
    records.append(ImportRecord(2600, data=CandidateInput("Ada", "Lovelace", location="Oslo")))
    report = CandidateImporter(services).run(records)
    assert (report.created, report.merged) == (2500, 1)
    assert _indexes(profile) == before
    assert integrity_ok(profile.database)
    _fts_ok(profile)
    assert len(services.candidate_list.ids(ListQuery(text="person"))) == 2500


def test_a_cancelled_large_import_keeps_the_indexes(services, profile, dump, monkeypatch):
    from crm_desktop.exchange import importer

    monkeypatch.setattr(importer, "BULK_AFTER", 500)
    before, indexes = dump(), _indexes(profile)
    records = (ImportRecord(n + 2, data=CandidateInput(f"P{n}")) for n in range(5000))
    calls = []

    def cancel_late() -> bool:
        calls.append(1)
        return len(calls) > 3  # after the switch to bulk writes

    with pytest.raises(ImportCancelledError):
        CandidateImporter(services).run(records, should_cancel=cancel_late)
    assert _indexes(profile) == indexes
    assert dump() == before


def test_finishing_is_announced_once_every_record_is_written(services):
    """The dialog shows a busy "Saving…" for the index rebuild and commit after the last row."""
    importer = CandidateImporter(services)
    seen = []
    records = [ImportRecord(n + 2, data=CandidateInput(f"P{n}")) for n in range(BATCH + 10)]
    report = importer.run(
        records,
        progress=lambda done: seen.append(("progress", done)),
        finishing=lambda: seen.append(("finishing", Candidate.select().count())),
    )
    assert seen[-1] == ("finishing", BATCH + 10)  # every row written, not yet committed
    assert seen[-2] == ("progress", report.processed)
    assert [s for s in seen if s[0] == "finishing"] == [seen[-1]]


def test_a_bad_address_with_spaces_is_quoted_whole(write, import_file):
    """ "not an e-mail" is one bad value: the reason quotes it, not its first word."""
    path = write(
        "people.csv", "First Name,Email\nAda,not an e-mail\nBob,b@x.org c@y.org\nCy,c@z.org x\n"
    )
    report = import_file(path)
    assert report.created == 1  # Bob, with two addresses
    reasons = {r.line: r.reason for r in report.rejected}
    assert "“not an e-mail” is not a valid e-mail address" in reasons[2]
    assert "“c@z.org x”" in reasons[4]


def _stored(profile, candidate_id: int) -> dict[str, object]:
    cursor = profile.database.execute_sql("SELECT * FROM candidate WHERE id = ?", (candidate_id,))
    names = [column[0] for column in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    for volatile in ("id", "created_at", "updated_at"):
        del row[volatile]
    return row


@pytest.mark.parametrize(
    "data",
    [
        CandidateInput("Ada", "Lovelace", headline="Engineer ", location="London"),
        CandidateInput(
            "Zoë",
            "Müller",
            birthday=PartialDate(2, 29),
            joined_on=date(2024, 3, 1),
            follow_up_days=30,
            motivations=" Growth ",
            preferred_language="de",
        ),
    ],
)
def test_imported_rows_are_stored_as_the_form_stores_them(services, profile, data):
    """The import writes its own INSERTs (a plain one and a full one): the stored row must be
    the one ``CandidateService.create`` writes for the same input."""
    by_form = services.candidates.create(data)
    report = CandidateImporter(services).run(
        [ImportRecord(2, data=data, consent_basis="legitimate interest")],
        DuplicatePolicy.CREATE,
    )
    (by_import,) = report.created_ids
    expected = _stored(profile, by_form) | {"consent_basis": "legitimate interest"}
    assert _stored(profile, by_import) == expected


def test_the_garbage_collector_is_paused_for_the_import_only(services):
    seen: list[bool] = []
    records = [ImportRecord(n + 2, data=CandidateInput(f"P{n}")) for n in range(BATCH + 1)]
    CandidateImporter(services).run(records, progress=lambda _n: seen.append(gc.isenabled()))
    assert seen == [False, False]
    assert gc.isenabled()


def test_the_garbage_collector_is_back_after_a_cancel_or_a_failure(services):
    records = (ImportRecord(n + 2, data=CandidateInput(f"P{n}")) for n in range(BATCH + 1))
    with pytest.raises(ImportCancelledError):
        CandidateImporter(services).run(records, should_cancel=lambda: not gc.isenabled())
    assert gc.isenabled()

    def failing():
        yield ImportRecord(2, data=CandidateInput("Ada"))
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk"):
        CandidateImporter(services).run(failing())
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off(services):
    gc.disable()
    try:
        CandidateImporter(services).run([ImportRecord(2, data=CandidateInput("Ada"))])
        assert not gc.isenabled()
    finally:
        gc.enable()
