"""Schema versions and the runner that applies them.

The version lives in ``PRAGMA user_version``. Before upgrading an existing file the runner copies
it (SQLite backup API, so the copy is consistent even in WAL mode) into the backups directory;
each step then runs in its own transaction together with the version bump, so a failed step
leaves the file exactly at the previous version. Each step is frozen SQL or code that never
imports today's models: a later change to the models must not change what v1 created.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import peewee

from crm_desktop.clock import Clock
from crm_desktop.paths import make_private_dir, touch_private_file
from crm_desktop.store.errors import (
    DatabaseTooNewError,
    MigrationError,
    NotRapportDatabaseError,
)

Migration = Callable[[peewee.SqliteDatabase], None]

_SQL_DIR = Path(__file__).resolve().parent / "sql"


def _run_sql_file(name: str) -> Migration:
    def step(database: peewee.SqliteDatabase) -> None:
        script = (_SQL_DIR / name).read_text(encoding="utf-8")
        for statement in _split_sql(script):
            database.execute_sql(statement)

    step.__name__ = f"apply_{name}"
    return step


def _split_sql(script: str) -> list[str]:
    """Split a script into statements (our frozen scripts keep one statement per ``;`` line end)."""
    statements, current = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        current.append(line)
        if line.rstrip().endswith(";") and sqlite3.complete_statement("\n".join(current)):
            statements.append("\n".join(current))
            current = []
    if current:
        statements.append("\n".join(current))
    return statements


# Index i holds the step that takes the schema from version i to i + 1.
MIGRATIONS: tuple[Migration, ...] = (
    _run_sql_file("v001_initial.sql"),
    _run_sql_file("v002_search.sql"),
    _run_sql_file("v003_consult.sql"),
    _run_sql_file("v004_audit.sql"),
    _run_sql_file("v005_list_indexes.sql"),
    _run_sql_file("v006_follow_up_index.sql"),
    _run_sql_file("v007_reminder_day.sql"),
    _run_sql_file("v008_phone_tokens.sql"),
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection | peewee.SqliteDatabase) -> int:
    """The file's ``user_version``."""
    cursor = conn.execute_sql if isinstance(conn, peewee.Database) else conn.execute
    return int(cursor("PRAGMA user_version").fetchone()[0])


def run_migrations(
    database: peewee.SqliteDatabase,
    path: Path,
    backups_dir: Path,
    clock: Clock,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> list[Path]:
    """Bring ``database`` up to ``len(migrations)``; returns the backup copies made."""
    current = schema_version(database)
    target = len(migrations)
    backups: list[Path] = []
    if current > target:
        raise DatabaseTooNewError(
            path, f"This database was written by a newer version of Rapport (schema {current})"
        )
    if current == 0 and _has_tables(database):
        raise NotRapportDatabaseError(
            path,
            "This SQLite file belongs to another program (it has tables but no Rapport schema); "
            "it was left untouched",
        )
    if current >= target:
        return backups
    if current > 0:
        backups.append(backup_copy(database, backups_dir, clock, f"before-v{target}"))
    for version in range(current, target):
        step = migrations[version]
        try:
            with database.atomic():
                step(database)
                database.execute_sql(f"PRAGMA user_version = {version + 1}")
        except Exception as exc:
            raise MigrationError(
                path,
                f"Upgrading the database to schema {version + 1} failed ({exc}); it was left "
                f"at schema {version}",
            ) from exc
    return backups


def _has_tables(database: peewee.SqliteDatabase) -> bool:
    row = database.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    return bool(row and row[0])


def backup_copy(
    database: peewee.SqliteDatabase, backups_dir: Path, clock: Clock, reason: str
) -> Path:
    """A consistent, owner-only copy of the open database in ``backups_dir``."""
    make_private_dir(backups_dir)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"rapport-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = backups_dir / f"rapport-{stamp}-{reason}-{counter}.sqlite3"
    touch_private_file(target)
    destination = sqlite3.connect(target)
    try:
        database.connection().backup(destination)
    finally:
        destination.close()
    return target
