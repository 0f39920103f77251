"""Opening the SQLite file: checks, pragmas, migrations.

Pragmas are chosen so that a committed edit survives a crash or a power loss: WAL journal with
``synchronous=FULL`` (WAL + NORMAL may lose the last commits on power loss), foreign keys on,
and a busy timeout so a brief lock held by a backup or a second window waits instead of failing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import peewee

from crm_desktop.clock import Clock
from crm_desktop.paths import touch_private_file
from crm_desktop.store.errors import (
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseTooNewError,
    NotRapportDatabaseError,
)
from crm_desktop.store.migrations import MIGRATIONS, Migration, run_migrations, schema_version
from crm_desktop.store.models import db
from crm_desktop.store.search import register_search_functions

BUSY_TIMEOUT_MS = 5000


def _pragmas() -> dict[str, object]:
    return {  # in this order: the timeout must apply to the journal switch
        "busy_timeout": BUSY_TIMEOUT_MS,
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": "full",
        "cache_size": -32000,  # 32 MB page cache
        "temp_store": "memory",
    }


class RapportDatabase(peewee.SqliteDatabase):
    """SQLite with Rapport's SQL functions registered on every connection it opens."""

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        super()._add_conn_hooks(conn)
        register_search_functions(conn)


def open_database(
    path: Path,
    backups_dir: Path,
    clock: Clock,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> peewee.SqliteDatabase:
    """Open (creating if needed) and upgrade the database, and bind the models to it.

    Refuses, without writing a byte, a file that is not a database or that a newer Rapport wrote.
    """
    target = len(migrations)
    if path.exists() and path.stat().st_size > 0:
        found = _peek_version(path)
        if found == 0 and _has_tables(path):
            raise NotRapportDatabaseError(
                path,
                "This SQLite file belongs to another program (it has tables but no Rapport "
                "schema); it was left untouched",
            )
        if found > target:
            raise DatabaseTooNewError(
                path,
                f"This database was written by a newer version of Rapport (schema {found}; "
                f"this version understands up to {target}). Update Rapport to open it; "
                "the file was left untouched",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    touch_private_file(path)
    # check_same_thread=False: a large import hands its connection to a helper thread that fills
    # the search index inside the same transaction (store/search_index.py); SQLite serialises
    # the calls. peewee still gives every other thread a connection of its own.
    database = RapportDatabase(
        str(path),
        pragmas=_pragmas(),
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    try:
        database.connect()
    except peewee.OperationalError as exc:
        raise _translate(path, exc) from exc
    try:
        db.initialize(database)
        run_migrations(database, path, backups_dir, clock, migrations)
    except BaseException:
        database.close()
        raise
    return database


def close_database(database: peewee.SqliteDatabase) -> None:
    """Checkpoint the WAL into the main file and close."""
    if database.is_closed():
        return
    # Another connection may be reading; then the next opener checkpoints the WAL.
    with contextlib.suppress(peewee.OperationalError):
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def integrity_ok(database: peewee.SqliteDatabase) -> bool:
    """True when ``PRAGMA integrity_check`` finds nothing wrong."""
    rows = database.execute_sql("PRAGMA integrity_check").fetchall()
    return rows == [("ok",)]


_HEADER_MAGIC = b"SQLite format 3\x00"


def _plausible_header(header: bytes) -> bool:
    """The checks SQLite itself makes on a header: magic, page size, payload fractions."""
    if len(header) < 100 or not header.startswith(_HEADER_MAGIC):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    power_of_two = page_size & (page_size - 1) == 0
    return 512 <= page_size <= 65536 and power_of_two and header[21:24] == b"\x40\x20\x20"


def _peek_version(path: Path) -> int:
    """Read ``user_version`` without writing anything, not even -wal/-shm files.

    The header's bytes 60-63 hold it; when a WAL file exists the newest value may only be there,
    so then a read-only connection is used (it may leave -shm behind, which is harmless).
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise _translate(path, exc) from exc
    if not _plausible_header(header):
        raise _translate(path, sqlite3.DatabaseError("file is not a database"))
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return int.from_bytes(header[60:64], "big")
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return schema_version(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _translate(path, exc) from exc


def _has_tables(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _translate(path, exc) from exc


def _translate(path: Path, exc: Exception) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            path, "The database is locked by another program; close it and try again"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseCorruptError(
            path,
            "This file is not a readable Rapport database (it may be damaged). "
            "Restore a backup from the backups folder",
        )
    return DatabaseCorruptError(path, f"The database could not be opened: {exc}")
