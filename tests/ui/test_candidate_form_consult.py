"""The Profile form's career section and preferred language."""

from __future__ import annotations

from crm_desktop.core.candidates import CandidateInput


def test_career_fields_and_language_are_edited_and_saved(window, qtbot, services):
    cid = services.candidates.create(CandidateInput("Aisha", "Bello"))
    window.open_candidate(cid)
    form = window.detail.form
    assert form.preferred_language.currentData() == "en"
    form.preferred_language.setCurrentIndex(form.preferred_language.findData("de"))
    qtbot.keyClicks(form.notice_period, "3 months")
    form.expected_salary.setText("€80–90k")  # keyClicks only types ASCII
    form.motivations.setPlainText("Ownership of a product")
    form.target_roles.setPlainText("Engineering manager")
    form.certifications_held.setPlainText("CKA")
    form.certifications_recommended.setPlainText("AWS Solutions Architect")
    form.achievements.setPlainText("Cut cloud costs by 40%")
    assert form.is_dirty()
    assert form.save()

    data = services.candidates.get(cid).data
    assert data.preferred_language == "de"
    assert (data.notice_period, data.expected_salary) == ("3 months", "€80–90k")
    assert data.certifications_recommended == "AWS Solutions Architect"
    assert data.achievements == "Cut cloud costs by 40%"
    form.load(cid)
    assert form.motivations.toPlainText() == "Ownership of a product"
    assert not form.is_dirty()


def test_too_long_notice_period_is_shown_beside_the_field(window, services):
    cid = services.candidates.create(CandidateInput("Aisha"))
    window.open_candidate(cid)
    form = window.detail.form
    form.notice_period.setText("x" * 301)
    assert not form.save()
    error = form.findChild(type(form.banner), "notice_period_error")
    assert error.isVisibleTo(form)
    assert "at most 300" in error.text()
    form.cancel()  # back to the saved profile, so closing the window asks nothing
    assert not form.is_dirty()


def test_a_stored_language_not_in_the_list_is_kept(window, services):
    cid = services.candidates.create(CandidateInput("Kenji", preferred_language="ja"))
    window.open_candidate(cid)
    form = window.detail.form
    assert form.preferred_language.currentData() == "ja"
    assert form.preferred_language.currentText() == "Japanese (ja)"
    assert not form.is_dirty()  # showing it changed nothing
