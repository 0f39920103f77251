"""Opening, creating and upgrading the database file, and refusing files we must not touch.

The upgrade tests run against ``tests/fixtures/schema_v{N}.sqlite3``: one file per schema version,
built by the release that introduced it and never regenerated (see
``tests/fixtures/make_fixtures.py``). When a new version appears, its fixture joins the
parametrised upgrade test automatically.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

import peewee
import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.services import build_services
from crm_desktop.store import database as database_module
from crm_desktop.store.database import close_database, integrity_ok, open_database
from crm_desktop.store.errors import (
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseTooNewError,
    MigrationError,
    NotRapportDatabaseError,
)
from crm_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION, schema_version
from crm_desktop.store.models import ALL_MODELS

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")
SQLITE_SYNCHRONOUS_FULL = 2


def read(path: Path, sql: str, *, immutable: bool = True) -> list[tuple]:
    """One read query through a throw-away connection.

    ``immutable`` connections never create -wal/-shm files and ignore any WAL, which is right for
    a closed, checkpointed file nobody writes (a fixture copy, a backup); use a normal connection
    to see what a crashed or still-open writer committed.
    """
    uri = f"{path.as_uri()}?immutable=1" if immutable else f"{path.as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def table_names(conn: peewee.SqliteDatabase) -> set[str]:
    rows = conn.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def columns(conn: peewee.SqliteDatabase, table: str) -> set[str]:
    return {row[1] for row in conn.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}


def assert_models_fit_schema(conn: peewee.SqliteDatabase) -> None:
    """Every table and column today's models use exists in the file (models vs migrations drift)."""
    tables = table_names(conn)
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert table in tables, f"table {table} missing"
        wanted = {f.column_name for f in model._meta.sorted_fields}
        missing = wanted - columns(conn, table)
        assert not missing, f"{table} lacks columns {sorted(missing)}"


def assert_fts_indexes_match_their_content(conn: peewee.SqliteDatabase) -> None:
    """Each FTS5 index agrees with its content (an upgrade must index the rows it found).

    ``PRAGMA integrity_check`` only covers FTS5 from SQLite 3.44; the FTS5 ``integrity-check``
    command with ``rank = 1`` also compares an external-content index with its content.
    """
    rows = conn.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
    ).fetchall()
    for (name,) in rows:
        conn.execute_sql(f'INSERT INTO "{name}"("{name}", rank) VALUES (\'integrity-check\', 1)')


def fingerprint(path: Path) -> tuple[str, int, int]:
    """Content hash, mtime (ns) and permission bits: any write or chmod changes one of them."""
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mtime_ns, info.st_mode


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(path.name + "-*"))


CANDIDATES_SQL = "SELECT id, first_name, last_name FROM candidate ORDER BY id"


def candidate_rows(path: Path) -> list[tuple]:
    return read(path, CANDIDATES_SQL)


@pytest.fixture
def closed_database(db_path: Path, backups_dir: Path, clock: SettableClock) -> Path:
    """A closed file at the current schema with a few candidates written by today's services."""
    database = open_database(db_path, backups_dir, clock)
    try:
        services = build_services(database, clock)
        ada = services.candidates.create(
            CandidateInput(first_name="Ada", last_name="Lovelace", emails=("ada@example.com",))
        )
        services.candidates.create(CandidateInput(first_name="Zoë", phones=("+49 30 1234567",)))
        services.timeline.add(ada, "call", "First call")
    finally:
        close_database(database)
    return db_path


# -- a new file ----------------------------------------------------------------------------------


def test_new_file_is_created_at_the_current_schema(
    database: peewee.SqliteDatabase, db_path: Path, backups_dir: Path
) -> None:
    assert db_path.is_file()
    assert schema_version(database) == SCHEMA_VERSION
    assert_models_fit_schema(database)
    assert_fts_indexes_match_their_content(database)
    assert integrity_ok(database)
    # Nothing existed to back up, so no backup copy was made.
    assert not backups_dir.exists() or not any(backups_dir.iterdir())


