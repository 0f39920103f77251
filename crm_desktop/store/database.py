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
)
from crm_desktop.store.migrations import MIGRATIONS, Migration, run_migrations, schema_version
from crm_desktop.store.models import db
from crm_desktop.store.search import register_search_functions

BUSY_TIMEOUT_MS = 5000
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
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
        if found > target:
            raise DatabaseTooNewError(
                path,
                f"This database was written by a newer version of Rapport (schema {found}; "
                f"this version understands up to {target}). Update Rapport to open it; "
                "the file was left untouched",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    touch_private_file(path)
    database = RapportDatabase(str(path), pragmas=PRAGMAS)
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


def _peek_version(path: Path) -> int:
    """Read ``user_version`` through a read-only connection (no WAL switch, no writes)."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return schema_version(conn)
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
