"""Child process of the real-tray test: runs Rapport's notifications on a real X display.

    python tests/notify/tray_probe.py DATA_DIR SCREENSHOT.png

Needs ``DISPLAY`` (an Xvfb with a tray host such as ``trayer``) and ``QT_QPA_PLATFORM=xcb``.
Prints one JSON line: whether Qt saw the tray, the alerts shown through the tray (from the
notifier's ``alerted`` signal), what a click on the message opened, and the screenshot path.
"""

from __future__ import annotations

import json
import sys
import time as wall
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from crm_desktop.app import build_main_window, ensure_qapplication
from crm_desktop.clock import SettableClock
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import PartialDate
from crm_desktop.notify.integration import NotificationController
from crm_desktop.notify.notifiers import TrayNotifier
from crm_desktop.paths import resolve_paths
from crm_desktop.profile import open_profile
from crm_desktop.ui.prompter import ScriptedPrompter


def pump(app: QApplication, seconds: float) -> None:
    """Let Qt run for a while (the tray handshake, painting the balloon)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main() -> int:
    data_dir, screenshot = Path(sys.argv[1]), Path(sys.argv[2])
    app = ensure_qapplication([sys.argv[0]])
    deadline = wall.monotonic() + 15
    while not QSystemTrayIcon.isSystemTrayAvailable() and wall.monotonic() < deadline:
        pump(app, 0.2)
    result: dict[str, object] = {"tray_available": QSystemTrayIcon.isSystemTrayAvailable()}

    clock = SettableClock(datetime(2026, 11, 27, 8, 29, 58), "Europe/Berlin")
    profile = open_profile(resolve_paths(data_dir), clock)
    try:
        services = profile.services
        services.candidates.create(CandidateInput("Aaron", "First"))
        lena = services.candidates.create(
            CandidateInput("Lena", "Brandt", birthday=PartialDate(11, 27, 1990))
        )
        priya = services.candidates.create(CandidateInput("Priya", "Nair"))
        services.reminders.create(
            "Call Priya about the offer",
            clock.now() + timedelta(hours=2),
            candidate_id=priya,
            notes="She is waiting for the salary band",
        )
        window = build_main_window(profile, ScriptedPrompter())
        window.setGeometry(0, 34, 1280, 760)  # below the tray bar (there is no window manager)
        window.show()
        controller = NotificationController(window, services, ScriptedPrompter())
        alerted: list[dict[str, str]] = []
        controller.notifier.alerted.connect(
            lambda alert: alerted.append({"kind": alert.kind, "title": alert.title})
        )
        result["notifier"] = type(controller.notifier).__name__
        controller.start()  # nothing due yet at 08:29:58
        clock.advance(timedelta(seconds=2))  # 08:30: the morning digest
        controller.scheduler.tick()
        pump(app, 2.0)  # the balloon appears beside the tray icon
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(screenshot))
        result["alerted"] = alerted

        # Clicking the message opens the item: here the digest, at the first of today's items.
        if isinstance(controller.notifier, TrayNotifier):
            controller.tray.messageClicked.emit()
        pump(app, 0.3)
        result["current_candidate"] = window.candidate_list.current_id()
        result["selected"] = (
            window.today.current_item().key if window.today.current_item() else None
        )
        result["expected_candidate"] = lena
        result["screenshot"] = str(screenshot)
        result["tray_visible"] = controller.tray.isVisible() if controller.tray else False
        result["supports_messages"] = QSystemTrayIcon.supportsMessages()
        controller.scheduler.stop()
        if controller.tray is not None:
            controller.tray.hide()
        window.close()
        pump(app, 0.1)
    finally:
        profile.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
