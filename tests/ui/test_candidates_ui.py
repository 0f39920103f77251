"""Create, edit, validate and delete candidates through the real widgets and a real database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.profile import open_profile


def _fill(qtbot, widget, text: str) -> None:
    """Type ``text``; QTest can only synthesise ASCII keys, so other text is inserted."""
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)


def test_create_edit_and_find_again_after_reopening(window, qtbot, paths, clock, profile):
    window.new_action.trigger()
    form = window.detail.form
    _fill(qtbot, form.first_name, "Zoë")
    _fill(qtbot, form.last_name, "Okafor")
    _fill(qtbot, form.headline, "Staff Data Engineer")
    _fill(qtbot, form.emails, "zoe.okafor@example.com; zoe@example.org")
    _fill(qtbot, form.phones, "+234 803 555 0101")
    _fill(qtbot, form.birthday, "1991-02-28")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert window.list_model.rowCount() == 1
    candidate_id = window.candidate_list.current_id()
    assert candidate_id is not None
    assert window.detail.name_label.text() == "Zoë Okafor"

    _fill(qtbot, form.location, "Lagos")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.is_dirty()
    assert window.list_model.index(0, 3).data() == "Lagos"

    window.close()
    profile.close()
    reopened = open_profile(paths, clock)
    try:
        record = reopened.services.candidates.get(candidate_id)
        assert record.data.location == "Lagos"
        assert record.data.emails == ("zoe.okafor@example.com", "zoe@example.org")
        assert record.data.birthday.isoformat() == "1991-02-28"
    finally:
        reopened.close()


def test_bad_email_and_impossible_date_save_nothing(window, qtbot, services):
    window.new_action.trigger()
    form = window.detail.form
    _fill(qtbot, form.first_name, "Ana")
    _fill(qtbot, form.emails, "ana-at-example")
    _fill(qtbot, form.birthday, "1990-02-30")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert services.candidate_list.count() == 0
    assert form._errors["emails"].isVisibleTo(form)
    assert "ana-at-example" in form._errors["emails"].text()
    assert "1990-02-30 is not a real date" in form._errors["birthday"].text()
    assert "2 fields" in form.banner.text()

    _fill(qtbot, form.emails, "ana@example.com")
    _fill(qtbot, form.birthday, "02-29")  # no year: 29 February is a real birthday
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert services.candidate_list.count() == 1
    assert not form._errors["emails"].isVisibleTo(form)


def test_delete_asks_then_moves_to_trash_and_restores(window, qtbot, services, prompter):
    keep = services.candidates.create(CandidateInput("Keep", "Me"))
    gone = services.candidates.create(CandidateInput("Lose", "Me"))
    assert window.list_model.rowCount() == 2
    window.candidate_list.select_candidate(gone)

    prompter.answers.extend([False])
    window.delete_action.trigger()
    assert window.list_model.rowCount() == 2  # declined: nothing happened

    prompter.answers.extend([True])
    window.delete_action.trigger()
    assert window.list_model.rowCount() == 1
    assert window.list_model.candidate_id(0) == keep
    assert [t.id for t in services.candidates.trashed()] == [gone]
    assert "Lose Me" in prompter.asked[-1][2]

    services.candidates.restore([gone])
    assert window.list_model.rowCount() == 2


def test_list_sorts_by_clicked_column(window, qtbot, services):
    services.candidates.create(CandidateInput("Bea", "Zimmer", company_name="Acme"))
    services.candidates.create(CandidateInput("Al", "Adams", company_name="Zeta"))
    model = window.list_model
    assert [model.index(r, 0).data() for r in range(2)] == ["Al Adams", "Bea Zimmer"]
    window.candidate_list.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 2).data() for r in range(2)] == ["Acme", "Zeta"]
    window.candidate_list.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 2).data() for r in range(2)] == ["Zeta", "Acme"]


def test_window_geometry_is_remembered(make_window, qtbot):
    first = make_window()
    size = (1250, 777)
    first.resize(*size)
    first.close()
    second = make_window()
    assert (second.width(), second.height()) == size


def test_creating_a_look_alike_asks_first(window, qtbot, services, prompter):
    services.candidates.create(CandidateInput("Ana", "Silva", emails=("ana@example.com",)))
    window.new_action.trigger()
    form = window.detail.form
    _fill(qtbot, form.first_name, "Ana")
    _fill(qtbot, form.last_name, "Silva")
    _fill(qtbot, form.emails, "ANA@example.com")
    prompter.answers.append(False)
    assert not form.save()
    assert services.candidate_list.count() == 1
    assert "ana@example.com" in prompter.asked[-1][2]
    prompter.answers.append(True)
    assert form.save()
    assert services.candidate_list.count() == 2


def test_notifications_join_the_window_menus(window, profile, prompter):
    from crm_desktop.app import attach_notifications

    controller = attach_notifications(window, profile, prompter, launch_args=[], start=False)
    menus = {
        menu.title(): [a.text() for a in menu.actions()]
        for menu in (window.candidate_menu, window.view_menu, window.tools_menu)
    }
    assert controller.new_reminder_action.text() in menus["&Candidate"]
    assert controller.preferences_action.text() in menus["&Tools"]
    assert controller.digest_action.text() in menus["&View"]


def test_today_waits_for_the_first_paint_which_is_announced_once(qtbot, profile, prompter, clock):
    """Start-up paints the window before Today's items are read; ``first_painted`` (which
    also starts the tray and alerts in ``run_gui``) fires once however often it repaints."""
    from PySide6.QtCore import QSettings

    from crm_desktop.ui.main_window import MainWindow

    profile.services.reminders.create("Call Ada back", clock.now())
    settings = QSettings(str(profile.paths.data_dir / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(profile.services, prompter, settings, profile.paths.attachments_dir)
    qtbot.addWidget(window)
    fired = []
    window.first_painted.connect(lambda: fired.append(1))
    assert window.today.view_data is None  # nothing read yet
    window.show()
    qtbot.waitUntil(lambda: fired == [1])
    assert [i.title for i in window.today.items()] == ["Call Ada back"]
    window.repaint()
    window.update()
    qtbot.wait(50)
    assert fired == [1]


def test_alerts_start_after_the_first_paint_or_soon_without_one(qtbot, profile, prompter):
    """A window started minimised never paints: the tray and alerts must start anyway, and a
    window that does paint gets them once, not twice."""
    from crm_desktop.app import build_main_window, schedule_notifications
    from crm_desktop.notify.integration import NotificationController

    hidden = build_main_window(profile, prompter)
    qtbot.addWidget(hidden)
    schedule_notifications(hidden, profile, prompter, latest_ms=100)
    qtbot.waitUntil(lambda: hidden.findChild(NotificationController) is not None)

    shown = build_main_window(profile, prompter)
    qtbot.addWidget(shown)
    schedule_notifications(shown, profile, prompter, latest_ms=300)
    shown.show()
    qtbot.waitUntil(lambda: shown.findChild(NotificationController) is not None, timeout=250)
    qtbot.wait(400)
    assert len(shown.findChildren(NotificationController)) == 1
