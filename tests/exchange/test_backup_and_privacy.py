"""JSON backup round trip, restore rules; erasure leaves no trace; consent; retention; ics."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import date, datetime, timedelta

import icalendar
import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import PartialDate, ValidationError
from crm_desktop.exchange.attachment_files import attachment_path, write_attachment
from crm_desktop.exchange.gdpr import erase_candidate, export_candidate_zip
from crm_desktop.exchange.ics import write_calendar
from crm_desktop.exchange.json_backup import (
    RestoreError,
    check_backup,
    read_backup,
    restore_backup,
    table_dump,
    write_backup,
)
from crm_desktop.paths import resolve_paths
from crm_desktop.profile import open_profile
from crm_desktop.store.database import RapportDatabase
from crm_desktop.store.models import (
    Application,
    Attachment,
    AuditEntry,
    Candidate,
    Company,
    Job,
    OccurrenceState,
    Setting,
    db,
)
from tests.fixtures.make_fixtures import fixture_path

UNIQUE_EMAIL = "qzxvunique@erase.example"


def _at(clock, days: float = 0):
    return clock.now() + timedelta(days=days)


def populate(services, clock, attachments_dir) -> dict[str, int]:
    """A bit of everything: tags, settings, occurrence states, applications, files."""
    ada = services.candidates.create(
        CandidateInput(
            "Ada",
            "Lovelace",
            birthday=PartialDate(2, 29),
            joined_on=date(2024, 3, 1),
            company_name="Engines",
            emails=("ada@example.com",),
            phones=("+44 20 7946 0958",),
        )
    )
    zoe = services.candidates.create(
        CandidateInput(
            "Zoë",
            "Qzxv-Müller",
            notes="Prefers remote",
            emails=(UNIQUE_EMAIL,),
            phones=("+49 170 9988776",),
            birthday=PartialDate(12, 1, 1990),
        )
    )
    Candidate.update(referred_by=zoe).where(Candidate.id == ada).execute()
    services.timeline.add(zoe, "call", "Talked about qzxvsecret plans", "Long body")
    services.reminders.create("Call Zoë back", _at(clock, 2), candidate_id=zoe)
    services.reminders.create("Weekly review", _at(clock, 1), recurrence="weekly")
    tag = services.tags.create("Python")
    services.tags.add([ada, zoe], tag)
    company = Company.create(name="Nimbus", created_at=clock.now(), updated_at=clock.now())
    job = Job.create(title="SRE", company=company, created_at=clock.now(), updated_at=clock.now())
    Application.create(
        candidate=zoe,
        job=job,
        stage="interviewing",
        stage_changed_at=clock.now(),
        interview_at=_at(clock, 3),
        created_at=clock.now(),
    )
    OccurrenceState.create(kind="birthday", candidate=zoe, occurs_on=date(2026, 12, 1))
    Setting.replace(key="ui.theme", value=json.dumps("dark")).execute()
    shared = write_attachment(attachments_dir, b"shared CV template")
    own = write_attachment(attachments_dir, b"Zoe's CV qzxvsecret")
    for candidate, sha, name in (
        (zoe, own, "cv.pdf"),
        (zoe, shared, "t.pdf"),
        (ada, shared, "t.pdf"),
    ):
        Attachment.create(
            candidate=candidate, filename=name, sha256=sha, size=10, added_at=clock.now()
        )
    return {"ada": ada, "zoe": zoe, "own": own, "shared": shared}


def backup_text(profile, clock) -> str:
    out = io.StringIO()
    write_backup(profile.database, out, clock, profile.paths.attachments_dir)
    return out.getvalue()


# --- JSON backup -----------------------------------------------------------------------------


def test_backup_restores_to_an_identical_database(profile, services, clock, tmp_path):
    populate(services, clock, profile.paths.attachments_dir)
    original = table_dump(profile.database)
    assert original["candidate_tag"]
    assert original["setting"]
    assert original["occurrence_state"]
    path = tmp_path / "backup.json"
    path.write_text(backup_text(profile, clock), encoding="utf-8")
    other = open_profile(resolve_paths(tmp_path / "new"), clock)
    try:
        report = restore_backup(
            other.database, read_backup(path), other.paths.attachments_dir, clock
        )
        assert report.rows["candidate"] == 2
        assert report.files == 2
        assert table_dump(other.database) == original
        other.database.execute_sql(
            "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
        )
        hits = other.services.candidate_list.ids(ListQuery(text="qzxvsecret"))
        assert len(hits) == 1
    finally:
        other.close()
        db.initialize(profile.database)


def test_restore_refuses_a_non_empty_profile_unless_told_to_replace(profile, services, clock):
    populate(services, clock, profile.paths.attachments_dir)
    document = check_backup(json.loads(backup_text(profile, clock)))
    before = table_dump(profile.database)
    with pytest.raises(RestoreError, match="already holds data"):
        restore_backup(profile.database, document, None, clock)
    services.candidates.create(CandidateInput("Added", "Later"))
    restore_backup(profile.database, document, None, clock, replace=True)
    assert table_dump(profile.database) == before


def test_a_backup_from_an_older_schema_is_upgraded_on_restore(tmp_path, profile, clock):
    copy = tmp_path / "v3.sqlite3"
    shutil.copyfile(fixture_path(3), copy)
    old = RapportDatabase(str(copy))
    old.connect()
    try:
        out = io.StringIO()
        write_backup(old, out, clock)
    finally:
        old.close()
    document = check_backup(json.loads(out.getvalue()))
    assert document["schema"] == 3
    restore_backup(profile.database, document, None, clock)
    assert Candidate.select().where(Candidate.first_name == "Ada").exists()
    assert AuditEntry.select().count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something else"), "not a Rapport backup"),
        (lambda d: d.update(schema=99), "newer Rapport"),
        (lambda d: d["tables"]["candidate"]["rows"].append([1]), "malformed"),
        (lambda d: d["tables"].update(mystery={"columns": [], "rows": []}), "does not know"),
        (lambda d: d["tables"]["contact_point"]["rows"][0].__setitem__(1, 999), "inconsistent"),
    ],
)
def test_damaged_backups_are_refused_and_change_nothing(
    profile, services, clock, tmp_path, change, message
):
    populate(services, clock, profile.paths.attachments_dir)
    document = json.loads(backup_text(profile, clock))
    change(document)
    other = open_profile(resolve_paths(tmp_path / "new"), clock)
    try:
        before = table_dump(other.database)
        with pytest.raises(RestoreError, match=message):
            restore_backup(other.database, check_backup(document), None, clock)
        assert table_dump(other.database) == before
    finally:
        other.close()
        db.initialize(profile.database)


def test_read_backup_says_when_the_file_is_not_json(tmp_path):
    path = tmp_path / "b.json"
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(RestoreError, match="not valid JSON"):
        read_backup(path)


# --- privacy ---------------------------------------------------------------------------------


def test_erase_leaves_no_trace(profile, services, clock):
    ids = populate(services, clock, profile.paths.attachments_dir)
    zoe, ada = ids["zoe"], ids["ada"]
    attachments = profile.paths.attachments_dir
    report = erase_candidate(services.privacy, zoe, attachments)
    assert report.counts["timeline_entries"] == 1
    assert report.counts["attachments"] == 2
    assert report.counts["referral_links"] == 1
    dump = table_dump(profile.database)
    for table, rows in dump.items():
        if table == "audit_log":
            continue
        text = repr(rows)
        assert "Qzxv" not in text, table
        assert UNIQUE_EMAIL not in text, table
        assert "qzxvsecret" not in text, table
    columns = {"candidate_id", "referred_by_id"}
    for table in dump:
        names = [r[1] for r in profile.database.execute_sql(f'PRAGMA table_info("{table}")')]
        for column in columns & set(names):
            found = profile.database.execute_sql(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?', (zoe,)
            ).fetchone()[0]
            assert found == 0, (table, column)
    profile.database.execute_sql(
        "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
    )
    assert services.candidate_list.ids(ListQuery(text=UNIQUE_EMAIL)) == []
    assert services.candidate_list.ids(ListQuery(text="qzxvsecret")) == []
    assert not attachment_path(attachments, ids["own"]).exists()
    assert attachment_path(attachments, ids["shared"]).exists()  # Ada still uses it
    assert services.candidates.get(ada).data.first_name == "Ada"
    [line] = services.privacy.audit_lines()
    assert line.detail["candidates"] == 1
    assert set(line.detail) == {
        "candidates", "contact_points", "timeline_entries", "applications", "reminders",
        "occurrence_states", "tag_links", "attachments", "referral_links",
    }  # fmt: skip
    assert all(isinstance(n, int) for n in line.detail.values())
    profile.close()
    raw = profile.paths.db_file.read_bytes()
    wal = profile.paths.db_file.with_name(profile.paths.db_file.name + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert UNIQUE_EMAIL.encode() not in raw
    assert b"qzxvsecret" not in raw
    assert b"qzxvunique" not in raw  # not even as a search-index token


def test_consent_is_recorded_and_checked(services, clock):
    zoe = services.candidates.create(CandidateInput("Zoë"))
    services.privacy.set_consent(zoe, date(2026, 1, 5), "consent")
    assert services.privacy.consent(zoe).on == date(2026, 1, 5)
    with pytest.raises(ValidationError, match="future"):
        services.privacy.set_consent(zoe, date(2027, 1, 1), "consent")
    with pytest.raises(ValidationError, match="Unknown"):
        services.privacy.set_consent(zoe, None, "because")


def test_retention_review_lists_candidates_without_recent_activity(services, clock):
    clock.set(datetime(2022, 6, 1, 10, 0))
    old = services.candidates.create(CandidateInput("Old", "Timer"))
    contacted = services.candidates.create(CandidateInput("Once", "Quiet"))
    clock.set(datetime(2026, 11, 27, 10, 0))
    services.timeline.add(contacted, "note", "Still around", occurred_at=_at(clock, -30))
    services.candidates.create(CandidateInput("New", "Comer"))
    rows = services.privacy.inactive(2)
    assert [r.candidate_id for r in rows] == [old]
    assert rows[0].last_activity.year == 2022
    assert services.privacy.inactive(5) == []


def test_candidate_data_export_zip(profile, services, clock, tmp_path):
    ids = populate(services, clock, profile.paths.attachments_dir)
    target = export_candidate_zip(
        ids["zoe"], clock, profile.paths.attachments_dir, tmp_path / "zoe.zip"
    )
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        data = json.loads(archive.read("candidate.json"))
        cv = archive.read("attachments/cv.pdf")
    assert names == ["attachments/cv.pdf", "attachments/t.pdf", "candidate.json"]
    assert cv == b"Zoe's CV qzxvsecret"
    assert data["candidate"]["last_name"] == "Qzxv-Müller"
    assert data["contact_points"][0]["value"] == UNIQUE_EMAIL
    assert data["timeline"][0]["summary"] == "Talked about qzxvsecret plans"
    assert data["applications"][0]["job_title"] == "SRE"
    assert data["tags"] == ["Python"]
    assert data["referred"] == [{"id": ids["ada"], "name": "Ada Lovelace"}]


# --- iCalendar -------------------------------------------------------------------------------


def test_calendar_is_valid_and_holds_reminders_interviews_and_celebrations(
    profile, services, clock
):
    populate(services, clock, profile.paths.attachments_dir)
    services.candidates.create(
        CandidateInput("Quiet", "Person", status="do_not_contact", birthday=PartialDate(1, 1))
    )
    out = io.StringIO()
    count = write_calendar(clock, out)
    calendar = icalendar.Calendar.from_ical(out.getvalue())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert count == len(events) == 6
    assert str(events["interview-1@rapport"]["summary"]).startswith("Interview: Zoë")
    assert events["reminder-2@rapport"]["rrule"]["FREQ"] == ["WEEKLY"]
    leap = events["birthday-1@rapport"]
    assert leap["rrule"]["BYMONTHDAY"] == [-1]
    assert leap.decoded("dtstart") == date(2026, 2, 28)
    assert events["birthday-2@rapport"].decoded("dtstart") == date(1990, 12, 1)
    assert "Quiet" not in out.getvalue()
    assert events["joining-1@rapport"].decoded("dtstart") == date(2024, 3, 1)


def test_a_monthly_reminder_on_the_31st_is_exported_as_the_last_day_of_shorter_months(
    services, clock
):
    """Rapport moves it to 28 February and 30 April; calendars must do the same, not skip."""
    from datetime import time

    from crm_desktop.core.reminders import local_wall_time

    due = local_wall_time(date(2027, 1, 31), time(9, 0), clock.tz())
    services.reminders.create("Invoices", due, recurrence="monthly")
    services.reminders.create("Rent", due - timedelta(days=16), recurrence="monthly")
    out = io.StringIO()
    write_calendar(clock, out)
    events = {
        str(e["summary"]): e for e in icalendar.Calendar.from_ical(out.getvalue()).walk("VEVENT")
    }
    rule = events["Invoices"]["rrule"]
    assert (rule["FREQ"], rule["BYMONTHDAY"], rule["BYSETPOS"]) == (
        ["MONTHLY"],
        [28, 29, 30, 31],
        [-1],
    )
    assert "BYMONTHDAY" not in events["Rent"]["rrule"]  # the 15th needs no rule of its own
