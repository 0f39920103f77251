"""Where alerts are shown: a small strategy with one interface.

``TrayNotifier`` uses the desktop's notification area (``QSystemTrayIcon.showMessage``);
``BannerNotifier`` uses the in-window banner where no tray exists (some Wayland desktops, GNOME
without the AppIndicator extension, the offscreen test platform). Both announce every alert they
showed through ``alerted`` (tests wait on it) and the user's click through ``activated``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from crm_desktop.core.alerts import Alert
from crm_desktop.ui.banner import Banner

TRAY_MESSAGE_MS = 15_000  # how long a tray balloon stays, where the desktop lets us choose


class Notifier(QObject):
    """Shows alerts. ``alerted(Alert)`` once shown; ``activated(Alert)`` when clicked."""

    alerted = Signal(object)
    activated = Signal(object)

    def notify(self, alert: Alert) -> None:
        raise NotImplementedError


class TrayNotifier(Notifier):
    """Alerts as tray messages. A click on the message opens the alert last shown (the desktop
    only reports *that* a message was clicked; it shows one at a time)."""

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = tray
        self.last: Alert | None = None
        tray.messageClicked.connect(self._clicked)

    def notify(self, alert: Alert) -> None:
        self.last = alert
        self.tray.showMessage(
            alert.title,
            alert.body,
            QSystemTrayIcon.MessageIcon.Information,
            TRAY_MESSAGE_MS,
        )
        self.alerted.emit(alert)

    def _clicked(self) -> None:
        if self.last is not None:
            self.activated.emit(self.last)


class BannerNotifier(Notifier):
    """Alerts in the window's banner; "Open" on the banner opens the alert shown."""

    def __init__(self, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.banner = banner
        self.last: Alert | None = None
        banner.opened.connect(self._clicked)

    def notify(self, alert: Alert) -> None:
        self.last = alert
        self.banner.show_alert(alert.title, alert.body)
        self.alerted.emit(alert)

    def _clicked(self) -> None:
        if self.last is not None:
            self.activated.emit(self.last)


def tray_available() -> bool:
    """Whether the desktop offers a system tray (asked of Qt, never assumed)."""
    return QSystemTrayIcon.isSystemTrayAvailable()
