"""The full JSON backup: every table, every row, and the attachment files; and its restore.

The backup is one JSON document::

    {"format": "rapport-backup", "version": 1, "schema": 4, "app": "0.1.0",
     "exported_at": "...Z", "tables": {"candidate": {"columns": [...], "rows": [[...], ...]}, ...},
     "files": {"<sha256>": "<base64>", ...}}

Tables are discovered from the database itself (``sqlite_master``), not from a list kept here,
so a table a later schema adds is backed up without anyone remembering to add it. Search
indexes (FTS5 tables and their shadow tables) are left out: they are derived, and rebuilt by
their triggers as the rows go back in. Values are SQLite's own (text, integer, real, NULL), so
restoring writes back exactly the stored bytes, and ``table_dump`` of the restored database
equals that of the original.

Restore goes into an empty database, or, with ``replace=True``, wipes one first; all in one
transaction, so a backup that turns out to be damaged halfway leaves the database as it was.
A backup from an older schema is first restored into a scratch database at that schema, which the
normal migrations then upgrade, and the upgraded rows are copied in: the same path a recruiter's
old file takes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import peewee

from crm_desktop import __version__
from crm_desktop.clock import Clock
from crm_desktop.exchange.attachment_files import attachment_path, write_attachment
from crm_desktop.i18n import _
from crm_desktop.store.fields import UtcDateTimeField
from crm_desktop.store.migrations import MIGRATIONS, run_migrations, schema_version

FORMAT = "rapport-backup"
VERSION = 1
# Written first on restore: the search document of a candidate is then built once, complete,
# when the candidate row arrives, instead of being rewritten for each contact and entry.
_FIRST = ("contact_point", "interaction")


class RestoreError(Exception):
    """The backup cannot be restored; ``str(exc)`` says why, in one sentence."""


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def summary(self) -> str:
        candidates = self.rows.get("candidate", 0)
        total = sum(self.rows.values())
        return _("Restored {candidates} candidates ({total} rows, {files} files)").format(
            candidates=candidates, total=total, files=self.files
        )


def data_tables(database: peewee.Database) -> list[str]:
    """Every table holding data: not SQLite's own, not search indexes or their shadow tables."""
    rows = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [
        name
        for name, _sql in rows
        if not name.startswith("sqlite_")
        and name not in virtual
        and not any(name.startswith(v + "_") for v in virtual)
    ]


def columns_of(database: peewee.Database, table: str) -> list[str]:
    return [row[1] for row in database.execute_sql(f'PRAGMA table_info("{table}")').fetchall()]


