"""The Timeline tab: a quick-log bar, a kind filter and the entries, newest first, by day.

Rows are painted by ``TimelineDelegate`` from plain strings, so a note containing HTML or script
is displayed literally. The model holds one page of entries (``PAGE_SIZE``) and appends the next
page when the view scrolls near the end (``canFetchMore``/``fetchMore``), so opening a candidate
with thousands of entries costs one page. Deleting is undoable (an undo bar and Ctrl+Z) rather
than confirmed: confirmations get clicked through, undo does not get in the way.

Keyboard: Enter logs what is typed in the bar, Ctrl+Enter opens the full entry dialog with it,
Ctrl+1 … Ctrl+9 choose the kind; in the list, Enter or F2 edits, Delete deletes, Ctrl+Z undoes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.insights import InsightService
from crm_desktop.core.timeline import DeletedEntry, TimelineEntry, TimelineService
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import INTERACTION_KINDS, KIND_LABELS
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.timeline_delegate import (
    ENTRY_ROLE,
    TimelineDelegate,
)
from crm_desktop.ui.timeline_model import TimelineModel

__all__ = ["TimelineView"]

# The quick-log bar's kinds, in the order of their Ctrl+1 … Ctrl+9 shortcuts.
QUICK_KINDS = (
    "note",
    "call",
    "email",
    "message",
    "meeting",
    "advice",
    "celebration",
    "status_update",
    "referral",
)
MAX_UNDO = 20


class ElidedLabel(QLabel):
    """A plain-text label that elides to its width instead of forcing the layout wider."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip("<qt>" + html.escape(text) + "</qt>")
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


