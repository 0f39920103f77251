"""File ▸ Export…: candidates as CSV or vCard, the calendar as iCalendar, or a full JSON backup.

The file is written on a worker thread (``ui.worker``) to ``<name>.part`` and renamed when
complete, so a failed or cancelled export never leaves half a file under the chosen name.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.services import Services
from crm_desktop.exchange.exports import ENCODINGS, FORMATS, export
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.worker import Task, TaskControl, progress_dialog


class ExportCancelledError(Exception):
    pass


class ExportDialog(QDialog):
    exported = Signal(object)  # Path

    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        attachments_dir: Path,
        selected_ids: list[int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._attachments_dir = attachments_dir
        self._selected = selected_ids or []
        self.task: Task | None = None
        self.setWindowTitle(_("Export"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("What to export:")))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for code, (label, _suffix, _filter) in FORMATS.items():
            button = QRadioButton(label)
            button.setProperty("format", code)
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        self.buttons["csv"].setChecked(True)
        count = len(self._selected)
        self.only_selected = QCheckBox(
            ngettext(
                "Only the {n} selected candidate", "Only the {n} selected candidates", count
            ).format(n=count)
        )
        self.only_selected.setVisible(count > 1)
        layout.addWidget(self.only_selected)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.choose_and_export)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.group.buttonToggled.connect(self._format_changed)

    def format(self) -> str:
        return self.group.checkedButton().property("format")

    def _format_changed(self) -> None:
        self.only_selected.setEnabled(self.format() in ("csv", "vcf"))

    def choose_and_export(self) -> Task | None:
        fmt = self.format()
        _label, suffix, file_filter = FORMATS[fmt]
        name = "rapport-backup" if fmt == "json" else "candidates"
        if fmt == "ics":
            name = "rapport-calendar"
        path = self._prompter.save_path(_("Export"), name + suffix, file_filter)
        if path is None:
            return None
        return self.start(fmt, path)

    def start(self, fmt: str, path: Path) -> Task:
        selection = len(self._selected) > 1 and self.only_selected.isChecked()
        ids = self._selected if selection and fmt in ("csv", "vcf") else None
        services, attachments = self._services, self._attachments_dir

        def work(control: TaskControl) -> int:
            temporary = path.with_name(path.name + ".part")
            try:
                with temporary.open("w", encoding=ENCODINGS[fmt], newline="") as handle:
                    count = export(
                        fmt, services, handle, candidate_ids=ids, attachments_dir=attachments
                    )
                if control.cancelled:
                    raise ExportCancelledError
                temporary.replace(path)
            finally:
                with contextlib.suppress(OSError):
                    temporary.unlink(missing_ok=True)
            return count

        self.task = Task(work, services.release_thread_connection, self)
        dialog = progress_dialog(self.task, _("Exporting…"), self)
        self.task.succeeded.connect(lambda count: self._done(path, count))
        self.task.failed.connect(lambda error: self._failed(path, error))
        self.task.finished.connect(dialog.deleteLater)
        self.export_button.setEnabled(False)
        self.task.finished.connect(lambda: self.export_button.setEnabled(True))
        self.task.start()
        return self.task

    def _done(self, path: Path, count: int) -> None:
        self.status.setText(_("Written: {path} ({n} records)").format(path=path, n=count))
        self.exported.emit(path)

    def _failed(self, path: Path, error: Exception) -> None:
        if isinstance(error, ExportCancelledError):
            self.status.setText(_("Export cancelled; no file was written."))
            return
        self.status.setText(_("Export failed."))
        self._prompter.error(
            _("Export failed"), _("Could not write {path}.").format(path=path), str(error)
        )
