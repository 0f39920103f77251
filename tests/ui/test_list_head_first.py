"""The list's start-up read: the first page of ids and the total, the rest on first need."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from crm_desktop.core.candidate_list import HeadFirst, ListQuery
from crm_desktop.core.candidates import CandidateInput

NAMES = ("Ada Berg", "Bo Chen", "Cy Diaz", "Di Eze", "Ed Fox")


@pytest.fixture
def ids(services) -> list[int]:
    return [
        services.candidates.create(CandidateInput(first_name=n.split()[0], last_name=n.split()[1]))
        for n in NAMES
    ]


def test_head_first_reads_the_rest_only_when_asked(services, ids):
    listed = services.candidate_list.ids(ListQuery(), head=2)
    assert isinstance(listed, HeadFirst)
    assert len(listed) == 5
    assert [listed[0], listed[1], *listed[0:2]] == ids[:2] * 2
    assert listed.index(ids[1]) == 1
    assert not listed.complete
    assert listed[4] == ids[4]
    assert listed.complete
    assert list(listed) == ids
    assert listed[-1] == ids[-1]


def test_iterating_or_finding_a_later_id_reads_everything(services, ids):
    listed = services.candidate_list.ids(ListQuery(), head=2)
    assert listed.index(ids[3]) == 3
    assert listed.complete
    again = services.candidate_list.ids(ListQuery(), head=2)  # now cached: the whole list
    assert not isinstance(again, HeadFirst)
    assert list(again) == ids


@pytest.mark.parametrize(
    "query",
    [ListQuery(text="berg"), ListQuery(status="placed"), ListQuery(sort="last_contacted")],
)
def test_searches_filters_and_the_contact_order_are_read_whole(services, ids, query):
    assert not isinstance(services.candidate_list.ids(query, head=2), HeadFirst)


def test_the_model_shows_the_total_at_once_and_catches_up_with_a_changed_book(
    qtbot, services, clock, ids
):
    from crm_desktop.ui.candidate_table_model import CandidateTableModel

    model = CandidateTableModel(services.candidate_list, clock, head_first=True)
    model.reload()
    assert model.rowCount() == 5  # before any row is read
    services.candidates.create(CandidateInput(first_name="Al", last_name="Aalto"))
    with qtbot.waitSignal(model.modelReset):
        model.read_all()
    assert model.rowCount() == 6
    assert model.index(0, 0).data() == "Al Aalto"
    model.reload()  # from now on every reload reads the whole list
    assert model.rowCount() == 6


def test_a_prefetched_head_is_what_the_list_reads(services, ids):
    listed = services.candidate_list
    listed.prefetch(ListQuery(), head=2)
    got = listed.ids(ListQuery(), head=2)
    assert isinstance(got, HeadFirst)
    assert (len(got), got[0], got[1]) == (5, ids[0], ids[1])
    assert list(got) == ids


def test_a_prefetch_is_dropped_when_the_book_changes_or_another_list_is_asked_for(services, ids):
    listed = services.candidate_list
    listed.prefetch(ListQuery(), head=2)
    services.candidates.create(CandidateInput(first_name="Al", last_name="Aalto"))
    fresh = listed.ids(ListQuery(), head=2)
    assert len(fresh) == 6
    assert fresh[0] != ids[0]  # Aalto sorts first: read after the change, not before

    listed.prefetch(ListQuery(), head=2)
    descending = listed.ids(ListQuery(descending=True), head=2)
    assert descending[0] == ids[-1]


def test_a_failed_prefetch_is_logged_and_read_again(services, ids, monkeypatch, caplog):
    listed = services.candidate_list
    read = listed._head_and_total

    def fails_on_the_helper_thread(query, head):
        if threading.current_thread() is not threading.main_thread():
            raise sqlite3.OperationalError("database is locked")
        return read(query, head)

    monkeypatch.setattr(listed, "_head_and_total", fails_on_the_helper_thread)
    listed.prefetch(ListQuery(), head=2)
    assert list(listed.ids(ListQuery(), head=2)) == ids
    assert "ahead failed" in caplog.text
