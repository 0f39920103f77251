"""Left pane: search box, status filter, and the candidate table."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.candidate_table_model import CandidateTableModel

SEARCH_DEBOUNCE_MS = 150


class CandidateListView(QWidget):
    """Emits ``current_changed(candidate_id or None)`` as the selection moves."""

    current_changed = Signal(object)

    def __init__(self, model: CandidateTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._current_id: int | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, title, company, e-mail…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search candidates"))
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("All statuses"), None)
        for code, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
        self.status_filter.setAccessibleName(_("Filter by status"))

        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 165, 135, 105, 75, 90)):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("emptyState")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        model.modelReset.connect(self._after_reset)
        self._after_reset()

    def current_id(self) -> int | None:
        return self._current_id

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.candidate_id(row) for row in rows]

    def select_candidate(self, candidate_id: int | None) -> bool:
        """Make ``candidate_id`` current and visible; False when the filter hides it."""
        row = None if candidate_id is None else self.model.row_of(candidate_id)
        if row is None:
            self.table.clearSelection()
            self._set_current(None)
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def reload(self, keep: int | None = None) -> None:
        keep = self._current_id if keep is None else keep
        self.model.reload()
        if keep is not None and self.model.row_of(keep) is not None:
            self.select_candidate(keep)

    def apply_filters(self) -> None:
        keep = self._current_id
        query = replace(
            self.model.query,
            text=self.search.text().strip(),
            status=self.status_filter.currentData(),
        )
        self.model.set_query(query)
        if keep is not None:
            self.select_candidate(keep)

    def _after_reset(self) -> None:
        total = self.model.rowCount()
        self.count_label.setText(ngettext("{n} candidate", "{n} candidates", total).format(n=total))
        filtered = bool(self.model.query.text or self.model.query.status)
        if total == 0:
            self.empty_label.setText(
                _("No candidate matches this search or filter.")
                if filtered
                else _("No candidates yet. Add your first with Candidate ▸ New (Ctrl+N).")
            )
        self.empty_label.setVisible(total == 0)
        self.table.setVisible(total > 0)

    def _on_current_row(self, current, _previous) -> None:
        self._set_current(self.model.candidate_id(current.row()) if current.isValid() else None)

    def _set_current(self, candidate_id: int | None) -> None:
        if candidate_id != self._current_id:
            self._current_id = candidate_id
            self.current_changed.emit(candidate_id)
