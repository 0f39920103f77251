"""The privacy dialog: consent, erase after confirmation, retention review, audit."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.store.models import Candidate
from crm_desktop.ui.privacy_dialog import PrivacyDialog


def make(qtbot, services, prompter, profile, candidate_id=None) -> PrivacyDialog:
    dialog = PrivacyDialog(services, prompter, profile.paths.attachments_dir, candidate_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_consent_is_saved_and_checked(qtbot, services, prompter, profile):
    zoe = services.candidates.create(CandidateInput("Zoë", "Müller"))
    dialog = make(qtbot, services, prompter, profile, zoe)
    assert dialog.who.text() == "Zoë Müller"
    assert not dialog.consent_date.isEnabled()
    dialog.basis.setCurrentIndex(dialog.basis.findData("consent"))
    dialog.has_date.setChecked(True)
    dialog.consent_date.setDate(QDate(2026, 3, 1))
    assert dialog.save_consent()
    assert services.privacy.consent(zoe).on == date(2026, 3, 1)
    dialog.consent_date.setDate(QDate(2030, 1, 1))
    assert not dialog.save_consent()
    assert "future" in dialog.consent_error.text()


def test_erase_asks_first_and_is_audited(qtbot, services, prompter, profile):
    zoe = services.candidates.create(CandidateInput("Zoë", "Müller", emails=("z@example.de",)))
    dialog = make(qtbot, services, prompter, profile, zoe)
    prompter.answers.append(False)
    assert not dialog.erase(zoe)
    assert Candidate.select().count() == 1
    prompter.answers.append(True)
    with qtbot.waitSignal(dialog.erased):
        assert dialog.erase(zoe)
    assert Candidate.select().count() == 0
    assert "1 e-mails, phones and web addresses" in prompter.asked[-1][2]
    assert dialog.audit_model.rowCount() == 1
    assert "Zo" not in dialog.audit_model.item(0, 2).text()
    assert not dialog.erase_button.isEnabled()


def test_retention_review_lists_the_quiet_ones(qtbot, services, prompter, profile, clock, tmp_path):
    clock.set(datetime(2021, 1, 10, 9, 0))
    old = services.candidates.create(CandidateInput("Old", "Timer"))
    clock.set(datetime(2026, 11, 27, 10, 0))
    services.candidates.create(CandidateInput("New", "Comer"))
    dialog = make(qtbot, services, prompter, profile)
    assert dialog.tabs.currentIndex() == 1
    dialog.years.setValue(3)
    dialog.refresh_retention()
    assert dialog.retention_model.rowCount() == 1
    assert dialog.retention_model.item(0, 0).text() == "Old Timer"
    assert dialog.retention_model.item(0, 2).text() == "2021-01-10"
    dialog.retention.selectRow(0)
    assert dialog.selected_retention_id() == old
    prompter.paths.append(tmp_path / "old.zip")
    assert dialog.export_data(dialog.selected_retention_id()) == tmp_path / "old.zip"
    assert (tmp_path / "old.zip").exists()
