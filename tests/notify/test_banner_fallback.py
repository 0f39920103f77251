"""Offscreen there is no system tray: alerts go to the in-window banner, and clicking opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from crm_desktop.core.alerts import ALERT_DIGEST, ALERT_REMINDER
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.notify.integration import install_notifications
from crm_desktop.notify.notifiers import BannerNotifier

OFFSCREEN_QUIRKS = (
    "This plugin does not support raise",  # the offscreen platform cannot raise a window
    "systemTrayWindowChanged",  # nor host a tray icon: Qt says so when one is made
)


@pytest.mark.qt_log_ignore(*OFFSCREEN_QUIRKS)
def test_alerts_go_to_the_banner_and_open_their_item(qtbot, window, services, prompter, clock):
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    services.candidates.create(CandidateInput("Aaron", "First"))
    zed = services.candidates.create(CandidateInput("Zed", "Last"))
    rid = services.reminders.create(
        "Call <b>Zed</b>", clock.now() + timedelta(minutes=1), candidate_id=zed
    )
    controller = install_notifications(window, services, prompter, start=False)
    assert controller.tray is None
    assert isinstance(controller.notifier, BannerNotifier)

    with qtbot.waitSignal(controller.notifier.alerted) as shown:
        controller.start()
    assert shown.args[0].kind == ALERT_DIGEST  # 10:00: today's digest comes first
    assert controller.banner.isVisible()

    clock.advance(timedelta(minutes=1))
    with qtbot.waitSignal(controller.notifier.alerted) as shown:
        controller.scheduler.tick()
    alert = shown.args[0]
    assert (alert.kind, alert.title) == (ALERT_REMINDER, "Call <b>Zed</b>")
    banner = controller.banner
    assert banner.title.text() == "Call <b>Zed</b> (and 1 earlier)"
    assert banner.title.textFormat() == Qt.TextFormat.PlainText  # user text is never markup

    with qtbot.waitSignal(controller.notifier.activated):
        qtbot.mouseClick(banner.open_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert window.candidate_list.current_id() == zed
    assert window.today.current_item().key == f"reminder:{rid}"


def test_without_a_tray_closing_the_window_closes_it(qtbot, window, services, prompter):
    install_notifications(window, services, prompter, start=False)
    window.close()
    assert not window.isVisible()


def test_todays_digest_on_request(qtbot, window, services, prompter, clock):
    services.reminders.create("Call Ada", clock.now() + timedelta(hours=2))
    controller = install_notifications(window, services, prompter, start=False)
    with qtbot.waitSignal(controller.notifier.alerted) as shown:
        controller.digest_action.trigger()
    assert shown.args[0].title == "Today: 1 reminder"
    assert controller.banner.text.text() == "Call Ada · 12:00"


def test_new_reminder_shortcut_opens_the_reminder_dialog(qtbot, window, services, prompter):
    controller = install_notifications(window, services, prompter, start=False)
    asked = []

    class Asker:
        def new_reminder(self, candidate_id=None, candidate_name="", job_id=None):
            asked.append((candidate_id, candidate_name, job_id))
            return None

    window.today.configure(asker=Asker())
    controller.asker = Asker()
    controller.new_reminder_action.trigger()
    controller.new_reminder(candidate_id=7, candidate_name="Ann")  # from a candidate's screen
    assert asked == [(None, "", None), (7, "Ann", None)]
    assert controller.new_reminder_action.shortcut().toString() == "Ctrl+Shift+R"


@pytest.mark.qt_log_ignore(*OFFSCREEN_QUIRKS)
def test_close_to_tray_hides_once_hints_and_quit_really_quits(
    qtbot, window, services, prompter, monkeypatch
):
    from crm_desktop.core.preferences import TRAY_HINT_SHOWN
    from crm_desktop.notify import integration

    controller = integration.NotificationController(window, services, prompter, use_tray=True)
    hints = []
    monkeypatch.setattr(controller.tray, "showMessage", lambda *args: hints.append(args[0]))
    controller.start()
    assert not window.close()  # refused: the window hides, Rapport keeps running
    assert window.isHidden()
    assert controller.scheduler.timer.isActive()  # alerts keep coming
    assert hints == ["Rapport is still running"]
    assert services.preferences.get(TRAY_HINT_SHOWN)
    controller.show_window()
    window.close()
    assert hints == ["Rapport is still running"]  # only the first time

    quits = []
    monkeypatch.setattr(integration.QApplication, "quit", lambda: quits.append(True))
    controller.show_window()
    window.quit_action.trigger()
    assert quits == [True]
    assert not controller.scheduler.timer.isActive()


@pytest.mark.qt_log_ignore(*OFFSCREEN_QUIRKS)
def test_logging_out_closes_instead_of_hiding(qtbot, window, services, prompter, monkeypatch):
    from PySide6.QtCore import SIGNAL
    from PySide6.QtWidgets import QApplication

    from crm_desktop.notify import integration

    app = QApplication.instance()
    before = app.receivers(SIGNAL("commitDataRequest(QSessionManager&)"))
    controller = integration.NotificationController(window, services, prompter, use_tray=True)
    assert app.receivers(SIGNAL("commitDataRequest(QSessionManager&)")) == before + 1
    hints = []
    monkeypatch.setattr(controller.tray, "showMessage", lambda *args: hints.append(args[0]))
    controller.session_ending()  # what the session manager's request leads to
    assert window.close()  # accepted: the logout is not held up
    assert hints == []  # and no "still running" hint: it is not hiding to the tray


@pytest.mark.qt_log_ignore(*OFFSCREEN_QUIRKS)
def test_the_tray_tooltip_counts_the_follow_ups_the_panel_does_not_list(
    qtbot, window, services, prompter, clock
):
    """The panel lists a page of follow-ups; the tray's summary counts every one."""
    from crm_desktop.notify import integration
    from crm_desktop.ui.today_panel import ROWS_PER_PAGE

    when = clock.local_now() - timedelta(days=31)
    for n in range(ROWS_PER_PAGE + 3):
        cid = services.candidates.create(CandidateInput(f"Cand{n:03}"))
        services.timeline.add(cid, "call", "Caught up", occurred_at=when)
    controller = integration.NotificationController(window, services, prompter, use_tray=True)
    window.today.refresh()
    assert window.today.view_data.more_overdue == 3
    controller.scheduler.checked.emit()
    assert controller.tray.toolTip() == f"Rapport · {ROWS_PER_PAGE + 3} overdue"


@pytest.mark.qt_log_ignore(*OFFSCREEN_QUIRKS)
def test_the_banner_arriving_after_start_up_keeps_the_focus(qtbot, window, services, prompter):
    """Alerts start after the first paint: putting the banner above the shown window's content
    must leave the recruiter typing where they were."""
    window.activateWindow()
    window.candidate_list.search.setFocus()
    qtbot.waitUntil(window.candidate_list.search.hasFocus)
    install_notifications(window, services, prompter, start=False)
    assert window.candidate_list.search.isVisible()
    assert window.focusWidget() is window.candidate_list.search
