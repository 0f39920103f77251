"""The Timeline tab: a quick-log bar and the entries, newest first, grouped under day headings.

Entries are shown as plain text (Qt's item views never interpret the display role as markup),
so a note containing HTML or script is displayed literally.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import day_heading, local_time
from crm_desktop.core.timeline import TimelineEntry, TimelineService
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import KIND_LABELS
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

PAGE_SIZE = 200
QUICK_KINDS = ("note", "call", "email", "meeting", "message")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Rows are day headings and entries; entries are fetched a page at a time."""

    def __init__(self, service: TimelineService, clock: Clock, parent=None) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self._candidate_id: int | None = None
        self._entries: list[TimelineEntry] = []
        self._rows: list[str | TimelineEntry] = []
        self._total = 0

    def load(self, candidate_id: int | None) -> None:
        self.beginResetModel()
        self._candidate_id = candidate_id
        self._entries = (
            [] if candidate_id is None else self._service.entries(candidate_id, PAGE_SIZE)
        )
        self._total = 0 if candidate_id is None else self._service.count(candidate_id)
        self._rebuild()
        self.endResetModel()

    def reload(self) -> None:
        self.load(self._candidate_id)

    def entry_count(self) -> int:
        return self._total

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._entries) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self._candidate_id is None:
            return
        more = self._service.entries(self._candidate_id, PAGE_SIZE, len(self._entries))
        if not more:
            self._total = len(self._entries)
            return
        self.beginResetModel()
        self._entries.extend(more)
        self._rebuild()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role == Qt.ItemDataRole.DisplayRole:
                return row
            if role == HEADING_ROLE:
                return True
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == ENTRY_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._describe(row, full=role == Qt.ItemDataRole.ToolTipRole)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    def _describe(self, entry: TimelineEntry, full: bool) -> str:
        when = local_time(entry.occurred_at, self._clock.tz())
        kind = KIND_LABELS.get(entry.kind, entry.kind)
        if entry.duration_minutes:
            kind = _("{kind}, {minutes} min").format(kind=kind, minutes=entry.duration_minutes)
        head = f"{when}  {kind}"
        text = entry.summary or entry.body
        if full and entry.body and entry.summary:
            text = f"{entry.summary}\n\n{entry.body}"
        elif not full:
            text = text.splitlines()[0] if text else ""
        return f"{head} · {text}"

    def _rebuild(self) -> None:
        today = self._clock.today()
        tz = self._clock.tz()
        rows: list[str | TimelineEntry] = []
        current_day = None
        for entry in self._entries:
            day = entry.occurred_at.astimezone(tz).date()
            if day != current_day:
                rows.append(day_heading(day, today))
                current_day = day
            rows.append(entry)
        self._rows = rows


class TimelineView(QWidget):
    logged = Signal(int)

    def __init__(
        self, service: TimelineService, clock: Clock, prompter: Prompter, parent=None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self._candidate_id: int | None = None
        self.model = TimelineModel(service, clock, self)

        self.kind = QComboBox()
        for kind in QUICK_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.setAccessibleName(_("Kind of entry"))
        self.summary = QLineEdit()
        self.summary.setPlaceholderText(_("What happened? Enter logs it (Ctrl+L to jump here)"))
        self.summary.setAccessibleName(_("Log entry text"))
        self.summary.returnPressed.connect(self.log_entry)
        self.log_button = QPushButton(_("Log"))
        self.log_button.clicked.connect(self.log_entry)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()

        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setSpacing(2)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.delete_action = QAction(_("Delete entry"), self.list)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_current)
        self.list.addAction(self.delete_action)
        self.empty = QLabel(_("No entries yet. Log the first call or note above."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")

        bar = QHBoxLayout()
        bar.addWidget(self.kind)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        self.model.modelReset.connect(self._update_empty)
        self._update_empty()

    def load(self, candidate_id: int | None) -> None:
        self._candidate_id = candidate_id
        self.error.hide()
        self.model.load(candidate_id)
        self.setEnabled(candidate_id is not None)

    def log_entry(self) -> None:
        if self._candidate_id is None:
            return
        try:
            entry_id = self._service.add(
                self._candidate_id, self.kind.currentData(), self.summary.text()
            )
        except ValidationError as exc:
            self.error.setText(" ".join(exc.errors.values()))
            self.error.show()
            return
        self.error.hide()
        self.summary.clear()
        self.logged.emit(entry_id)

    def delete_current(self) -> None:
        entry = self.list.currentIndex().data(ENTRY_ROLE)
        if entry is None:
            return
        question = _("Delete this {kind} entry from {day}?").format(
            kind=KIND_LABELS.get(entry.kind, entry.kind).lower(),
            day=entry.occurred_at.date().isoformat(),
        )
        if self._prompter.confirm(_("Delete entry"), question, _("Delete")):
            self._service.delete(entry.id)

    def _update_empty(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
