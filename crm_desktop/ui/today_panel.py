"""Right pane: what is owed today. Overdue, Today and Next 7 days, each with a count.

Keyboard: Enter opens the candidate, Space (or the Done button) marks the item done.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import local_time, relative_days, short_date
from crm_desktop.core.reminders import ReminderService
from crm_desktop.core.today import TodayItem, TodayService, TodayView
from crm_desktop.i18n import _

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
UPCOMING_DAYS = 7

# A coloured dot per kind: emoji glyphs are missing from many Linux font sets.
_KIND_COLOURS = {
    "reminder": "#1e6f8c",
    "birthday": "#d81b60",
    "joining_day": "#43a047",
    "anniversary": "#f4a000",
}


def _kind_icon(kind: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(_KIND_COLOURS.get(kind, "#757575")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 10, 10)
    painter.end()
    return QIcon(pixmap)


class TodayPanel(QWidget):
    """Emits ``open_candidate(candidate_id)`` when the user opens an item."""

    open_candidate = Signal(int)

    def __init__(
        self, today: TodayService, reminders: ReminderService, clock: Clock, parent=None
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._reminders = reminders
        self._clock = clock
        self.view_data: TodayView | None = None
        self._icons: dict[str, QIcon] = {}

        title = QLabel(_("Today"))
        title.setObjectName("paneTitle")
        title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.date_label = QLabel()
        self.date_label.setStyleSheet("color: palette(mid);")
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(False)  # each of the two lines is elided on its own
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(10)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAccessibleName(_("Today's items"))
        self.tree.activated.connect(self._open_index)
        self.empty = QLabel(_("Nothing due. Birthdays, anniversaries and reminders appear here."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")

        self.open_button = QPushButton(_("Open"))
        self.done_button = QPushButton(_("Done"))
        self.done_button.setToolTip(_("Mark done (Space)"))
        self.open_button.clicked.connect(lambda: self._open_index(self.tree.currentIndex()))
        self.done_button.clicked.connect(self.mark_current_done)
        done_key = QShortcut(QKeySequence(Qt.Key.Key_Space), self.tree)
        done_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        done_key.activated.connect(self.mark_current_done)
        self.tree.selectionModel().currentChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(title)
        layout.addWidget(self.date_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the data (after a change, or when the day rolls over)."""
        current = self.current_item()
        view = self._today.compute(self._clock.today(), UPCOMING_DAYS)
        self.view_data = view
        self.date_label.setText(short_date(view.on, view.on) + " · " + view.summary())
        self.model.clear()
        groups = (
            (_("Overdue"), view.overdue),
            (_("Today"), view.today),
            (_("Next {n} days").format(n=UPCOMING_DAYS), view.upcoming),
        )
        restore = None
        for name, items in groups:
            if not items:
                continue
            header = QStandardItem(f"{name} ({len(items)})")
            header.setSelectable(False)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            for item in items:
                child = QStandardItem(self._line(item, view))
                child.setIcon(self._icons.setdefault(item.kind, _kind_icon(item.kind)))
                child.setData(item, ITEM_ROLE)
                child.setToolTip(f"{item.title}\n{item.reason}")
                header.appendRow(child)
                if current is not None and item.key == current.key:
                    restore = child
            self.model.appendRow(header)
        self.tree.expandAll()
        has_items = view.total > 0
        self.tree.setVisible(has_items)
        self.empty.setVisible(not has_items)
        if restore is not None:
            self.tree.setCurrentIndex(restore.index())
        self._update_buttons()

    def current_item(self) -> TodayItem | None:
        index = self.tree.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def items(self) -> list[TodayItem]:
        view = self.view_data
        return [] if view is None else [*view.overdue, *view.today, *view.upcoming]

    def mark_current_done(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.kind == "reminder" and item.ref_id is not None:
            self._reminders.complete(item.ref_id)
        else:
            self._today.mark_done(item)
        self.refresh()

    def _line(self, item: TodayItem, view: TodayView) -> str:
        """Two lines: who/what, then when and why ("08:30 · Ask about the notice period")."""
        if item.due_at is not None and item.on == view.on:
            when = local_time(item.due_at, self._clock.tz())
        elif item.on < view.on:
            when = relative_days(item.on, view.on)
        elif item.on == view.on:
            when = ""
        else:
            when = short_date(item.on, view.on)
        second = " · ".join(part for part in (when, item.reason) if part)
        return f"{item.title}\n{second}"

    def _open_index(self, index) -> None:
        item = index.data(ITEM_ROLE) if index.isValid() else None
        if item is not None and item.candidate_id is not None:
            self.open_candidate.emit(item.candidate_id)

    def _update_buttons(self, *_args) -> None:
        item = self.current_item()
        self.done_button.setEnabled(item is not None)
        self.open_button.setEnabled(item is not None and item.candidate_id is not None)
