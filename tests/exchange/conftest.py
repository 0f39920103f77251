"""Helpers for the exchange tests: files written in a given encoding, and table dumps."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_desktop.exchange.importer import CandidateImporter, DuplicatePolicy, ImportReport
from crm_desktop.exchange.json_backup import table_dump
from crm_desktop.exchange.sources import open_source


@pytest.fixture
def write(tmp_path: Path):
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def import_file(services):
    def run(
        path: Path, policy: DuplicatePolicy = DuplicatePolicy.MERGE, dry_run: bool = False
    ) -> ImportReport:
        records, _counter = open_source(path).records()
        return CandidateImporter(services).run(records, policy, dry_run=dry_run)

    return run


@pytest.fixture
def dump(profile):
    return lambda: table_dump(profile.database)
