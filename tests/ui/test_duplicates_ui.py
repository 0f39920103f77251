"""The duplicates list and the side-by-side merge dialog, over a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.duplicates import DuplicateFinder
from crm_desktop.core.merge import MergeService
from crm_desktop.store.models import Candidate
from crm_desktop.ui.duplicates_dialog import (
    DuplicatesDialog,
    MergeDialog,
    confirm_create_despite_duplicates,
)


@pytest.fixture
def merger(services, clock) -> MergeService:
    return MergeService(clock, services.hub, services.database)


@pytest.fixture
def finder(services) -> DuplicateFinder:
    return DuplicateFinder(services.database)


@pytest.fixture
def pair(services) -> tuple[int, int]:
    left = services.candidates.create(
        CandidateInput(
            "Ana", "Silva", headline="Engineer", location="Berlin", emails=("ana@example.com",)
        )
    )
    right = services.candidates.create(
        CandidateInput(
            "Ana",
            "Silva",
            headline="Senior Data Engineer",
            company_name="Acme",
            emails=("ANA@example.com",),
        )
    )
    services.timeline.add(right, "call", "Talked about the Acme role")
    return left, right


def test_merge_dialog_takes_the_chosen_value_from_the_right(
    qtbot, services, merger, prompter, pair
):
    left, right = pair
    dialog = MergeDialog(merger, prompter, left, right)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Differing values get a choice, defaulting to the survivor's (left) non-empty value.
    assert dialog.chosen_side("headline") == "left"
    assert dialog.chosen_side("company_name") == "right"  # empty on the left
    assert "first_name" not in dialog.choice_buttons  # the same on both sides
    qtbot.mouseClick(dialog.choice_buttons["headline"]["right"], Qt.MouseButton.LeftButton)
    assert dialog.choices()["headline"] == "duplicate"

    prompter.answers.append(True)
    with qtbot.waitSignal(dialog.merged) as merged:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    assert merged.args == [left, right]
    assert dialog.result() == MergeDialog.DialogCode.Accepted
    record = services.candidates.get(left)
    assert record.data.headline == "Senior Data Engineer"
    assert record.data.company_name == "Acme"
    assert record.data.location == "Berlin"
    assert not services.candidates.exists(right)
    assert services.timeline.count(left) == 2  # the call and the merge note
    assert prompter.asked[0][1] == "Merge candidates"


def test_keeping_the_right_record_swaps_survivor_and_defaults(
    qtbot, services, merger, prompter, pair
):
    left, right = pair
    dialog = MergeDialog(merger, prompter, left, right)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.right_survivor, Qt.MouseButton.LeftButton)
    assert (dialog.survivor_id, dialog.duplicate_id) == (right, left)
    assert dialog.chosen_side("headline") == "right"
    assert dialog.chosen_side("location") == "left"  # empty on the new survivor
    assert dialog.badges["right"].text() == "survives"

    prompter.answers.append(True)
    assert dialog.merge()
    assert not services.candidates.exists(left)
    record = services.candidates.get(right)
    assert (record.data.headline, record.data.location) == ("Senior Data Engineer", "Berlin")


def test_declining_the_confirmation_merges_nothing(qtbot, merger, prompter, pair):
    left, right = pair
    dialog = MergeDialog(merger, prompter, left, right)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    prompter.answers.append(False)
    assert not dialog.merge()
    assert Candidate.select().count() == 2


def test_a_refused_merge_is_reported_not_raised(qtbot, services, merger, prompter, pair):
    left, right = pair
    dialog = MergeDialog(merger, prompter, left, right)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    services.candidates.trash([right])  # meanwhile, elsewhere
    prompter.answers.append(True)
    assert not dialog.merge()
    assert prompter.asked[-1][0:2] == ("error", "Not merged")
    assert f"Candidate {right} is in the trash" in prompter.asked[-1][2]


def test_duplicates_dialog_lists_groups_and_merges_the_selected_one(
    qtbot, services, finder, merger, prompter, pair
):
    left, right = pair
    services.candidates.create(CandidateInput("Bo", "Chen"))
    dialog = DuplicatesDialog(finder, merger, prompter)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert (
        dialog.model.index(0, 0).data() == "Ana Silva ×2 — same e-mail ana@example.com; same name"
    )
    assert f"Ana Silva (#{left}) · Ana Silva (#{right})" in dialog.details.text()

    merge_dialog = dialog.review_selected()
    assert merge_dialog is not None
    assert (merge_dialog.survivor_id, merge_dialog.duplicate_id) == (left, right)
    prompter.answers.append(True)
    assert merge_dialog.merge()

    assert dialog.model.rowCount() == 0
    assert dialog.empty.isVisibleTo(dialog)
    assert not dialog.review_button.isEnabled()
    assert dialog.status.text() == f"Merged Ana Silva (#{right}) into #{left}."


def test_duplicates_dialog_shows_an_empty_state(qtbot, services, finder, merger, prompter):
    services.candidates.create(CandidateInput("Bo", "Chen"))
    dialog = DuplicatesDialog(finder, merger, prompter)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert dialog.empty.text() == "No likely duplicates found."
    assert dialog.empty.isVisibleTo(dialog)
    assert not dialog.list.isVisibleTo(dialog)
    assert dialog.review_selected() is None


def test_a_group_of_three_stays_listed_after_one_merge(qtbot, services, finder, merger, prompter):
    ids = [
        services.candidates.create(CandidateInput("Chidi", "Okafor", phones=(phone,)))
        for phone in ("+234 803 555 0101", "0803 555 0101", "803-555-0101")
    ]
    dialog = DuplicatesDialog(finder, merger, prompter)
    qtbot.addWidget(dialog)
    assert dialog.model.index(0, 0).data().startswith("Chidi Okafor ×3 — same phone")
    prompter.answers.append(True)
    dialog.review_selected().merge()
    assert dialog.model.rowCount() == 1
    assert dialog.groups[0].candidate_ids == (ids[0], ids[2])
    assert dialog.model.index(0, 0).data().startswith("Chidi Okafor ×2")


def test_create_flow_question_lists_the_matches(services, finder, prompter, pair):
    left, right = pair
    matches = finder.for_input(CandidateInput("ana", "silva", emails=("Ana@Example.com",)))
    prompter.answers.append(False)
    assert not confirm_create_despite_duplicates(prompter, matches)
    kind, title, text = prompter.asked[0]
    assert (kind, title) == ("confirm", "Possible duplicate")
    assert f"Ana Silva (#{left}): same e-mail ana@example.com, same name" in text
    assert f"Ana Silva (#{right}): same e-mail ANA@example.com, same name" in text
    assert confirm_create_despite_duplicates(prompter, [])  # nothing found: no question
