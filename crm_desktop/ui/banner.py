"""The in-window alert banner: where alerts go when the desktop has no system tray.

A strip above the main window's content with the alert's title and text (always plain text),
an "Open" button that leads to the item, and a close button. A newer alert replaces the one
shown; the count of alerts since the banner was last dismissed is kept in the title so nothing
looks lost.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout

from crm_desktop.i18n import _

BANNER_STYLE = """
QFrame#alertBanner {
    background: #fff4d6;
    border: 1px solid #e8c46a;
    border-radius: 4px;
}
QFrame#alertBanner QLabel { color: #3a2e00; }
"""


MAX_LINES = 3  # a banner is a strip, not a page: the Today panel has the rest


def clip_lines(text: str, limit: int) -> str:
    """At most ``limit`` lines, the last saying there is more."""
    lines = text.splitlines()
    if len(lines) <= limit:
        return text
    return "\n".join([*lines[: limit - 1], _("…more in the Today panel")])


class Banner(QFrame):
    """Emits ``opened`` when the user asks to see the item, ``dismissed`` when closed."""

    opened = Signal()
    dismissed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName(_("Alert"))
        self.unseen = 0
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.open_button = QPushButton(_("Open"))
        self.open_button.clicked.connect(self._open)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip(_("Dismiss"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.title)
        words.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addLayout(words, 1)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_alert(self, title: str, text: str) -> None:
        self.unseen += 1
        suffix = _(" (and {n} earlier)").format(n=self.unseen - 1) if self.unseen > 1 else ""
        self.title.setText(f"{title}{suffix}")
        self.text.setText(clip_lines(text, MAX_LINES))
        self.text.setVisible(bool(text))
        self.show()

    def dismiss(self) -> None:
        self.unseen = 0
        self.hide()
        self.dismissed.emit()

    def _open(self) -> None:
        self.opened.emit()
        self.dismiss()
