"""Composition root of the GUI: builds the QApplication, the window and its collaborators once."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from crm_desktop import APP_AUTHOR, APP_NAME, __version__
from crm_desktop.i18n import _
from crm_desktop.profile import Profile
from crm_desktop.resources import resource_path
from crm_desktop.ui.crash_handler import CrashHandler
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.prompter import Prompter, QtPrompter

if TYPE_CHECKING:
    from crm_desktop.notify.integration import NotificationController

log = logging.getLogger(__name__)

NOTIFICATIONS_AT_THE_LATEST_MS = 3000


def ensure_qapplication(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("rapport")
    try:
        app.setWindowIcon(QIcon(str(resource_path("icons", "rapport.svg"))))
    except FileNotFoundError:
        log.warning("Application icon missing")
    return app  # type: ignore[return-value]


def build_main_window(profile: Profile, prompter: Prompter, *, staged: bool = False) -> MainWindow:
    """The main window over this profile; ``staged`` builds all but the list after the first
    paint (see ``MainWindow``)."""
    settings = QSettings(str(profile.paths.data_dir / "window.ini"), QSettings.Format.IniFormat)
    suffix = _(" — demo data") if profile.demo else ""
    return MainWindow(
        profile.services,
        prompter,
        settings,
        profile.paths.attachments_dir,
        title_suffix=suffix,
        staged=staged,
    )


def show_startup_error(message: str, where: str) -> None:
    """The database could not be opened: tell the user in a window (no terminal from a menu)."""
    ensure_qapplication(sys.argv)
    QtPrompter().error(_("Rapport cannot open its database"), f"{message}.\n\n{where}")


class _FirstPaintProbe(QObject):
    """For the start-up benchmark: print ``first-paint`` when the window first paints, then
    ``complete`` once every part of it is built and Today is listed, then quit."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        window.completed.connect(self._on_complete)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print("first-paint", flush=True)
        return False

    def _on_complete(self) -> None:
        print("complete", flush=True)
        QTimer.singleShot(0, QApplication.quit)


def attach_notifications(
    window: MainWindow,
    profile: Profile,
    prompter: Prompter,
    *,
    launch_args: list[str],
    start: bool = True,
) -> NotificationController:
    """Alerts (tray or banner), the scheduler, and their actions in the window's menus."""
    from crm_desktop.notify.integration import install_notifications  # after the first paint

    notifications = install_notifications(
        window, profile.services, prompter, launch_args=launch_args, start=start
    )
    window.candidate_menu.addAction(notifications.new_reminder_action)
    window.view_menu.addAction(notifications.digest_action)
    window.tools_menu.addSeparator()
    window.tools_menu.addAction(notifications.preferences_action)
    return notifications


def schedule_notifications(
    window: MainWindow,
    profile: Profile,
    prompter: Prompter,
    latest_ms: int = NOTIFICATIONS_AT_THE_LATEST_MS,
) -> None:
    """Attach the tray, the scheduler and their menus once the window is on screen, or after
    ``latest_ms`` if it never is (started minimised, on a hidden workspace, a locked screen)."""
    started: list[bool] = []

    def start_notifications() -> None:
        if started:
            return
        started.append(True)
        window.complete()  # the tray's actions and banner need the whole window
        from crm_desktop import autostart

        # The login entry reopens this profile; flags like --verbose are not copied into it.
        launch_args = autostart.profile_args(profile.paths.data_dir, profile.demo)
        attach_notifications(window, profile, prompter, launch_args=launch_args)

    window.first_painted.connect(start_notifications)
    QTimer.singleShot(latest_ms, window, start_notifications)  # not once the window is gone


def run_gui(profile: Profile, quit_after_first_paint: bool = False) -> int:
    app = ensure_qapplication(sys.argv)
    prompter = QtPrompter()
    crash = CrashHandler(prompter, str(profile.paths.log_file))
    crash.install()
    window = build_main_window(profile, prompter, staged=True)
    prompter.set_parent(window)

    if quit_after_first_paint:
        _FirstPaintProbe(window)
    schedule_notifications(window, profile, prompter)
    window.show()
    try:
        return app.exec()
    finally:
        crash.uninstall()
