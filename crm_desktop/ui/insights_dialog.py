"""The insights library: browse, search, tag, edit; and pick one to insert into a message.

One dialog for both jobs (``pick=True`` adds an Insert button) so that while writing to a
candidate the recruiter can also jot down a new insight without leaving the message.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.insights import (
    TOPICS,
    InsightInput,
    InsightRecord,
    InsightService,
    split_tags,
)
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 150


class InsightsDialog(QDialog):
    """``picked`` holds the chosen insight after ``exec()`` returns accepted (pick mode)."""

    def __init__(
        self,
        service: InsightService,
        prompter: Prompter | None,
        *,
        pick: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self._pick = pick
        self._current: int | None = None
        self._dirty = False
        self._loading = False
        self._refreshing = False
        self.picked: InsightRecord | None = None
        self.setWindowTitle(_("Insert an insight") if pick else _("Insights library"))
        self.resize(900, 560)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search titles, text, topics and tags"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search insights"))
        self.tag = QComboBox()
        self.tag.setAccessibleName(_("Filter by tag"))
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.tag.currentIndexChanged.connect(self.refresh)

        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName(_("Insights"))
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        if pick:
            self.list.doubleClicked.connect(lambda _i: self.insert())
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.new_button = QPushButton(_("New"))
        self.new_button.clicked.connect(self.new_insight)
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.clicked.connect(self.delete_current)

        self.title = QLineEdit()
        self.topic = QComboBox()
        self.topic.setEditable(True)
        self.topic.addItems(["", *TOPICS])
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(_("Comma-separated, e.g. cloud, AWS, certification"))
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(_("What you want to remember or pass on"))
        self.body.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.save_button = QPushButton(_("Save"))
        self.save_button.setToolTip(_("Save the insight (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        for signal in (self.title.textChanged, self.tags.textChanged, self.body.textChanged):
            signal.connect(self._mark_dirty)
        self.topic.currentTextChanged.connect(self._mark_dirty)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.tag)
        left_box.addLayout(filters)
        left_box.addWidget(self.list, 1)
        left_box.addWidget(self.empty, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        list_buttons.addStretch(1)
        left_box.addLayout(list_buttons)

        right = QWidget()
        form = QFormLayout(right)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Title"), self.title)
        form.addRow(_("Topic"), self.topic)
        form.addRow(_("Tags"), self.tags)
        form.addRow(_("Text"), self.body)
        form.addRow("", self.error)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow("", save_row)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox()
        if pick:
            self.insert_button = self.buttons.addButton(
                _("Insert"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.insert_button.clicked.connect(self.insert)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self._refresh_tags()
        self.refresh()
        if self.model.rowCount() == 0 and not pick:
            self.new_insight()
        self.search.setFocus()

    # --- list ---------------------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self._current
        records = self._service.search(self.search.text(), self.tag.currentData())
        self._refreshing = True  # rebuilding the list is not the user choosing another insight
        try:
            self._fill_list(records, keep)
        finally:
            self._refreshing = False
        if self._pick and self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0, 0))
        if hasattr(self, "insert_button"):
            self.insert_button.setEnabled(self.model.rowCount() > 0)

    def _fill_list(self, records: list[InsightRecord], keep: int | None) -> None:
        self.model.clear()
        for record in records:
            item = QStandardItem(record.data.title)
            item.setData(record.id, ID_ROLE)
            detail = " · ".join(p for p in (record.data.topic, ", ".join(record.data.tags)) if p)
            item.setToolTip(detail or record.data.title)
            self.model.appendRow(item)
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        filtered = bool(self.search.text().strip() or self.tag.currentData())
        self.empty.setText(
            _("Nothing matches. Clear the search or pick another tag.")
            if filtered
            else _("Your library is empty. Add industry notes, certifications and tips with New.")
        )
        for row in range(self.model.rowCount()):
            if self.model.item(row).data(ID_ROLE) == keep:
                self.list.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                break

    def _refresh_tags(self) -> None:
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(_("All tags"), None)
        for tag in self._service.all_tags():
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(max(0, self.tag.findData(current)))
        self.tag.blockSignals(False)

    def _current_changed(self, current, _previous) -> None:
        insight_id = current.data(ID_ROLE) if current.isValid() else None
        if self._refreshing or insight_id == self._current:
            return
        if not self._may_leave():
            self.refresh(select=self._current)  # stay on the insight that could not be saved
            return
        self._show(insight_id)

    def _show(self, insight_id: int | None) -> None:
        self._current = insight_id
        record = self._service.get(insight_id) if insight_id is not None else None
        self._loading = True
        self.title.setText(record.data.title if record else "")
        self.topic.setCurrentText(record.data.topic if record else "")
        self.tags.setText(", ".join(record.data.tags) if record else "")
        self.body.setPlainText(record.data.body if record else "")
        self._loading = False
        self._dirty = False
        self.error.hide()
        self.delete_button.setEnabled(record is not None)

    # --- actions ------------------------------------------------------------------------------
    def new_insight(self) -> None:
        if not self._may_leave():
            return
        self._refreshing = True
        self.list.setCurrentIndex(self.model.index(-1, 0))
        self.list.clearSelection()
        self._refreshing = False
        self._show(None)
        self.title.setFocus()

    def save(self) -> bool:
        data = InsightInput(
            self.title.text(),
            self.body.toPlainText(),
            self.topic.currentText(),
            split_tags(self.tags.text()),
        )
        try:
            if self._current is None:
                self._current = self._service.create(data)
            else:
                self._service.update(self._current, data)
        except ValidationError as exc:
            self.error.setText(" ".join(exc.errors.values()))
            self.error.show()
            return False
        self.error.hide()
        self._dirty = False
        self._refresh_tags()
        self.refresh(select=self._current)
        return True

    def delete_current(self) -> None:
        if self._current is None:
            return
        title = self.title.text() or _("this insight")
        if self._prompter is not None and not self._prompter.confirm(
            _("Delete insight"),
            _("Delete “{title}” from your library?").format(title=title),
            _("Delete"),
        ):
            return
        self._service.delete(self._current)
        self._current = None
        self._dirty = False
        self._refresh_tags()
        self.refresh()
        if not self.list.currentIndex().isValid():
            self._show(None)

    def insert(self) -> None:
        if self._dirty and not self.save():
            return
        index = self.list.currentIndex()
        if not index.isValid():
            return
        self.picked = self._service.get(index.data(ID_ROLE))
        self.accept()

    def reject(self) -> None:
        if self._may_leave():
            super().reject()

    # --- internals ----------------------------------------------------------------------------
    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self._dirty = True

    def _may_leave(self) -> bool:
        """Unsaved edits: offer to save them (False keeps the user where they are)."""
        if not self._dirty or self._prompter is None:
            return True
        if self._prompter.confirm(
            _("Unsaved insight"), _("Save your changes to this insight first?"), _("Save")
        ):
            return self.save()
        self._dirty = False
        return True
