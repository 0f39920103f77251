"""The system tray icon and its menu: open, today's digest, new reminder, quit.

It only announces what the user chose (signals); ``notify.integration`` decides what that does.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from crm_desktop import APP_NAME
from crm_desktop.i18n import _


class TrayIcon(QSystemTrayIcon):
    open_requested = Signal()
    digest_requested = Signal()
    new_reminder_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(icon, parent)
        self.setToolTip(APP_NAME)
        self.menu = QMenu()
        self.open_action = self._add(_("&Open Rapport"), self.open_requested)
        self.digest_action = self._add(_("Today's &digest"), self.digest_requested)
        self.new_reminder_action = self._add(_("&New reminder…"), self.new_reminder_requested)
        self.menu.addSeparator()
        self.quit_action = self._add(_("&Quit"), self.quit_requested)
        self.setContextMenu(self.menu)
        self.activated.connect(self._on_activated)

    def set_summary(self, text: str) -> None:
        """The tooltip: "Rapport · 2 overdue · 5 today"."""
        self.setToolTip(f"{APP_NAME} · {text}" if text else APP_NAME)

    def _add(self, text: str, signal) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(signal.emit)
        self.menu.addAction(action)
        return action

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()
