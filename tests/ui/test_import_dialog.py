"""The import dialog with real widgets: mapping, preview, dry run, import, cancel, bad files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.exchange.json_backup import table_dump
from crm_desktop.store.models import Candidate
from crm_desktop.ui.import_dialog import ImportDialog

LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.com,Engines,Engineer,12 Mar 2024\n"
    "Bad,Address,https://www.linkedin.com/in/bad,not-an-email,X,Y,01 Jan 2023\n"
    "Zoë,Müller,https://www.linkedin.com/in/zoe,zoe@example.de,Datenwerk,Scientist,01 Jan 2023\n"
)


@pytest.fixture
def dialog(qtbot, services, prompter, tmp_path):
    chosen = []
    widget = ImportDialog(services, prompter, choose_file=lambda _parent: chosen.pop())
    widget.chosen = chosen
    qtbot.addWidget(widget)
    widget.show()
    return widget


def choose(dialog, path):
    dialog.chosen.append(path)
    dialog.choose()


def preview_rows(dialog) -> list[list[str]]:
    model = dialog.preview_model
    return [
        [model.item(r, c).text() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_mapping_is_guessed_and_the_preview_shows_problems(dialog, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    choose(dialog, path)
    assert "LinkedIn" in dialog.info.text()
    assert "line 4" in dialog.info.text()
    assert dialog.mapping.rowCount() == 7
    assert dialog.mapping.cellWidget(3, 2).currentData() == "email"
    assert dialog.mapping.cellWidget(6, 2).currentData() == ""  # Connected On: ignored
    assert dialog.default_source.text() == "LinkedIn"
    rows = preview_rows(dialog)
    assert [r[0] for r in rows] == ["5", "6", "7"]
    assert rows[1][2] == "Rejected"
    assert "not-an-email" in rows[1][3]
    assert rows[0][2] == "New candidate"


def test_changing_the_mapping_updates_the_preview(dialog, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    choose(dialog, path)
    dialog.set_target(3, "")  # stop importing the e-mail column
    assert [r[2] for r in preview_rows(dialog)] == ["New candidate"] * 3


def test_dry_run_changes_nothing_then_import_creates(qtbot, dialog, tmp_path, profile):
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    choose(dialog, path)
    before = table_dump(profile.database)
    task = dialog.start(dry_run=True)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert table_dump(profile.database) == before
    assert "would be imported: 2 new candidates" in dialog.result.toPlainText()
    assert "line 6:" in dialog.result.toPlainText()
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args[0].created == 2
    assert Candidate.select().count() == 2
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert {r[2] for r in preview_rows(dialog)} == {"Already up to date", "Rejected"}


def test_cancel_leaves_the_database_as_it_was(qtbot, dialog, tmp_path, services, profile):
    services.candidates.create(CandidateInput("Already", "Here"))
    path = tmp_path / "many.csv"
    lines = ["First Name,Last Name,Email"] + [f"P{n},L{n},p{n}@example.com" for n in range(5000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    choose(dialog, path)
    before = table_dump(profile.database)
    task = dialog.start(dry_run=False)
    task.progressed.connect(lambda *_args: task.cancel(), Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert "cancelled" in dialog.result.toPlainText()
    assert table_dump(profile.database) == before
    assert dialog.last_report is None


def test_a_wrong_file_is_explained_in_the_dialog(dialog, tmp_path, prompter):
    path = tmp_path / "book.csv"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    choose(dialog, path)
    assert "Excel" in dialog.info.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_model.rowCount() == 0
    assert prompter.asked == []


def test_vcard_files_skip_the_mapping(dialog, tmp_path):
    path = tmp_path / "c.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nN:Lee;Ann;;;\nEND:VCARD\n")
    choose(dialog, path)
    assert dialog.info.text().startswith("vCard file")
    assert not dialog.mapping.parentWidget().isVisibleTo(dialog)
    assert preview_rows(dialog)[0][1:3] == ["Ann Lee", "New candidate"]
