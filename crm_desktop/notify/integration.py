"""Wires alerts into the main window: scheduler, tray or banner, close-to-tray, actions.

``install_notifications`` is called once by the composition root after the window is built.
It keeps all of this out of ``MainWindow`` and only uses the window's public parts: its Today
panel, ``open_candidate``, ``check_day_rollover``, ``quit_action`` and its central widget.

Close-to-tray: with a tray and the preference on, closing the window hides it (alerts keep
coming) and, the first time only, a tray message says so; File ▸ Quit and the tray's Quit really
quit. Without a tray, closing quits as before and the banner carries the alerts while open.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QStyle, QVBoxLayout, QWidget

from crm_desktop import autostart
from crm_desktop.core.alerts import Alert
from crm_desktop.core.preferences import CLOSE_TO_TRAY, TRAY_HINT_SHOWN
from crm_desktop.core.services import Services
from crm_desktop.i18n import _
from crm_desktop.notify.notifiers import BannerNotifier, Notifier, TrayNotifier, tray_available
from crm_desktop.notify.scheduler import AlertScheduler
from crm_desktop.notify.tray import TrayIcon
from crm_desktop.ui.banner import Banner
from crm_desktop.ui.preferences_dialog import PreferencesDialog
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.reminder_dialog import QtReminderAsker

log = logging.getLogger(__name__)

NEW_REMINDER_SHORTCUT = QKeySequence("Ctrl+Shift+R")
TRAY_HINT_MS = 8000
# The first check waits until the window has painted and settled: on a large database it reads
# a week of items (and, the first time, records them), which must not delay the first paint.
START_DELAY_MS = 1500


class NotificationController(QObject):
    """Owns the scheduler, the notifier (tray or banner) and the actions that go with them."""

    def __init__(
        self,
        window: QMainWindow,
        services: Services,
        prompter: Prompter,
        *,
        use_tray: bool | None = None,
        launch_args: Sequence[str] = (),
        login_start: autostart.Autostart | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.prompter = prompter
        self.launch_args = list(launch_args)
        self.login_start = login_start if login_start is not None else autostart.for_this_system()
        self._quitting = False

        self.asker = QtReminderAsker(
            services.reminders,
            services.clock,
            candidates=services.candidate_list,
            jobs=services.jobs,
            parent=window,
        )
        window.today.configure(prompter=prompter, asker=self.asker)

        self.tray: TrayIcon | None = None
        self.banner: Banner | None = None
        self.notifier: Notifier
        if use_tray if use_tray is not None else tray_available():
            self.tray = TrayIcon(_app_icon(window), self)
            self.tray.open_requested.connect(self.show_window)
            self.tray.digest_requested.connect(self.show_digest)
            self.tray.new_reminder_requested.connect(lambda: self.new_reminder())
            self.tray.quit_requested.connect(self.quit)
            self.notifier = TrayNotifier(self.tray, self)
            self.tray.show()
        else:
            self.banner = Banner()
            _put_above_content(window, self.banner)
            self.notifier = BannerNotifier(self.banner, self)
        self.notifier.activated.connect(self.open_alert)

        self.scheduler = AlertScheduler(services.alerts, services.clock, services.hub, self)
        self.scheduler.alert.connect(self.notifier.notify)
        self.scheduler.woke.connect(window.check_day_rollover)
        self.scheduler.checked.connect(self._update_tray_summary)

        self.new_reminder_action = self._action(_("New &reminder…"), lambda: self.new_reminder())
        self.new_reminder_action.setShortcut(NEW_REMINDER_SHORTCUT)
        self.digest_action = self._action(_("Today's &digest"), self.show_digest)
        self.preferences_action = self._action(_("&Preferences…"), self.open_preferences)
        self.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        for action in (self.new_reminder_action, self.preferences_action):
            window.addAction(action)  # shortcuts work before the actions are put in menus

        # File ▸ Quit must quit, not hide to the tray like the window's close button.
        quit_action = getattr(window, "quit_action", None)
        if quit_action is not None:
            quit_action.triggered.disconnect()
            quit_action.triggered.connect(self.quit)
        window.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # Logging out closes every window; a window that hides instead would cancel it.
            app.commitDataRequest.connect(self.session_ending)
            app.aboutToQuit.connect(self.scheduler.stop)

    # --- public -------------------------------------------------------------------------------

    def start(self) -> list[Alert]:
        """Raise what fell due while Rapport was closed, then keep watching."""
        return self.scheduler.start()

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def open_alert(self, alert: Alert) -> None:
        """The user clicked an alert: show the window at the item (or at Today for a digest)."""
        self.show_window()
        item = alert.single
        panel = self.window.today
        panel.refresh()
        if item is not None:
            if item.candidate_id is not None:
                self.window.open_candidate(item.candidate_id)
            panel.select_key(item.key)
        elif alert.items:
            panel.select_key(alert.items[0].key)
        panel.tree.setFocus()

    def show_digest(self) -> None:
        self.notifier.notify(self.services.alerts.summary())

    def new_reminder(
        self, candidate_id: int | None = None, candidate_name: str = "", job_id: int | None = None
    ) -> int | None:
        """Write a reminder: about the given candidate or job (from their screens), else about
        whoever is selected in Today (the shortcut, the tray menu)."""
        if not self.window.isVisible():
            self.show_window()
        if candidate_id is None and job_id is None:
            return self.window.today.new_reminder()
        saved = self.asker.new_reminder(candidate_id, candidate_name, job_id)
        if saved is not None:
            self.window.today.refresh()
        return saved

    def open_preferences(self) -> None:
        PreferencesDialog(
            self.services.preferences,
            self.login_start,
            autostart.launch_command(self.launch_args),
            self.prompter,
            tray_available=self.tray is not None,
            parent=self.window,
        ).exec()

    def quit(self) -> None:
        """Quit for real (the window may still refuse, for unsaved edits)."""
        self._quitting = True
        if self.window.close():
            self.scheduler.stop()
            if self.tray is not None:
                self.tray.hide()
            QApplication.quit()
        else:
            self._quitting = False

    # --- internals ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.Close
            and not self._quitting
            and self.tray is not None
            and self.services.preferences.get(CLOSE_TO_TRAY)
        ):
            event.ignore()
            self.window.hide()
            self._hint_once()
            return True
        return super().eventFilter(watched, event)

    def session_ending(self, *_args) -> None:
        """The desktop session is ending: let the window close for real."""
        self._quitting = True

    def _hint_once(self) -> None:
        prefs = self.services.preferences
        if self.tray is None or prefs.get(TRAY_HINT_SHOWN):
            return
        self.tray.showMessage(
            _("Rapport is still running"),
            _(
                "Alerts keep coming from here. To quit, use Quit in this icon's menu. "
                "You can change this in Preferences."
            ),
            self.tray.MessageIcon.Information,
            TRAY_HINT_MS,
        )
        prefs.set(TRAY_HINT_SHOWN, True, announce=False)

    def _update_tray_summary(self) -> None:
        if self.tray is None:
            return
        view = self.window.today.view_data
        if view is None:
            return
        parts = []
        if view.overdue_count:  # the panel lists a page of follow-ups; count them all
            parts.append(_("{n} overdue").format(n=view.overdue_count))
        if view.today_count:
            parts.append(_("{n} today").format(n=view.today_count))
        self.tray.set_summary(" · ".join(parts))

    def _action(self, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action


def install_notifications(
    window: QMainWindow,
    services: Services,
    prompter: Prompter,
    *,
    launch_args: Sequence[str] = (),
    start: bool = True,
) -> NotificationController:
    """Build the controller; with ``start``, the first check runs shortly after the event loop
    starts (so the start-up digest appears over a painted window, without delaying it)."""
    controller = NotificationController(window, services, prompter, launch_args=launch_args)
    if start:
        QTimer.singleShot(START_DELAY_MS, controller, controller.start)
    return controller


def _app_icon(window: QWidget) -> QIcon:
    """The window's icon; a standard one if the app has none (a tray icon must have one)."""
    icon = window.windowIcon()
    if icon.isNull():
        icon = QApplication.windowIcon()
    if icon.isNull():
        icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
    return icon


def _put_above_content(window: QMainWindow, banner: QWidget) -> None:
    """Insert ``banner`` above the window's central widget without the window knowing."""
    focus = window.focusWidget()  # re-parenting a shown window's content loses the focus
    content = window.takeCentralWidget()
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)  # hidden, the banner leaves the window as it was
    layout.setSpacing(0)
    layout.addWidget(banner)
    if content is not None:
        layout.addWidget(content, 1)
    window.setCentralWidget(holder)
    if window.isVisible():  # re-parented widgets are shown only later, by the event loop
        holder.show()
        if content is not None:
            content.show()
        if focus is not None:
            focus.setFocus()