class TimelineView(QWidget):
    """Emits ``logged(entry_id)`` after the quick-log bar or the dialog added an entry."""

    logged = Signal(int)

    def __init__(
        self,
        service: TimelineService,
        clock: Clock,
        prompter: Prompter,
        parent: QWidget | None = None,
        *,
        insights: InsightService | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self._prompter = prompter
        self._insights = insights
        self._candidate_id: int | None = None
        self._undo: list[DeletedEntry] = []
        self._keep_current: int | None = None
        self.model = TimelineModel(service, clock, self)

        self._build_quick_log()
        self._build_filter_bar()
        self._build_undo_bar()
        self._build_list()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._quick_bar)
        layout.addWidget(self.error)
        layout.addLayout(self._filter_bar)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsInserted.connect(self._update_counts)
        self._after_reset()

    # --- construction -------------------------------------------------------------------------
    def _build_quick_log(self) -> None:
        self.kind = QComboBox()
        for number, kind in enumerate(QUICK_KINDS, start=1):
            self.kind.addItem(KIND_LABELS[kind], kind)
            self.kind.setItemData(
                number - 1, _("Ctrl+{n}").format(n=number), Qt.ItemDataRole.ToolTipRole
            )
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=number - 1: self._choose_kind(i))
        self.kind.setToolTip(_("Kind of entry (Ctrl+1 … Ctrl+9)"))
        self.kind.setAccessibleName(_("Kind of entry"))
        self.summary = QLineEdit()
        self.summary.setPlaceholderText(_("What happened? Enter logs it"))
        self.summary.setToolTip(
            _("Enter logs it now; Ctrl+Enter opens the details (time, job, promise)")
        )
        self.summary.setAccessibleName(_("Log entry text"))
        self.summary.setClearButtonEnabled(True)
        self.summary.returnPressed.connect(self.log_entry)
        details = QShortcut(QKeySequence("Ctrl+Return"), self.summary)
        details.setContext(Qt.ShortcutContext.WidgetShortcut)
        details.activated.connect(self.add_with_details)
        details_enter = QShortcut(QKeySequence("Ctrl+Enter"), self.summary)
        details_enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        details_enter.activated.connect(self.add_with_details)
        # Tool buttons: compact, so the text field keeps the room in a narrow pane.
        self.log_button = QToolButton()
        self.log_button.setText(_("Log"))
        self.log_button.setToolTip(_("Log it now (Enter)"))
        self.log_button.clicked.connect(self.log_entry)
        self.details_button = QToolButton()
        self.details_button.setText(_("Details…"))
        self.details_button.setToolTip(
            _("When it happened, duration, job, full text and a promise (Ctrl+Enter)")
        )
        self.details_button.clicked.connect(self.add_with_details)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        bar = QHBoxLayout()
        bar.setSpacing(4)
        bar.addWidget(self.kind)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.log_button)
        bar.addWidget(self.details_button)
        self._quick_bar = bar

    def _build_filter_bar(self) -> None:
        self.filter = QComboBox()
        self.filter.addItem(_("All entries"), None)
        self.filter.addItem(_("Conversations"), "talk")
        self.filter.setItemData(
            1, _("Calls, meetings, e-mails and messages"), Qt.ItemDataRole.ToolTipRole
        )
        for kind in INTERACTION_KINDS:
            self.filter.addItem(KIND_LABELS[kind], kind)
        self.filter.setAccessibleName(_("Show entries of kind"))
        self.filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filter.currentIndexChanged.connect(self._apply_filter)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setStyleSheet("color: palette(mid);")
        bar = QHBoxLayout()
        label = QLabel(_("Show:"))
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(self.filter)
        bar.addWidget(label)
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        self._filter_bar = bar

    def _build_undo_bar(self) -> None:
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setStyleSheet(
            "#undoBar { background: #fff4d6; border: 1px solid #e6c56b; border-radius: 4px; }"
            "#undoBar QLabel { color: #4a3b00; }"
        )
        self.undo_label = ElidedLabel()
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.setToolTip(_("Put the entry back (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_delete)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(_("Dismiss"))
        close.setAccessibleName(_("Dismiss"))
        close.clicked.connect(self._dismiss_undo)
        row = QHBoxLayout(self.undo_bar)
        row.setContentsMargins(8, 2, 2, 2)
        row.addWidget(self.undo_label, 1)
        row.addWidget(self.undo_button)
        row.addWidget(close)
        self.undo_bar.hide()
        self.undo_action = QAction(_("Undo delete"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_delete)
        self.undo_action.setEnabled(False)
        self.addAction(self.undo_action)

    def _build_list(self) -> None:
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(TimelineDelegate(self.list))
        self.list.setUniformItemSizes(False)
        self.list.setWordWrap(False)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setMouseTracking(True)
        self.list.setAccessibleName(_("Timeline entries"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        # Double-click (not "activated": with single-click activation a click would open it).
        self.list.doubleClicked.connect(lambda _index: self.edit_current())

        self.edit_action = self._list_action(_("Edit…"), self.edit_current, "F2")
        self.edit_action.setShortcuts(
            [QKeySequence("F2"), QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.delete_action = self._list_action(
            _("Delete"), self.delete_current, QKeySequence.StandardKey.Delete
        )
        self.keep_action = self._list_action(_("Mark promise kept"), self.keep_current_promise)
        self.copy_action = self._list_action(
            _("Copy text"), self.copy_current, QKeySequence.StandardKey.Copy
        )
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyState")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)

    def _list_action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.list)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.list.addAction(action)
        return action

    # --- public -------------------------------------------------------------------------------
    @property
    def candidate_id(self) -> int | None:
        return self._candidate_id

    def load(self, candidate_id: int | None) -> None:
        if candidate_id != self._candidate_id:
            self._undo.clear()  # undoing another candidate's delete here would be confusing
            self._update_undo_bar()
            self.summary.clear()
        self._candidate_id = candidate_id
        self.error.hide()
        self.model.load(candidate_id)
        self.setEnabled(candidate_id is not None)

    def current_entry(self) -> TimelineEntry | None:
        return self.list.currentIndex().data(ENTRY_ROLE)

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        index = self.model.index(row)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)
        return True

    def log_entry(self) -> None:
        """Log what is typed in the bar, now, as the chosen kind."""
        if self._candidate_id is None:
            return
        try:
            entry_id = self._service.add(
                self._candidate_id, self.kind.currentData(), self.summary.text()
            )
        except ValidationError as exc:
            self._show_error(exc)
            return
        self.error.hide()
        self.summary.clear()
        self.logged.emit(entry_id)

    def add_with_details(self) -> None:
        """The full entry dialog, starting from what is typed in the bar."""
        if self._candidate_id is None:
            return
        from crm_desktop.ui.entry_dialog import EntryDialog

        dialog = EntryDialog(
            self._service,
            self._clock,
            self._candidate_id,
            kind=self.kind.currentData(),
            summary=self.summary.text(),
            insights=self._insights,
            prompter=self._prompter,
            parent=self,
        )
        if dialog.exec() and dialog.entry_id is not None:
            self.error.hide()
            self.summary.clear()
            self.logged.emit(dialog.entry_id)
            self.select_entry(dialog.entry_id)

    def edit_current(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        from crm_desktop.ui.entry_dialog import EntryDialog

        dialog = EntryDialog(
            self._service,
            self._clock,
            entry.candidate_id,
            entry=entry,
            insights=self._insights,
            prompter=self._prompter,
            parent=self,
        )
        dialog.exec()

    def delete_current(self) -> None:
        """Delete the selected entry at once; the undo bar (and Ctrl+Z) brings it back."""
        entry = self.current_entry()
        if entry is None:
            return
        row = self.list.currentIndex().row()
        deleted = self._service.delete(entry.id)
        self._undo.append(deleted)
        del self._undo[:-MAX_UNDO]
        self._update_undo_bar()
        # Keep the keyboard where it was: select the entry that took the deleted one's place.
        for candidate_row in (row, row + 1, row - 1, row - 2):
            index = self.model.index(candidate_row)
            if index.isValid() and index.data(ENTRY_ROLE) is not None:
                self.list.setCurrentIndex(index)
                break
        # Keep the focus inside the tab so Ctrl+Z works; with no entry left, the list is hidden.
        (self.list if self.list.isVisible() else self.undo_button).setFocus()

    def undo_delete(self) -> None:
        if not self._undo:
            return
        deleted = self._undo.pop()
        try:
            entry_id = self._service.restore(deleted)
        except ValidationError as exc:
            self._prompter.error(_("Cannot undo"), " ".join(exc.errors.values()))
            self._update_undo_bar()
            return
        self._update_undo_bar()
        if self.model.candidate_id == deleted.candidate_id and self.select_entry(entry_id):
            self.list.setFocus()

    def keep_current_promise(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._service.keep_promise(entry.id)

    def copy_current(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        text = "\n\n".join(part for part in (entry.summary, entry.body) if part)
        QGuiApplication.clipboard().setText(text)

    # --- internals ----------------------------------------------------------------------------
    def _choose_kind(self, index: int) -> None:
        self.kind.setCurrentIndex(index)
        self.summary.setFocus()

    def _apply_filter(self) -> None:
        choice = self.filter.currentData()
        if choice is None:
            kinds = None
        elif choice == "talk":
            kinds = ("call", "meeting", "email", "message")
        else:
            kinds = (choice,)
        self.model.set_kinds(kinds)

    def _show_error(self, exc: ValidationError) -> None:
        self.error.setText(" ".join(exc.errors.values()))
        self.error.show()

    def _show_menu(self, position) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        menu = QMenu(self)
        self.keep_action.setEnabled(entry.promise is not None and not entry.promise.kept)
        for action in (self.edit_action, self.copy_action, self.keep_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.exec(self.list.viewport().mapToGlobal(position))

    def _remember_current(self) -> None:
        entry = self.current_entry()
        self._keep_current = entry.id if entry is not None else None

    def _after_reset(self) -> None:
        if self._keep_current is not None:
            self.select_entry(self._keep_current)
            self._keep_current = None
        self._update_counts()

    def _update_counts(self) -> None:
        total = self.model.entry_count()
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        if self.model.kinds is None:
            self.count_label.setText(ngettext("{n} entry", "{n} entries", total).format(n=total))
            self.empty.setText(_("No entries yet. Log the first call or note above."))
        else:
            self.count_label.setText(
                ngettext("{n} matching entry", "{n} matching entries", total).format(n=total)
            )
            self.empty.setText(_("No entries of this kind. Choose “All entries” to see the rest."))

    def _update_undo_bar(self) -> None:
        if not self._undo:
            self.undo_bar.hide()
            self.undo_action.setEnabled(False)
            return
        self.undo_label.set_full_text(_("Deleted “{what}”.").format(what=self._undo[-1].label))
        self.undo_bar.show()
        self.undo_action.setEnabled(True)

    def _dismiss_undo(self) -> None:
        self._undo.clear()
        self._update_undo_bar()
