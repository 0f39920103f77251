"""Left pane: search box, filter bar, and the candidate table.

Searching is as-you-type (debounced); filters combine with the text. The selection is kept by
candidate id across refreshes, sorts and filter changes, so a refresh never loses the user's place.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.candidate_list import COLUMNS, ListQuery
from crm_desktop.core.vocabulary import STAGE_LABELS, STATUS_LABELS
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.candidate_table_model import CandidateTableModel

SEARCH_DEBOUNCE_MS = 120
COLD_CHOICES = (30, 60, 90, 180)
COLUMN_WIDTHS = (150, 165, 135, 105, 75, 90)


class CandidateListView(QWidget):
    """Emits ``current_changed(candidate_id or None)`` as the current row moves and
    ``query_changed(ListQuery)`` whenever the search or a filter changes."""

    current_changed = Signal(object)
    query_changed = Signal(object)

    def __init__(self, model: CandidateTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._current_id: int | None = None
        self._total = 0
        self._applying = False

        self.search = QLineEdit()
        self.search.setPlaceholderText(_('Search name, skills, notes, phone… "phrase" -exclude'))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search candidates"))

        self.status_filter = self._combo(_("Any status"), STATUS_LABELS.items(), _("Status"))
        self.stage_filter = self._combo(_("Any stage"), STAGE_LABELS.items(), _("Pipeline stage"))
        self.source_filter = self._combo(_("Any source"), [], _("Source"))
        self.tag_filter = self._combo(_("Any tag"), [], _("Tag or talent pool"))
        cold = [(days, _("No contact {n}+ days").format(n=days)) for days in COLD_CHOICES]
        self.cold_filter = self._combo(_("Any contact"), cold, _("Going cold"))
        self.due_filter = QPushButton(_("Due today"))
        self.due_filter.setCheckable(True)
        self.due_filter.setToolTip(_("Only candidates with a reminder due by the end of today"))
        self.clear_button = QPushButton(_("Clear"))
        self.clear_button.setToolTip(_("Clear the search and every filter"))
        self.clear_button.clicked.connect(self.clear_filters)

        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Indicator first: enabling sorting sorts once by it (the header's default is
        # descending, which would cost an extra full query at start-up).
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("emptyState")

        # Two rows, so the pane stays narrow enough for a 1280-pixel laptop screen.
        filters = QGridLayout()
        filters.setSpacing(4)
        filters.addWidget(self.status_filter, 0, 0)
        filters.addWidget(self.stage_filter, 0, 1)
        filters.addWidget(self.tag_filter, 0, 2, 1, 2)
        filters.addWidget(self.source_filter, 1, 0)
        filters.addWidget(self.cold_filter, 1, 1)
        filters.addWidget(self.due_filter, 1, 2)
        filters.addWidget(self.clear_button, 1, 3)
        # The combo boxes' "Any …" labels are longer than the buttons' words: give them more.
        for column, stretch in enumerate((3, 3, 2, 2)):
            filters.setColumnStretch(column, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (
            self.status_filter,
            self.stage_filter,
            self.source_filter,
            self.tag_filter,
            self.cold_filter,
        ):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.due_filter.toggled.connect(self.apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.selectionModel().selectionChanged.connect(self._update_count)
        model.modelReset.connect(self._after_reset)
        self._after_reset()

    # --- public ----------------------------------------------------------------------------
    def current_id(self) -> int | None:
        return self._current_id

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.candidate_id(row) for row in rows]

    def set_total(self, total: int) -> None:
        """How many candidates exist in all (for "12 of 150,000")."""
        self._total = total
        self._update_count()

    def set_sources(self, sources: list[str]) -> None:
        self._refill(self.source_filter, [(s, s) for s in sources])

    def set_tags(self, tags: list[tuple[int, str]]) -> None:
        self._refill(self.tag_filter, tags)

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
        """Re-run the query, keeping the current and the selected candidates where possible."""
        self._preserving(lambda: self.model.reload(), keep)

    def set_query(self, query: ListQuery) -> None:
        """Show a saved search: put its values in the widgets, then run it once."""
        self._applying = True
        try:
            self.search.setText(query.text)
            self._select_data(self.status_filter, query.status)
            self._select_data(self.stage_filter, query.stage)
            self._select_data(self.source_filter, query.source)
            self._select_data(self.tag_filter, query.tag_id)
            self._select_data(self.cold_filter, query.cold_days)
            self.due_filter.setChecked(query.has_due)
        finally:
            self._applying = False
        self._debounce.stop()
        self._run(
            replace(query, sort=self.model.query.sort, descending=self.model.query.descending)
        )

    def clear_filters(self) -> None:
        self.set_query(ListQuery())

    def apply_filters(self) -> None:
        """Run the query the widgets describe (called as the user types, after a short pause)."""
        if self._applying:
            return
        self._debounce.stop()
        self._run(
            replace(
                self.model.query,
                text=self.search.text().strip(),
                status=self.status_filter.currentData(),
                stage=self.stage_filter.currentData(),
                source=self.source_filter.currentData(),
                tag_id=self.tag_filter.currentData(),
                cold_days=self.cold_filter.currentData(),
                has_due=self.due_filter.isChecked(),
            )
        )

    def current_query(self) -> ListQuery:
        return self.model.query

    def header_state(self) -> bytes:
        return bytes(self.table.horizontalHeader().saveState().data())

    def restore_header_state(self, state: bytes) -> None:
        self.table.horizontalHeader().restoreState(state)

    # --- internals -------------------------------------------------------------------------
    def _run(self, query: ListQuery) -> None:
        self._preserving(lambda: self.model.set_query(query))
        self.query_changed.emit(query)

    def _preserving(self, action, keep: int | None = None) -> None:
        keep = self._current_id if keep is None else keep
        selected = self.selected_ids()
        action()
        rows = [r for r in (self.model.row_of(cid) for cid in selected) if r is not None]
        if keep is not None and self.model.row_of(keep) is not None:
            self.select_candidate(keep)
        elif self._current_id is not None:
            self._set_current(None)
        if len(rows) > 1:
            selection = QItemSelection()
            last = self.model.columnCount() - 1
            for row in rows:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
            self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def _after_reset(self) -> None:
        shown = self.model.rowCount()
        filtered = self.model.query.filtered
        if shown == 0:
            self.empty_label.setText(
                _("No candidate matches this search or filter. Try fewer words, or Clear.")
                if filtered
                else _("No candidates yet. Add your first with Candidate ▸ New (Ctrl+N).")
            )
        self.empty_label.setVisible(shown == 0)
        self.table.setVisible(shown > 0)
        self.clear_button.setEnabled(filtered)
        self._update_count()

    def _update_count(self, *_args) -> None:
        shown = self.model.rowCount()
        if self.model.query.filtered and self._total:
            text = _("{shown} of {total} candidates").format(
                shown=f"{shown:,}", total=f"{self._total:,}"
            )
        else:
            text = ngettext("{n} candidate", "{n} candidates", shown).format(n=f"{shown:,}")
        selected = len(self.table.selectionModel().selectedRows()) if shown else 0
        if selected > 1:
            text += " · " + _("{n} selected").format(n=f"{selected:,}")
        self.count_label.setText(text)

    def _on_current_row(self, current, _previous) -> None:
        self._set_current(self.model.candidate_id(current.row()) if current.isValid() else None)
        self._update_count()

    def _set_current(self, candidate_id: int | None) -> None:
        if candidate_id != self._current_id:
            self._current_id = candidate_id
            self.current_changed.emit(candidate_id)

    def _column_menu(self, position) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for column, spec in enumerate(COLUMNS):
            action = QAction(_(spec.title), menu, checkable=True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != 0)  # the name always stays
            action.toggled.connect(lambda shown, c=column: self.table.setColumnHidden(c, not shown))
            menu.addAction(action)
        menu.popup(header.mapToGlobal(position))

    @staticmethod
    def _combo(any_label: str, items, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(4)
        combo.addItem(any_label, None)
        for data, label in items:
            combo.addItem(label, data)
        return combo

    def _refill(self, combo: QComboBox, items: list[tuple[object, str]]) -> None:
        current = combo.currentData()
        self._applying = True
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for data, label in items:
                combo.addItem(label, data)
            self._select_data(combo, current)
        finally:
            self._applying = False
        if combo.currentData() != current:
            self.apply_filters()

    @staticmethod
    def _select_data(combo: QComboBox, data: object) -> None:
        index = combo.findData(data) if data is not None else 0
        combo.setCurrentIndex(max(0, index))
