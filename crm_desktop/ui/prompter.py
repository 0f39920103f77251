"""The one interface through which code asks the user something.

Widgets take a ``Prompter`` instead of calling ``QMessageBox`` statics, so tests answer with a
``ScriptedPrompter`` and no modal dialog ever blocks the suite.
"""

from __future__ import annotations

from collections import deque
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


class Prompter(Protocol):
    def confirm(self, title: str, text: str, action: str) -> bool:
        """Ask a yes/no question whose "yes" button reads ``action``."""
        ...

    def inform(self, title: str, text: str) -> None: ...

    def error(self, title: str, text: str, details: str = "") -> None: ...

    def save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        """Ask where to save a file; None when cancelled."""
        ...

    def ask_date(self, title: str, text: str, suggested: date) -> date | None:
        """Ask for a calendar date; None when cancelled."""
        ...

    def open_path(self, title: str, file_filter: str) -> Path | None:
        """Ask which existing file to open; None when cancelled."""
        ...


class QtPrompter:
    """Real dialogs, parented to ``parent`` so they centre on the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent

    def set_parent(self, parent: QWidget) -> None:
        self._parent = parent

    def confirm(self, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self._parent, title, text)

    def error(self, title: str, text: str, details: str = "") -> None:
        from crm_desktop.ui.error_dialog import ErrorDialog  # rarely needed: not at start-up

        ErrorDialog(title, text, details, self._parent).exec()

    def save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self._parent, title, suggested, file_filter)
        return Path(chosen) if chosen else None

    def open_path(self, title: str, file_filter: str) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(self._parent, title, "", file_filter)
        return Path(chosen) if chosen else None

    def ask_date(self, title: str, text: str, suggested: date) -> date | None:
        dialog = QDialog(self._parent)
        dialog.setWindowTitle(title)
        label = QLabel(text)
        label.setWordWrap(True)
        editor = QDateEdit(QDate(suggested.year, suggested.month, suggested.day))
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(label)
        layout.addWidget(editor)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = editor.date()
        return date(chosen.year(), chosen.month(), chosen.day())


class ScriptedPrompter:
    """Answers from a queue; records every question. For tests and headless runs."""

    def __init__(self, answers: list[bool] | None = None, paths: list[Path] | None = None) -> None:
        self.answers = deque(answers or [])
        self.paths: deque[Path | None] = deque(paths or [])
        self.dates: deque[date | None] = deque()
        self.asked: list[tuple[str, str, str]] = []

    def confirm(self, title: str, text: str, action: str) -> bool:
        self.asked.append(("confirm", title, text))
        if not self.answers:
            raise AssertionError(f"Unexpected question: {title}: {text}")
        return self.answers.popleft()

    def inform(self, title: str, text: str) -> None:
        self.asked.append(("inform", title, text))

    def error(self, title: str, text: str, details: str = "") -> None:
        self.asked.append(("error", title, text))

    def ask_date(self, title: str, text: str, suggested: date) -> date | None:
        self.asked.append(("ask_date", title, text))
        if not self.dates:
            raise AssertionError(f"Unexpected date question: {title}")
        return self.dates.popleft()

    def open_path(self, title: str, file_filter: str) -> Path | None:
        self.asked.append(("open_path", title, file_filter))
        if not self.paths:
            raise AssertionError(f"Unexpected file question: {title}")
        return self.paths.popleft()

    def save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        self.asked.append(("save_path", title, suggested))
        if not self.paths:
            raise AssertionError(f"Unexpected file question: {title}")
        return self.paths.popleft()
