"""Fixtures for the store tests: a settable clock and real database files in ``tmp_path``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import peewee
import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.store.database import close_database, open_database

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "rapport.sqlite3"


@pytest.fixture
def backups_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "backups"


@pytest.fixture
def database(
    db_path: Path, backups_dir: Path, clock: SettableClock
) -> Iterator[peewee.SqliteDatabase]:
    """A fresh database file, opened (and upgraded) the way the app opens it, closed afterwards."""
    database = open_database(db_path, backups_dir, clock)
    yield database
    close_database(database)


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Callable[[int], Path]:
    """Copy ``tests/fixtures/schema_v{N}.sqlite3`` into ``tmp_path`` (the original stays as is)."""

    def copy(version: int) -> Path:
        source = FIXTURES_DIR / f"schema_v{version}.sqlite3"
        if not source.is_file():
            pytest.fail(
                f"{source.name} is missing: the change that introduces schema {version} must "
                "build it once with `uv run python -m tests.fixtures.make_fixtures` and commit it"
            )
        target = tmp_path / "data" / "rapport.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return target

    return copy
