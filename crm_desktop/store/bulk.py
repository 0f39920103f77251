"""Bulk writes: secondary indexes dropped for the writes and rebuilt once afterwards.

A row written into a table with many indexes updates each of them, page by page, in random
order; rebuilding an index from a finished table sorts once. For a large import into a small
base (150,000 candidates into an empty profile) that halves the time the candidate table takes.
Everything happens inside the caller's transaction: SQLite DDL is transactional, so a failure or
a cancel rolls the dropped indexes back with the rows, and other connections never see the
tables without them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import peewee

from crm_desktop.store.params import placeholders


def drop_indexes(
    database: peewee.Database,
    tables: Sequence[str],
    keep: Collection[str] = (),
    keep_columns: Collection[str] = (),
) -> list[str]:
    """Drop the indexes of ``tables`` and return the statements that recreate them.

    Kept: the indexes named in ``keep``, those of UNIQUE or PRIMARY KEY constraints (SQLite owns
    them) and those whose every column is in ``keep_columns``. Name those columns that a bulk
    write fills with few distinct values (a status, a NULL, the import's timestamp) or in
    ascending order: a new row then lands at the end of its key's run, in a page already in the
    cache, which costs less than sorting the whole table again to rebuild the index.
    """
    if not database.in_transaction():
        raise RuntimeError("drop_indexes needs a transaction")
    marks = placeholders(len(tables))
    rows = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) "
        "AND sql IS NOT NULL ORDER BY name",
        tuple(tables),
    ).fetchall()
    statements = []
    for name, sql in rows:
        if name in keep or "UNIQUE" in sql.upper().split("INDEX")[0]:
            continue
        columns = [row[2] for row in database.execute_sql(f'PRAGMA index_info("{name}")')]
        if keep_columns and all(column in keep_columns for column in columns):
            continue
        database.execute_sql(f'DROP INDEX "{name}"')
        statements.append(sql)
    return statements


def recreate_indexes(database: peewee.Database, statements: Sequence[str]) -> None:
    for sql in statements:
        database.execute_sql(sql)
