"""The template editor: lists the shipped defaults, previews in the candidate's language,
refuses unknown placeholders at save (saying which), creates, duplicates, deletes, resets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.recruiter_profile import RecruiterProfile
from crm_desktop.core.templates import default_templates
from crm_desktop.ui.template_editor import RecruiterDetailsDialog, TemplateEditor


@pytest.fixture
def editor(qtbot, services, prompter) -> TemplateEditor:
    dialog = TemplateEditor(services, prompter)
    qtbot.addWidget(dialog)
    return dialog


def _names(editor: TemplateEditor) -> list[str]:
    return [editor.model.item(r, 0).text() for r in range(editor.model.rowCount())]


def _select(editor: TemplateEditor, name: str) -> None:
    row = _names(editor).index(name)
    editor.list.setCurrentIndex(editor.model.index(row, 0))


def test_lists_the_shipped_templates_and_shows_the_first(editor):
    assert len(_names(editor)) == len(default_templates())
    assert _names(editor)[0] == "Absage"
    assert editor.name.text() == "Absage"
    assert editor.language.currentData() == "de"
    assert not editor.save_button.isEnabled()
    assert editor.reset_button.isVisibleTo(editor)
    assert not editor.reset_button.isEnabled()  # untouched: nothing to reset


def test_unknown_placeholder_is_refused_at_save_and_named(qtbot, editor, services):
    _select(editor, "Birthday")
    editor.body.setPlainText("Happy birthday {frist_name}! From {recruiter}")
    assert "Unknown placeholders {frist_name}" in editor.preview_note.text()  # while typing
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    error = editor.errors["body"]
    assert error.isVisibleTo(editor)
    assert error.text() == (
        "Unknown placeholders {frist_name} (did you mean {first_name}?), "
        "{recruiter} (did you mean {recruiter_name}?)"
    )
    assert editor.save_button.isEnabled()  # still unsaved
    saved = services.templates.choose("Birthday")
    assert saved.data.body == default_templates()["birthday.en"].body


def test_saving_an_edit_then_resetting_it(qtbot, editor, services, prompter):
    _select(editor, "Check-in")
    editor.subject.setText("Catching up, {first_name}?")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    record = services.templates.choose("Check-in")
    assert record.data.subject == "Catching up, {first_name}?"
    assert not editor.save_button.isEnabled()
    assert editor.reset_button.isEnabled()
    prompter.answers.append(True)
    editor.reset_current()
    assert services.templates.get(record.id).data == default_templates()["check_in.en"]
    assert editor.subject.text() == "How are things, {first_name}?"


def test_new_duplicate_and_delete(qtbot, editor, services, prompter):
    editor.new_template()
    qtbot.keyClicks(editor.name, "Referral thanks")
    editor.body.setPlainText("Thank you for the referral, {first_name}!")
    editor.kind.setCurrentIndex(editor.kind.findData("celebration"))
    assert editor.save()
    assert "Referral thanks" in _names(editor)
    editor.duplicate_current()
    assert editor.name.text() == "Referral thanks (copy)"
    assert editor.save()
    copy = services.templates.choose("Referral thanks (copy)")
    assert copy.data.kind == "celebration"
    prompter.answers.append(True)
    editor.delete_current()
    assert "Referral thanks (copy)" not in _names(editor)
    assert services.templates.choose("Referral thanks (copy)") is None


def test_unsaved_edits_are_offered_for_saving_when_switching(editor, services, prompter):
    _select(editor, "Offer")
    editor.subject.setText("An offer for you, {first_name}")
    prompter.answers.append(True)  # "Save your changes first?" -> Save
    _select(editor, "Birthday")
    assert prompter.asked[-1][1] == "Unsaved template"
    assert services.templates.choose("Offer").data.subject == "An offer for you, {first_name}"
    assert editor.name.text() == "Birthday"


def test_preview_renders_for_a_german_candidate(qtbot, services, prompter):
    services.recruiter.save(RecruiterProfile("Sam Okafor"))
    cid = services.candidates.create(
        CandidateInput("Jürgen", preferred_language="de", joined_on=date(2022, 11, 27))
    )
    editor = TemplateEditor(services, prompter, candidate_id=cid)
    qtbot.addWidget(editor)
    _select(editor, "Arbeitsjubiläum")
    preview = editor.preview.toPlainText()
    assert preview.startswith("Subject: Herzlichen Glückwunsch zum Jubiläum, Jürgen!")
    assert "am 27. November 2022 haben Sie" in preview
    assert "heute sind es 4 Jahre" in preview
    assert preview.rstrip().endswith("Sam Okafor")
    assert "{company}" in editor.preview_note.text()  # no company known: said so
    editor.preview_for.setCurrentIndex(0)  # the sample candidate
    assert "Priya" in editor.preview.toPlainText()


def test_placeholders_are_inserted_where_the_cursor_was(qtbot, editor):
    _select(editor, "Birthday")
    editor.subject.setFocus()
    editor.subject.setCursorPosition(0)
    editor._target = editor.subject  # offscreen windows do not always deliver focus events
    item = editor.placeholders.findItems("{full_name}", Qt.MatchFlag.MatchExactly, 0)[0]
    editor.placeholders.setCurrentItem(item)
    editor._insert_current_placeholder()
    assert editor.subject.text().startswith("{full_name}Happy birthday")


def test_recruiter_details_dialog_validates_and_saves(qtbot, services):
    dialog = RecruiterDetailsDialog(services.recruiter)
    qtbot.addWidget(dialog)
    dialog.name.setText("Sam Okafor")
    dialog.email.setText("not an address")
    assert not dialog.save()
    assert dialog.error.isVisibleTo(dialog)
    dialog.email.setText("sam@example.org")
    assert dialog.save()
    assert services.recruiter.get() == RecruiterProfile("Sam Okafor", "sam@example.org", "")
