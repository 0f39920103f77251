"""The cold-start baseline: the cheapest possible Qt window, timed exactly like Rapport.

A QApplication and an empty QMainWindow; on the window's first Paint event it prints
``first-paint`` (flushed) and quits, mirroring ``crm-desktop --quit-after-first-paint``. Its start
time is what any PySide6 app pays (interpreter, Qt libraries, platform plugin), so Rapport's cold
start is judged against it (target: at most twice the baseline) rather than against a number
that depends on the machine.

Run as a script by ``bench.measure`` (``python bench/baseline_window.py``); it imports nothing
from Rapport on purpose.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _FirstPaint(QObject):
    """Prints the marker on the first Paint event of the watched window, then quits."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print("first-paint", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    """Show an empty main window and quit after its first paint."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("baseline")
    window.resize(1360, 820)
    probe = _FirstPaint(window)
    window.installEventFilter(probe)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
