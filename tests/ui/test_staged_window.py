"""The staged main window (what ``run_gui`` shows): the list first, the rest after the paint."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.ui.main_window import MainWindow


def _staged(qtbot, profile, prompter, name: str = "staged.ini") -> MainWindow:
    settings = QSettings(str(profile.paths.data_dir / name), QSettings.Format.IniFormat)
    window = MainWindow(
        profile.services, prompter, settings, profile.paths.attachments_dir, staged=True
    )
    qtbot.addWidget(window)
    return window


def test_staged_window_shows_the_list_first_and_completes_once_after_painting(
    qtbot, profile, prompter, clock
):
    ada = profile.services.candidates.create(CandidateInput(first_name="Ada", last_name="Okafor"))
    profile.services.reminders.create("Call Ada back", clock.now(), candidate_id=ada)
    window = _staged(qtbot, profile, prompter)
    completed = []
    window.completed.connect(lambda: completed.append(1))

    # Before the paint: the list holds the candidate; the other parts are empty places.
    assert window.list_model.rowCount() == 1
    assert not hasattr(window, "detail")
    assert not hasattr(window, "today")
    assert type(window.pages.widget(1)).__name__ == "QWidget"

    window.show()
    qtbot.waitUntil(lambda: completed == [1])
    assert window.candidates_page.widget(1) is window.detail
    assert window.splitter.widget(1) is window.today
    assert window.left.widget(0) is window.searches
    assert window.pages.widget(1) is window.jobs
    assert window.pages.widget(2) is window.ambassadors
    assert [window.pages.tabText(i) for i in range(3)] == ["Candidates", "Jobs", "Ambassadors"]
    assert window.pages.currentWidget() is window.candidates_page
    assert window.detail.candidate_id == ada  # the first candidate is opened
    qtbot.waitUntil(lambda: [i.title for i in window.today.items()] == ["Call Ada back"])

    window.complete()
    window.repaint()
    qtbot.wait(50)
    assert completed == [1]


def test_an_action_before_the_paint_completes_the_window_first(qtbot, profile, prompter):
    window = _staged(qtbot, profile, prompter)
    window.new_action.trigger()  # e.g. Ctrl+N pressed while the window was coming up
    assert window.detail.is_creating()
    assert window.candidates_page.widget(1) is window.detail
    window.detail.form.cancel()


def test_a_hidden_sidebar_stays_hidden_when_the_window_completes(qtbot, profile, prompter):
    first = _staged(qtbot, profile, prompter, "sidebar.ini")
    first.complete()
    first.searches_action.setChecked(False)
    first.save_geometry()

    again = _staged(qtbot, profile, prompter, "sidebar.ini")
    again.show()
    qtbot.waitUntil(lambda: hasattr(again, "searches"))
    assert not again.searches_action.isChecked()
    assert again.searches.isHidden()
    again.searches_action.setChecked(True)
    assert not again.searches.isHidden()


def test_a_window_that_never_paints_completes_anyway(qtbot, profile, prompter, monkeypatch):
    monkeypatch.setattr("crm_desktop.ui.main_window.COMPLETE_AT_THE_LATEST_MS", 50)
    window = _staged(qtbot, profile, prompter)  # started minimised: never shown
    qtbot.waitUntil(lambda: hasattr(window, "today"), timeout=2000)
    assert window.splitter.widget(1) is window.today


def test_a_page_or_a_search_chosen_before_the_window_completes_is_kept(qtbot, profile, prompter):
    from crm_desktop.core.jobs import JobInput

    profile.services.jobs.create_job(JobInput(title="Python developer"), "Acme")
    profile.services.candidates.create(CandidateInput(first_name="Ada", last_name="Okafor"))
    window = _staged(qtbot, profile, prompter)
    window.candidate_list.search.setText("ada")
    window.candidate_list.apply_filters()
    window.pages.setCurrentIndex(1)  # the Jobs tab, clicked while the window came up

    window.complete()
    assert window.pages.currentWidget() is window.jobs
    titles = [window.jobs.job_model.item(r).text() for r in range(window.jobs.job_model.rowCount())]
    assert any("Python developer" in title for title in titles)
    assert window.searches.save_button.isEnabled()  # "Save" would keep "ada", not nothing
