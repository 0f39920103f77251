"""Large imports' store helpers on real SQLite files: the search index filled from a helper
thread, and the indexes set aside for bulk writes."""

from __future__ import annotations

import sys

import peewee
import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.store.bulk import drop_indexes, recreate_indexes
from crm_desktop.store.search import search_triggers_paused
from crm_desktop.store.search_index import SWITCH_INTERVAL_S, search_indexed_in_background

SOURCE_COLUMNS = "id, first_name, last_name, headline, company_name, location, skills, source"


def _fts_ok(database: peewee.Database) -> None:
    database.execute_sql(
        "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
    )


def _write(database: peewee.Database, first: int, count: int, word: str) -> list[int]:
    ids = list(range(first, first + count))
    database.cursor().executemany(
        "INSERT INTO candidate (id, first_name, last_name, headline, company_name, location, "
        "skills, source, status, preferred_language, notes, concerns, career_goals, "
        "motivations, notice_period, expected_salary, target_roles, certifications_held, "
        "certifications_recommended, achievements, consent_basis, created_at, updated_at) "
        "VALUES (?, ?, 'Person', ?, '', '', '', '', 'active', 'en', '', '', '', '', '', '', '', "
        "'', '', '', '', '2026-01-01', '2026-01-01')",
        [(i, f"P{i}", word) for i in ids],
    )
    return ids


def _ids(services, text: str) -> list[int]:
    return services.candidate_list.ids(ListQuery(text=text))


def test_rows_added_in_runs_are_all_indexed(services, profile):
    database = profile.database
    with (
        database.atomic(),
        search_triggers_paused(database, ("candidate", "contact_point")),
        search_indexed_in_background(database, run=7) as index,
    ):
        index.add(_write(database, 1, 50, "Welder"))
        index.add(_write(database, 51, 3, "Welder"))  # the last, short run is written on exit
    assert len(_ids(services, "welder")) == 53
    _fts_ok(database)


def test_remove_waits_for_the_queued_adds(services, profile):
    database = profile.database
    with (
        database.atomic(),
        search_triggers_paused(database, ("candidate", "contact_point")),
        search_indexed_in_background(database, run=10) as index,
    ):
        ids = _write(database, 1, 25, "Welder")
        index.add(ids)
        index.remove(ids[:5])  # what was indexed comes out before the rows change
        database.execute_sql("UPDATE candidate SET headline = 'Baker' WHERE id <= 5")
        index.add(ids[:5])
    assert sorted(_ids(services, "baker")) == ids[:5]
    assert sorted(_ids(services, "welder")) == ids[5:]
    _fts_ok(database)


def test_a_failure_on_the_helper_thread_reaches_the_caller_and_rolls_back(services, profile):
    services.candidates.create(CandidateInput("Ada", "Lovelace"))
    database = profile.database
    with (  # noqa: PT012 - the failure surfaces where the block waits for the helper
        pytest.raises(peewee.OperationalError, match="no such table"),
        database.atomic(),
        search_triggers_paused(database, ("candidate", "contact_point")),
        search_indexed_in_background(database, run=5) as index,
    ):
        database.execute_sql("DROP VIEW candidate_search_source")  # the helper's source
        index.add(_write(database, 10, 20, "Welder"))
    assert database.execute_sql("SELECT count(*) FROM candidate").fetchone() == (1,)
    assert _ids(services, "lovelace") != []  # the view is back with the rollback
    _fts_ok(database)


def test_the_gil_changes_hands_more_often_only_while_the_helper_runs(profile):
    database = profile.database
    before = sys.getswitchinterval()
    with database.atomic(), search_indexed_in_background(database):
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
    assert sys.getswitchinterval() == before
    with (
        pytest.raises(KeyError),
        database.atomic(),
        search_indexed_in_background(database),
    ):
        raise KeyError("cancelled")
    assert sys.getswitchinterval() == before


def test_it_needs_a_transaction(profile):
    with (
        pytest.raises(RuntimeError, match="transaction"),
        search_indexed_in_background(profile.database),
    ):
        pass


def test_bulk_writes_keep_the_indexes_named_by_their_columns(profile):
    database = profile.database
    with database.atomic():
        statements = drop_indexes(database, ["candidate"], keep_columns=("deleted_at",))
        left = {
            name
            for (name,) in database.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'candidate' "
                "AND sql IS NOT NULL"
            )
        }
        assert left == {"candidate_trashed"}  # "deleted_at" alone: no imported row enters it
        assert any("candidate_live_name" in sql for sql in statements)
        recreate_indexes(database, statements)