def table_dump(database: peewee.Database) -> dict[str, list[tuple]]:
    """Every data table's rows in rowid order: two databases with equal dumps hold equal data."""
    return {
        table: database.execute_sql(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        for table in data_tables(database)
    }


def write_backup(
    database: peewee.Database,
    handle: TextIO,
    clock: Clock,
    attachments_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Stream the backup to ``handle`` (one row per line); returns the row count per table."""
    counts: dict[str, int] = {}
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema": schema_version(database),
        "app": __version__,
        "exported_at": UtcDateTimeField().db_value(clock.now()),
    }
    handle.write(json.dumps(header, ensure_ascii=False)[:-1] + ',\n"tables": {')
    with database.atomic():  # one consistent snapshot of every table
        for number, table in enumerate(data_tables(database)):
            if progress:
                progress(table)
            columns = columns_of(database, table)
            handle.write(("," if number else "") + f"\n{json.dumps(table)}: ")
            handle.write(f'{{"columns": {json.dumps(columns)}, "rows": [')
            cursor = database.execute_sql(f'SELECT * FROM "{table}" ORDER BY rowid')
            count = 0
            for row in cursor:
                handle.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
                count += 1
            handle.write("]}")
            counts[table] = count
        hashes = _attachment_hashes(database)
    handle.write('\n},\n"files": {')
    written = 0
    for sha in hashes:
        path = attachment_path(attachments_dir, sha) if attachments_dir else None
        if path is None or not path.is_file():
            continue
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        handle.write(("," if written else "") + f"\n{json.dumps(sha)}: {json.dumps(encoded)}")
        written += 1
    handle.write("\n}}\n")
    return counts


def read_backup(path: Path) -> dict[str, Any]:
    """Load and check the structure of a backup file; raises ``RestoreError``."""
    try:
        with path.open("r", encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise RestoreError(
            _("{name} could not be read: {e}").format(name=path.name, e=exc)
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RestoreError(
            _("{name} is not a Rapport backup (it is not valid JSON).").format(name=path.name)
        ) from exc
    return check_backup(document, path.name)


def check_backup(document: object, name: str = "backup") -> dict[str, Any]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreError(_("{name} is not a Rapport backup.").format(name=name))
    if document.get("version") != VERSION:
        raise RestoreError(
            _("{name} was written by another version of Rapport's backup format.").format(name=name)
        )
    schema = document.get("schema")
    tables = document.get("tables")
    files = document.get("files", {})
    if not isinstance(schema, int) or schema < 1 or not isinstance(tables, dict):
        raise RestoreError(_("{name} is damaged: its header is incomplete.").format(name=name))
    if schema > len(MIGRATIONS):
        raise RestoreError(
            _(
                "{name} was written by a newer Rapport (schema {schema}); update Rapport to "
                "restore it."
            ).format(name=name, schema=schema)
        )
    for table, content in tables.items():
        ok = (
            isinstance(content, dict)
            and isinstance(content.get("columns"), list)
            and all(isinstance(c, str) for c in content["columns"])
            and isinstance(content.get("rows"), list)
            and all(
                isinstance(r, list)
                and len(r) == len(content["columns"])
                and all(v is None or isinstance(v, str | int | float) for v in r)
                for r in content["rows"]
            )
        )
        if not ok:
            raise RestoreError(
                _("{name} is damaged: table “{table}” is malformed.").format(
                    name=name, table=str(table)[:40]
                )
            )
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise RestoreError(_("{name} is damaged: its attachments are malformed.").format(name=name))
    return document


def is_empty(database: peewee.Database) -> bool:
    return not any(
        database.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
        for table in data_tables(database)
    )


def restore_backup(
    database: peewee.Database,
    document: dict[str, Any],
    attachments_dir: Path | None,
    clock: Clock,
    *,
    replace: bool = False,
) -> RestoreReport:
    """Restore a checked backup (``read_backup``) into ``database``; see the module docstring."""
    tables = document["tables"]
    if document["schema"] < schema_version(database):
        tables = _upgraded(document, clock)
    if not replace and not is_empty(database):
        raise RestoreError(
            _(
                "This profile already holds data; restore into a new, empty profile, or "
                "choose to replace everything in it."
            )
        )
    targets = data_tables(database)
    unknown = [t for t in tables if t not in targets]
    if unknown:
        raise RestoreError(
            _("The backup holds a table this Rapport does not know: {table}.").format(
                table=unknown[0][:40]
            )
        )
    report = RestoreReport()
    order = [t for t in _FIRST if t in tables] + [t for t in tables if t not in _FIRST]
    try:
        with database.atomic(lock_type="IMMEDIATE"):
            database.execute_sql("PRAGMA defer_foreign_keys = ON")
            if replace:
                for table in targets:
                    database.execute_sql(f'DELETE FROM "{table}"')
            for table in order:
                columns = tables[table]["columns"]
                known = set(columns_of(database, table))
                if not set(columns) <= known:
                    raise RestoreError(
                        _("The backup's table “{table}” has columns this Rapport lacks.").format(
                            table=table
                        )
                    )
                rows = tables[table]["rows"]
                if rows:
                    names = ", ".join(f'"{c}"' for c in columns)
                    marks = ", ".join("?" for _c in columns)
                    database.cursor().executemany(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows
                    )
                report.rows[table] = len(rows)
    except peewee.IntegrityError as exc:
        raise RestoreError(
            _("The backup is inconsistent ({e}); nothing was restored.").format(e=exc)
        ) from exc
    except peewee.DatabaseError as exc:
        raise RestoreError(_("The backup could not be restored: {e}").format(e=exc)) from exc
    if attachments_dir is not None:
        report.files = _restore_files(document.get("files", {}), attachments_dir)
    return report


def _restore_files(files: dict[str, str], attachments_dir: Path) -> int:
    written = 0
    for sha, encoded in files.items():
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hashlib.sha256(content).hexdigest() == sha:
            write_attachment(attachments_dir, content)
            written += 1
    return written


def _upgraded(document: dict[str, Any], clock: Clock) -> dict[str, Any]:
    """Restore an older backup into a scratch database at its schema, migrate it, read it back."""
    from crm_desktop.store.database import RapportDatabase

    schema = document["schema"]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "upgrade.sqlite3"
        staging = RapportDatabase(str(path), pragmas={"foreign_keys": 1})
        staging.connect()
        try:
            run_migrations(staging, path, Path(scratch), clock, MIGRATIONS[:schema])
            restore_backup(staging, {**document, "files": {}}, None, clock)
            run_migrations(staging, path, Path(scratch), clock, MIGRATIONS)
            return {
                table: {
                    "columns": columns_of(staging, table),
                    "rows": [list(r) for r in rows],
                }
                for table, rows in table_dump(staging).items()
            }
        finally:
            staging.close()


def _attachment_hashes(database: peewee.Database) -> list[str]:
    if "attachment" not in data_tables(database):
        return []
    rows = database.execute_sql("SELECT DISTINCT sha256 FROM attachment ORDER BY sha256")
    return [sha for (sha,) in rows.fetchall()]