def test_new_file_uses_crash_safe_pragmas(database: peewee.SqliteDatabase) -> None:
    def pragma(name: str) -> object:
        return database.execute_sql(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == SQLITE_SYNCHRONOUS_FULL
    assert pragma("busy_timeout") > 0


def test_foreign_keys_are_enforced(database: peewee.SqliteDatabase) -> None:
    with pytest.raises(peewee.IntegrityError, match="FOREIGN KEY"):
        database.execute_sql(
            "INSERT INTO contact_point (candidate_id, kind, value, label, is_primary, digits) "
            "VALUES (424242, 'email', 'ghost@example.com', '', 1, '')"
        )


@posix_only
def test_new_file_and_its_journal_are_private(
    database: peewee.SqliteDatabase, db_path: Path, clock: SettableClock
) -> None:
    build_services(database, clock).candidates.create(CandidateInput(first_name="Ada"))
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    assert wal.exists()  # still open: the write sits in the WAL
    for path in (db_path, wal, shm):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


# -- upgrading real old files --------------------------------------------------------------------


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_every_fixture_upgrades_to_the_current_schema(
    version: int,
    fixture_copy: Callable[[int], Path],
    backups_dir: Path,
    clock: SettableClock,
) -> None:
    path = fixture_copy(version)
    assert read(path, "PRAGMA user_version") == [(version,)], "fixtures are never regenerated"
    before = candidate_rows(path)
    contacts_before = read(path, "SELECT count(*) FROM contact_point")
    entries_before = read(path, "SELECT count(*) FROM interaction")
    assert before, "the fixture should hold candidates"

    database = open_database(path, backups_dir, clock)
    try:
        assert schema_version(database) == SCHEMA_VERSION
        assert integrity_ok(database)
        assert_models_fit_schema(database)
        assert_fts_indexes_match_their_content(database)
        after = database.execute_sql(CANDIDATES_SQL).fetchall()
        assert after == before
        assert database.execute_sql("SELECT count(*) FROM contact_point").fetchall() == (
            contacts_before
        )
        assert database.execute_sql("SELECT count(*) FROM interaction").fetchall() == (
            entries_before
        )
        # Today's services read every old row and write new ones on the upgraded file.
        services = build_services(database, clock)
        for candidate_id, _first, _last in before:
            assert services.candidates.get(candidate_id).id == candidate_id
        new_id = services.candidates.create(
            CandidateInput(first_name="After", last_name="Upgrade", emails=("a@example.com",))
        )
        services.timeline.add(new_id, "note", "Written by the upgraded file")
    finally:
        close_database(database)

    backups = sorted(backups_dir.glob("*.sqlite3")) if backups_dir.exists() else []
    assert len(backups) == (1 if version < SCHEMA_VERSION else 0)


def test_v8_upgrade_indexes_three_tokens_per_phone(
    fixture_copy: Callable[[int], Path], backups_dir: Path, clock: SettableClock
) -> None:
    """Ada's "+44 20 7946 0958" of the v7 fixture: found by its start, national number and end
    after the upgrade, and the v2-v7 suffix tokens are gone from the index."""
    path = fixture_copy(7)
    database = open_database(path, backups_dir, clock)
    try:
        services = build_services(database, clock)
        ((ada,),) = database.execute_sql("SELECT id FROM candidate WHERE first_name = 'Ada'")
        for typed in ("+44 20 7946", "020 7946 0958", "7946 0958", "0958"):
            hits = services.candidate_list.ids(ListQuery(text=typed))
            assert hits == [ada], typed
        assert services.candidate_list.ids(ListQuery(text="79460")) == []
        database.execute_sql(
            "CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, candidate_fts, row)"
        )
        terms = {row[0] for row in database.execute_sql("SELECT term FROM temp.fts_terms")}
        assert {"442079460958", "2079460958", "\ue000859064970244"} <= terms
        assert "79460958" not in terms
    finally:
        close_database(database)


def add_sort_key(database: peewee.SqliteDatabase) -> None:
    """A test-only schema step: a new column, backfilled from existing data."""
    database.execute_sql("ALTER TABLE candidate ADD COLUMN test_sort_key TEXT NOT NULL DEFAULT ''")
    database.execute_sql(
        "UPDATE candidate SET test_sort_key = trim(first_name || ' ' || last_name)"
    )


def test_upgrade_backs_up_first_then_applies_and_backfills(
    fixture_copy: Callable[[int], Path], backups_dir: Path, clock: SettableClock
) -> None:
    path = fixture_copy(1)
    before = candidate_rows(path)
    backups_seen_by_step: list[Path] = []

    def extra_step(database: peewee.SqliteDatabase) -> None:
        backups_seen_by_step.extend(backups_dir.glob("*.sqlite3"))
        add_sort_key(database)

    migrations = (*MIGRATIONS, extra_step)
    database = open_database(path, backups_dir, clock, migrations)
    try:
        assert schema_version(database) == len(migrations) == SCHEMA_VERSION + 1
        rows = database.execute_sql(
            "SELECT id, first_name, last_name, test_sort_key FROM candidate ORDER BY id"
        ).fetchall()
    finally:
        close_database(database)
    assert [row[:3] for row in rows] == before
    for _id, first, last, sort_key in rows:
        assert sort_key == f"{first} {last}".strip()

    # The copy was made before the step ran, and it is the untouched v1 file.
    (backup,) = backups_dir.glob("*.sqlite3")
    assert backups_seen_by_step == [backup]
    assert f"before-v{SCHEMA_VERSION + 1}" in backup.name
    assert read(backup, "PRAGMA user_version") == [(1,)]
    assert candidate_rows(backup) == before
    assert "test_sort_key" not in {row[1] for row in read(backup, "PRAGMA table_info(candidate)")}
    assert read(backup, "PRAGMA integrity_check") == [("ok",)]
    if os.name == "posix":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        assert stat.S_IMODE(backups_dir.stat().st_mode) == 0o700


def test_backup_includes_commits_still_in_the_wal(
    closed_database: Path, backups_dir: Path, clock: SettableClock
) -> None:
    """After a crash the newest commits may live only in the -wal file; the backup needs them."""
    path = closed_database
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("PRAGMA wal_autocheckpoint = 0")  # keep the commit in the WAL only
        other.execute("INSERT INTO setting (key, value) VALUES ('only_in_wal', '1')")
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        database = open_database(path, backups_dir, clock, (*MIGRATIONS, add_sort_key))
        close_database(database)
    finally:
        other.close()
    (backup,) = backups_dir.glob("*.sqlite3")
    assert read(backup, "SELECT key FROM setting") == [("only_in_wal",)]


@posix_only
def test_opening_an_existing_file_makes_it_private(
    closed_database: Path, backups_dir: Path, clock: SettableClock
) -> None:
    path = closed_database
    path.chmod(0o644)
    close_database(open_database(path, backups_dir, clock))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def half_done_step(database: peewee.SqliteDatabase) -> None:
    """Changes the schema and the data, then fails before finishing."""
    database.execute_sql("ALTER TABLE candidate ADD COLUMN test_half_done TEXT")
    database.execute_sql("UPDATE candidate SET test_half_done = 'x', first_name = 'CHANGED'")
    raise RuntimeError("disk full half-way through")


def test_failed_step_leaves_the_previous_version_untouched(
    closed_database: Path, backups_dir: Path, clock: SettableClock
) -> None:
    path = closed_database
    before = candidate_rows(path)

    with pytest.raises(MigrationError) as caught:
        open_database(path, backups_dir, clock, (*MIGRATIONS, half_done_step))

    message = str(caught.value)
    assert f"schema {SCHEMA_VERSION + 1}" in message
    assert f"left at schema {SCHEMA_VERSION}" in message
    assert isinstance(caught.value.__cause__, RuntimeError)
    # Normal reads (not immutable): they also see whatever was committed to the WAL.
    assert read(path, "PRAGMA user_version", immutable=False) == [(SCHEMA_VERSION,)]
    assert "test_half_done" not in {
        row[1] for row in read(path, "PRAGMA table_info(candidate)", immutable=False)
    }
    assert read(path, CANDIDATES_SQL, immutable=False) == before
    (backup,) = backups_dir.glob("*.sqlite3")
    assert read(backup, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert candidate_rows(backup) == before

    # Today's release still opens the file as if nothing had happened.
    database = open_database(path, backups_dir, clock)
    try:
        assert schema_version(database) == SCHEMA_VERSION
        assert integrity_ok(database)
    finally:
        close_database(database)


def _open_descriptors_to(path: Path) -> list[str]:
    fd_dir = Path("/proc/self/fd")
    found = []
    for fd in fd_dir.iterdir():
        try:
            if Path(os.readlink(fd)) == path:
                found.append(fd.name)
        except OSError:
            continue  # closed while we looked (the directory's own descriptor)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_failed_upgrade_releases_the_file(
    closed_database: Path, backups_dir: Path, clock: SettableClock
) -> None:
    """The app shows the error and may offer to restore a backup: it must not hold the file."""
    path = closed_database.resolve()
    with pytest.raises(MigrationError):
        open_database(path, backups_dir, clock, (*MIGRATIONS, half_done_step))
    assert _open_descriptors_to(path) == []


# -- files we must not touch ---------------------------------------------------------------------


def _make_too_new(path: Path, journal_mode: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_newer_schema_is_refused_without_touching_the_file(
    journal_mode: str,
    closed_database: Path,
    backups_dir: Path,
    clock: SettableClock,
) -> None:
    path = closed_database
    _make_too_new(path, journal_mode)
    assert sidecars(path) == []
    before = fingerprint(path)

    with pytest.raises(DatabaseTooNewError) as caught:
        open_database(path, backups_dir, clock)

    assert "newer version" in str(caught.value)
    assert f"schema {SCHEMA_VERSION + 1}" in str(caught.value)
    assert fingerprint(path) == before
    assert not backups_dir.exists()


@pytest.mark.parametrize(
    "journal_mode",
    [
        "wal",
        "delete",
    ],
)
def test_newer_schema_refusal_creates_no_journal_files(
    journal_mode: str,
    closed_database: Path,
    backups_dir: Path,
    clock: SettableClock,
) -> None:
    path = closed_database
    _make_too_new(path, journal_mode)
    with pytest.raises(DatabaseTooNewError):
        open_database(path, backups_dir, clock)
    assert sidecars(path) == []


NOT_DATABASES = {
    "random-bytes": random.Random(1).randbytes(8192),
    "csv-export": b"first_name,last_name,email\nAda,Lovelace,ada@example.com\n" * 50,
    "short-text": b"hello\n",
    "sqlite-magic-then-garbage": b"SQLite format 3\x00" + random.Random(2).randbytes(4080),
}


@pytest.mark.parametrize("content", NOT_DATABASES.values(), ids=NOT_DATABASES.keys())
def test_a_file_that_is_not_a_database_is_refused_untouched(
    content: bytes, db_path: Path, backups_dir: Path, clock: SettableClock
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    before = fingerprint(db_path)

    with pytest.raises(DatabaseCorruptError) as caught:
        open_database(db_path, backups_dir, clock)

    assert "not a readable Rapport database" in caught.value.message
    assert "backup" in caught.value.message
    assert caught.value.path == db_path
    assert fingerprint(db_path) == before
    assert sidecars(db_path) == []
    assert not backups_dir.exists()


# -- locks ---------------------------------------------------------------------------------------


def test_exclusive_lock_is_reported_as_locked(
    closed_database: Path,
    backups_dir: Path,
    clock: SettableClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = candidate_rows(closed_database)
    # Keep the test quick: the version check waits BUSY_TIMEOUT_MS (5 s) for the lock.
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(closed_database, isolation_level=None)
    try:
        # EXCLUSIVE locking mode keeps even WAL readers out (what another program may do).
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError, match="locked by another program"):
            open_database(closed_database, backups_dir, clock)
        assert time.monotonic() - started < 3
        holder.execute("ROLLBACK")
    finally:
        holder.close()

    database = open_database(closed_database, backups_dir, clock)
    try:
        assert integrity_ok(database)
        assert database.execute_sql(CANDIDATES_SQL).fetchall() == before
    finally:
        close_database(database)


def test_a_writer_holding_the_write_lock_does_not_block_opening(
    closed_database: Path, backups_dir: Path, clock: SettableClock
) -> None:
    """WAL lets us open and read while another connection (a backup, a second window) writes."""
    before = candidate_rows(closed_database)
    holder = sqlite3.connect(closed_database, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO setting (key, value) VALUES ('uncommitted', '1')")
        started = time.monotonic()
        database = open_database(closed_database, backups_dir, clock)
        try:
            assert time.monotonic() - started < 1
            assert database.execute_sql(CANDIDATES_SQL).fetchall() == before
            assert database.execute_sql("SELECT count(*) FROM setting").fetchone() == (0,)
        finally:
            # Release the lock first: closing checkpoints, which waits for writers to finish.
            holder.execute("ROLLBACK")
            close_database(database)
    finally:
        holder.close()


def test_another_programs_sqlite_file_is_refused_untouched(
    tmp_path: Path, backups_dir: Path, clock: SettableClock
) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotRapportDatabaseError, match="another program"):
        open_database(path, backups_dir, clock)
    assert path.read_bytes() == before
