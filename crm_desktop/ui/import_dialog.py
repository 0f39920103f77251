"""File ▸ Import…: choose a CSV or vCard file, map its columns, preview, dry-run, import.

The dialog never touches the database itself: it reads the file through ``exchange.sources``
and hands the records to ``CandidateImporter``. The preview classifies the first rows only (in the
UI thread: 50 rows take milliseconds); the dry run and the import read the whole file on a worker
thread (``ui.worker``) with a progress dialog whose Cancel rolls the import back.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.services import Services
from crm_desktop.exchange import csv_import
from crm_desktop.exchange.files import MAX_IMPORT_BYTES, UnreadableFileError
from crm_desktop.exchange.importer import (
    CandidateImporter,
    DuplicatePolicy,
    ImportCancelledError,
    ImportReport,
    Outcome,
)
from crm_desktop.exchange.sources import ImportSource, open_source
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.worker import Task, TaskControl, progress_dialog

PREVIEW_ROWS = 50
ACTION_LABELS = {
    "create": _("New candidate"),
    "merge": _("Merge into existing"),
    "unchanged": _("Already up to date"),
    "skip": _("Skip (duplicate)"),
    "reject": _("Rejected"),
}
_ACTION_COLOURS = {"reject": "#fde0dc", "skip": "#eeeeee", "merge": "#e3f2fd"}
POLICY_LABELS = {
    DuplicatePolicy.MERGE: _("Merge: fill blank fields, add new e-mails and phones"),
    DuplicatePolicy.SKIP: _("Skip the row"),
    DuplicatePolicy.CREATE: _("Create a new candidate anyway"),
}


def ask_import_file(parent: QWidget | None) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        _("Import candidates"),
        "",
        _("Contacts (*.csv *.vcf *.vcard *.txt);;All files (*)"),
    )
    return Path(chosen) if chosen else None


class ImportDialog(QDialog):
    """See the module docstring. ``choose_file`` is injectable (tests pass a lambda)."""

    imported = Signal(object)  # ImportReport, after a real import committed

    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        choose_file: Callable[[QWidget | None], Path | None] = ask_import_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._choose_file = choose_file
        self.source: ImportSource | None = None
        self.task: Task | None = None
        self.last_report: ImportReport | None = None
        self._busy = False
        self.setWindowTitle(_("Import candidates"))
        self.resize(980, 720)

        self.file_label = QLabel(_("No file chosen."))
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        choose = QPushButton(_("Choose file…"))
        choose.clicked.connect(self.choose)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(choose)
        self.info = QLabel(
            _(
                "CSV from a spreadsheet, LinkedIn (Connections.csv), Google Contacts or Outlook, "
                "or vCard (.vcf) from a phone or address book; up to {limit} MB."
            ).format(limit=MAX_IMPORT_BYTES // 2**20)
        )
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)

        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(
            [_("Column in the file"), _("First value"), _("Import as")]
        )
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.mapping.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.policy = QComboBox()
        for policy, label in POLICY_LABELS.items():
            self.policy.addItem(label, policy)
        self.policy.currentIndexChanged.connect(self.refresh_preview)
        self.default_source = QLineEdit()
        self.default_source.setPlaceholderText(_("e.g. LinkedIn, Meetup Berlin 2026"))
        self.default_source.editingFinished.connect(self._source_changed)
        options = QFormLayout()
        options.addRow(_("When a row matches a candidate:"), self.policy)
        options.addRow(_("Source for rows without one:"), self.default_source)

        self.preview_model = QStandardItemModel(0, 4, self)
        self.preview_model.setHorizontalHeaderLabels(
            [_("Line"), _("Name"), _("What happens"), _("Details")]
        )
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview_title = QLabel(_("Preview"))

        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setPlaceholderText(
            _("The dry run and the import list here every rejected row with its line number.")
        )
        self.result.setMaximumHeight(130)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel(_("Columns")))
        top_layout.addWidget(self.mapping)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.preview_title)
        bottom_layout.addWidget(self.preview)
        split.addWidget(top)
        split.addWidget(bottom)

        self.dry_run_button = QPushButton(_("Dry run"))
        self.dry_run_button.setToolTip(_("Read the whole file and report; change nothing"))
        self.dry_run_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button = QPushButton(_("Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.dry_run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.info)
        layout.addLayout(options)
        layout.addWidget(split, 1)
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self._update_buttons()

    # --- choosing and mapping --------------------------------------------------------------
    def choose(self) -> None:
        path = self._choose_file(self)
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> bool:
        """Open ``path``; on a problem, say why in the dialog (never raise)."""
        self.file_label.setText(str(path))
        self.result.clear()
        try:
            self.source = open_source(path)
        except UnreadableFileError as exc:
            self.source = None
            self.info.setText(str(exc))
            self.info.setStyleSheet("color: #b71c1c;")
            self.mapping.setRowCount(0)
            self.preview_model.removeRows(0, self.preview_model.rowCount())
            self._update_buttons()
            return False
        self.info.setStyleSheet("")
        self.info.setText(self._describe(self.source))
        if self.source.mapping is not None:
            self.default_source.setText(self.source.mapping.default_source)
        self._fill_mapping()
        self.refresh_preview()
        return True

    def set_target(self, column: int, target: str) -> None:
        """Map file column ``column`` to ``target`` (as choosing it in the combo box does)."""
        combo = self.mapping.cellWidget(column, 2)
        combo.setCurrentIndex(combo.findData(target))

    def _describe(self, source: ImportSource) -> str:
        encoding = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(
            source.info.encoding, source.info.encoding.upper()
        )
        if source.layout is None:
            return _("vCard file · {encoding}").format(encoding=encoding)
        delimiter = {",": _("commas"), ";": _("semicolons"), "\t": _("tabs"), "|": _("bars")}[
            source.layout.delimiter
        ]
        return _(
            "{format} · {encoding} · separated by {delimiter} · column names on line {line}. "
            "Check what each column is imported as."
        ).format(
            format=source.format_name,
            encoding=encoding,
            delimiter=delimiter,
            line=source.layout.header_line + 1,
        )

    def _fill_mapping(self) -> None:
        source = self.source
        self.mapping.setRowCount(0)
        if source is None or source.layout is None or source.mapping is None:
            self.mapping.parentWidget().setVisible(False)
            return
        self.mapping.parentWidget().setVisible(True)
        first = self._first_row(source)
        self.mapping.setRowCount(len(source.layout.headers))
        for index, header in enumerate(source.layout.headers):
            self.mapping.setItem(index, 0, QTableWidgetItem(header))
            example = first[index] if index < len(first) else ""
            self.mapping.setItem(index, 1, QTableWidgetItem(example[:80]))
            combo = QComboBox()
            for target, label in csv_import.TARGETS.items():
                combo.addItem(label, target)
            combo.setCurrentIndex(combo.findData(source.mapping.targets[index]))
            combo.currentIndexChanged.connect(
                lambda _i, column=index, box=combo: self._mapping_changed(column, box)
            )
            self.mapping.setCellWidget(index, 2, combo)

    @staticmethod
    def _first_row(source: ImportSource) -> list[str]:
        assert source.layout is not None
        lines = source.info.sample.splitlines()[source.layout.header_line + 1 :]
        for line in lines:
            if line.strip():
                return csv_import.split_line(line, source.layout.delimiter)
        return []

    def _mapping_changed(self, column: int, combo: QComboBox) -> None:
        assert self.source is not None and self.source.mapping is not None  # noqa: PT018
        self.source.mapping.targets[column] = combo.currentData()
        self.refresh_preview()

    def _source_changed(self) -> None:
        if self.source is not None and self.source.mapping is not None:
            self.source.mapping.default_source = self.default_source.text().strip()
            self.refresh_preview()

    # --- preview, dry run, import ----------------------------------------------------------
    def policy_value(self) -> DuplicatePolicy:
        return self.policy.currentData()

    def refresh_preview(self) -> None:
        self.preview_model.removeRows(0, self.preview_model.rowCount())
        self._update_buttons()
        if self.source is None:
            return
        try:
            records, _counter = self.source.records()
            first = list(islice(records, PREVIEW_ROWS))
            records.close()  # type: ignore[attr-defined]  # a generator: closes the file
        except UnreadableFileError as exc:
            self.preview_title.setText(str(exc))
            return
        outcomes: list[Outcome] = []
        CandidateImporter(self._services).run(
            first, self.policy_value(), dry_run=True, outcomes=outcomes
        )
        for outcome in sorted(outcomes, key=lambda o: o.line):
            self._add_outcome(outcome)
        self.preview_title.setText(
            _("Preview of the first {n} rows (nothing is saved yet)").format(n=len(outcomes))
        )
        self.preview.resizeColumnsToContents()

    def _add_outcome(self, outcome: Outcome) -> None:
        cells = [
            QStandardItem(str(outcome.line)),
            QStandardItem(outcome.name or "—"),
            QStandardItem(ACTION_LABELS[outcome.action]),
            QStandardItem(outcome.detail),
        ]
        colour = _ACTION_COLOURS.get(outcome.action)
        for cell in cells:
            cell.setToolTip(outcome.detail)
            if colour:
                cell.setBackground(QBrush(QColor(colour)))
        self.preview_model.appendRow(cells)

    def start(self, dry_run: bool) -> Task | None:
        """Run the dry run or the import on a worker thread; returns the task (tests wait)."""
        if self.source is None or self._busy:
            return None
        source, policy = self.source, self.policy_value()
        size = max(source.info.size, 1)
        importer = CandidateImporter(self._services)

        def work(control: TaskControl) -> ImportReport:
            records, counter = source.records()

            def progress(done: int) -> None:
                control.progress(counter.consumed, size, _("{n} rows read…").format(n=f"{done:,}"))

            return importer.run(
                records,
                policy,
                dry_run=dry_run,
                progress=progress,
                should_cancel=lambda: control.cancelled,
                finishing=lambda: control.progress(
                    0, 0, _("Saving… (this can no longer be cancelled)")
                ),
            )

        self.task = Task(work, self._services.release_thread_connection, self)
        title = _("Checking the file…") if dry_run else _("Importing…")
        dialog = progress_dialog(self.task, title, self)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.finished.connect(dialog.deleteLater)
        self.task.finished.connect(lambda: self._set_busy(False))
        self._set_busy(True)
        self.task.start()
        return self.task

    def _done(self, report: ImportReport) -> None:
        self.last_report = report
        lines = [report.summary()]
        lines += [str(r) for r in report.rejected[:1000]]
        if len(report.rejected) > 1000:
            lines.append(_("… and {n} more").format(n=len(report.rejected) - 1000))
        self.result.setPlainText("\n".join(lines))
        if not report.dry_run:
            self.imported.emit(report)
            self.refresh_preview()

    def _failed(self, error: Exception) -> None:
        self.result.setPlainText(str(error))
        if not isinstance(error, UnreadableFileError | ImportCancelledError):
            self._prompter.error(_("Import failed"), _("Nothing was imported."), str(error))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.source is not None and not self._busy
        if ready and self.source.mapping is not None:
            ready = self.source.mapping.mapped()
        self.dry_run_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
