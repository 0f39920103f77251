"""The list pane: search as you type, filters, saved searches, bulk actions, kept selection."""

from __future__ import annotations

import csv
from datetime import timedelta

from PySide6.QtCore import QItemSelectionModel

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput


def _names(window) -> list[str]:
    model = window.list_model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _seed(services):
    create = services.candidates.create
    return {
        "ana": create(CandidateInput("Ana", "Silva", headline="Python dev", source="LinkedIn")),
        "ben": create(CandidateInput("Ben", "Okoro", headline="Java dev", source="Referral")),
        "cai": create(CandidateInput("Cai", "Wong", headline="=cmd|' /C calc'!A0", source="Event")),
    }


def test_search_as_you_type_narrows_after_a_pause(window, qtbot, services):
    _seed(services)
    window.candidate_list.search.setText("pyth")
    qtbot.waitUntil(lambda: _names(window) == ["Ana Silva"], timeout=2000)
    assert window.candidate_list.count_label.text() == "1 of 3 candidates"
    window.candidate_list.search.setText("zzz")
    qtbot.waitUntil(lambda: window.candidate_list.empty_label.isVisibleTo(window), timeout=2000)
    assert "No candidate matches" in window.candidate_list.empty_label.text()


def test_filters_combine_and_clear(window, services):
    ids = _seed(services)
    services.candidates.set_status([ids["ben"]], "passive")
    view = window.candidate_list
    view.status_filter.setCurrentIndex(view.status_filter.findData("passive"))
    assert _names(window) == ["Ben Okoro"]
    view.status_filter.setCurrentIndex(0)
    view.source_filter.setCurrentIndex(view.source_filter.findData("Event"))
    assert _names(window) == ["Cai Wong"]
    view.clear_filters()
    assert len(_names(window)) == 3
    assert not view.clear_button.isEnabled()


def test_saved_search_round_trip(window, services):
    _seed(services)
    window.candidate_list.search.setText("dev")
    window.candidate_list.apply_filters()
    window.searches.name.setText("Developers")
    window.searches.save_current()
    assert [s.name for s in services.saved_searches.all()] == ["Developers"]
    window.candidate_list.clear_filters()
    assert len(_names(window)) == 3
    model = window.searches.model
    row = next(r for r in range(model.rowCount()) if model.item(r).text() == "Developers")
    window.searches.list.clicked.emit(model.index(row, 0))
    assert _names(window) == ["Ben Okoro", "Ana Silva"]  # sorted by last name
    assert window.candidate_list.search.text() == "dev"


def test_saving_without_a_search_explains_why(window):
    window.searches.name.setText("Everything")
    window.searches.save_current()
    assert "Nothing to save" in window.searches.error.text()


def test_going_cold_and_due_filters(window, services, clock):
    ids = _seed(services)
    services.timeline.add(ids["ana"], "call", "Catch-up")
    services.timeline.add(ids["ben"], "call", "Old", occurred_at=clock.now() - timedelta(days=90))
    services.reminders.create("Call Cai", clock.now(), candidate_id=ids["cai"])
    window.candidate_list.set_query(ListQuery(cold_days=60))
    assert _names(window) == ["Ben Okoro", "Cai Wong"]
    window.candidate_list.set_query(ListQuery(has_due=True))
    assert _names(window) == ["Cai Wong"]
    assert window.candidate_list.due_filter.isChecked()


def test_bulk_status_and_selection_survive_refresh(window, services):
    ids = _seed(services)
    view = window.candidate_list
    selection = view.table.selectionModel()
    for key in ("ana", "cai"):
        index = window.list_model.index(window.list_model.row_of(ids[key]), 0)
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    window.bulk.set_status("passive")
    assert {services.candidates.get(i).data.status for i in (ids["ana"], ids["cai"])} == {"passive"}
    assert services.candidates.get(ids["ben"]).data.status == "active"
    services.candidates.create(CandidateInput("Aaron", "Able"))  # a refresh of the whole list
    assert sorted(view.selected_ids()) == sorted([ids["ana"], ids["cai"]])
    assert "2 selected" in view.count_label.text()


def test_export_selection_neutralises_formulas(window, services, prompter, tmp_path):
    ids = _seed(services)
    window.candidate_list.select_candidate(ids["cai"])
    prompter.paths.append(tmp_path / "out.csv")
    path = window.bulk.export_csv()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["first_name"] for r in rows] == ["Cai"]
    assert rows[0]["headline"] == "'=cmd|' /C calc'!A0"
    assert not (tmp_path / "out.csv.part").exists()


def test_bulk_trash_confirms_with_the_count(window, services, prompter):
    ids = _seed(services)
    window.candidate_list.table.selectAll()
    prompter.answers.append(True)
    window.bulk.trash()
    assert "3 candidates" in prompter.asked[-1][2]
    assert window.list_model.rowCount() == 0
    assert sorted(t.id for t in services.candidates.trashed()) == sorted(ids.values())


def test_columns_can_be_hidden_and_stay_hidden(make_window):
    first = make_window()
    first.candidate_list.table.setColumnHidden(2, True)
    first.close()
    second = make_window()
    assert second.candidate_list.table.isColumnHidden(2)


def test_bulk_tag_filters_and_shows_chips(window, services):
    ids = _seed(services)
    pool = services.tags.create("Java Pune")
    window.candidate_list.table.selectAll()
    window.bulk.tag(pool)
    view = window.candidate_list
    view.tag_filter.setCurrentIndex(view.tag_filter.findData(pool))
    assert len(_names(window)) == 3
    window.candidate_list.select_candidate(ids["ben"])
    window.bulk.untag(pool)
    assert "Ben Okoro" not in _names(window)
    window.open_candidate(ids["ana"])
    assert [chip.text() for chip in window.detail.tag_chips.chips()] == ["Java Pune"]
    assert [a.text() for a in window.bulk.menu().actions()][:3] == [
        "Set status",
        "Add tag",
        "Remove tag",
    ]
