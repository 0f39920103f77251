"""Right pane: what is owed today. Overdue, Today and Next 7 days, each with a count.

Each line says who and why, and when if it is not simply today. Everything works from the
keyboard (the shortcuts act on the selected line):

    Enter  open the candidate         Space  done (Ctrl+Z undoes)     S  snooze menu
    C      compose a message          E      edit a reminder          Delete  delete a reminder
    N      new reminder (anywhere in the panel)

Very long days (a big database can owe thousands of follow-ups) show the first
``ROWS_PER_PAGE`` lines of a group and a "Show more" line, so the panel stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from babel.dates import format_skeleton
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontMetrics,
    QKeySequence,
    QPalette,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import DEFAULT_LOCALE, local_time, short_date
from crm_desktop.core.reminders import SNOOZE_LABELS, ReminderService
from crm_desktop.core.today import REMINDER, TodayItem, TodayService, TodayView
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.prompter import Prompter, QtPrompter
from crm_desktop.ui.reminder_dialog import QtReminderAsker, ReminderAsker
from crm_desktop.ui.today_delegate import (
    ITEM_ROLE,
    KIND_NAMES,
    OVERDUE_COLOUR,
    TodayItemDelegate,
    detail_text,
    when_text,
)

MORE_ROLE = Qt.ItemDataRole.UserRole + 2  # on a "Show more" line: the group it extends
UPCOMING_DAYS = 7
ROWS_PER_PAGE = 200
UNDO_SHOWN_MS = 10_000


class TodayPanel(QWidget):
    """Emits ``open_candidate(candidate_id)`` when the user opens an item, and
    ``compose_requested(TodayItem)`` when they ask to write to its candidate (the main window
    connects that to the message composer, which picks the template for the item's kind)."""

    open_candidate = Signal(int)
    compose_requested = Signal(object)  # TodayItem

    def __init__(
        self,
        today: TodayService,
        reminders: ReminderService,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        prompter: Prompter | None = None,
        asker: ReminderAsker | None = None,
        load_now: bool = True,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._reminders = reminders
        self.clock = clock
        self.prompter: Prompter = prompter or QtPrompter(self)
        self.asker: ReminderAsker = asker or QtReminderAsker(reminders, clock, parent=self)
        self.view_data: TodayView | None = None
        self._pages: dict[str, int] = {}  # group name -> how many lines it shows
        self._undo: Callable[[], None] | None = None

        title = QLabel(_("Today"))
        title.setObjectName("paneTitle")
        title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.new_button = QToolButton()
        self.new_button.setText(_("+ Reminder"))
        self.new_button.setToolTip(_("New reminder (N)"))
        self.new_button.clicked.connect(lambda: self.new_reminder())
        self.day_label = QLabel()
        self.day_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.day_label, 0, Qt.AlignmentFlag.AlignBaseline)
        heading.addStretch(1)
        heading.addWidget(self.new_button)
        self.date_label = QLabel()
        self.date_label.setObjectName("todaySummary")
        self.date_label.setWordWrap(True)

        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(0)
        self.tree.setItemDelegate(TodayItemDelegate(self))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAccessibleName(_("Today's items"))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().currentChanged.connect(self._update_buttons)

        self.empty = QLabel(
            _(
                "You are all caught up.\n\nBirthdays, joining days, work anniversaries, "
                "follow-ups and your reminders appear here as they fall due."
            )
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty.setMargin(12)

        self.undo_label = QLabel()
        self.undo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.setToolTip(_("Undo (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_SHOWN_MS)
        self._undo_timer.timeout.connect(self._forget_undo)

        self.open_button = QPushButton(_("Open"))
        self.open_button.setToolTip(_("Open the candidate (Enter)"))
        self.compose_button = QPushButton(_("Compose"))
        self.compose_button.setToolTip(_("Write to the candidate (C)"))
        self.done_button = QPushButton(_("Done"))
        self.done_button.setToolTip(_("Mark done (Space)"))
        self.snooze_button = QPushButton(_("Snooze"))
        self.snooze_button.setToolTip(_("Put off until later (S)"))
        self.snooze_menu = self._build_snooze_menu()
        self.snooze_button.setMenu(self.snooze_menu)
        self.open_button.clicked.connect(self.open_current)
        self.compose_button.clicked.connect(self.compose_current)
        self.done_button.clicked.connect(self.mark_current_done)

        self._shortcut(Qt.Key.Key_Space, self.mark_current_done)
        self._shortcut(Qt.Key.Key_S, self.show_snooze_menu)
        self._shortcut(Qt.Key.Key_C, self.compose_current)
        self._shortcut(Qt.Key.Key_E, self.edit_current)
        self._shortcut(Qt.Key.Key_Delete, self.delete_current)
        self._shortcut(Qt.Key.Key_N, self.new_reminder, panel_wide=True)
        self._shortcut(QKeySequence.StandardKey.Undo, self.undo, panel_wide=True)

        buttons = QHBoxLayout()
        for button in (self.open_button, self.compose_button, self.done_button):
            buttons.addWidget(button)
        buttons.addWidget(self.snooze_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(heading)
        layout.addWidget(self.date_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.undo_bar)
        layout.addLayout(buttons)
        if load_now:
            self.refresh()
        else:
            self.date_label.setText(_("Loading…"))

    def configure(
        self, *, prompter: Prompter | None = None, asker: ReminderAsker | None = None
    ) -> None:
        """Give the panel the app's prompter and reminder dialogs (the composition root does)."""
        if prompter is not None:
            self.prompter = prompter
        if asker is not None:
            self.asker = asker

    # --- contents ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute from the data (after a change, or when the day rolls over)."""
        current = self.current_item()
        row_before = self._flat_row(self.tree.currentIndex())
        if self.view_data is not None and self.view_data.on != self.clock.today():
            self._pages.clear()
        # Follow-ups can number thousands: the service lists a page of them per group.
        limit = max([ROWS_PER_PAGE, *self._pages.values()])
        view = self._today.compute(self.clock.today(), UPCOMING_DAYS, limit=limit)
        self.view_data = view
        self.day_label.setText(format_skeleton("MMMMEEEEd", view.on, locale=DEFAULT_LOCALE))
        self.date_label.setText(self._summary(view))
        self.model.clear()
        restore = None
        for name, items, unlisted in self._groups(view):
            if not items and not unlisted:
                continue
            header = QStandardItem(f"{name} ({len(items) + unlisted})")
            header.setSelectable(False)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            if name == _("Overdue"):
                header.setForeground(QColor(OVERDUE_COLOUR))
            shown = self._pages.get(name, ROWS_PER_PAGE)
            for item in items[:shown]:
                child = self._row(item, view)
                header.appendRow(child)
                if current is not None and item.key == current.key:
                    restore = child
            hidden = max(0, len(items) - shown) + unlisted
            if hidden:
                count = min(ROWS_PER_PAGE, hidden)
                more = QStandardItem(
                    ngettext("Show {n} more…", "Show {n} more…", count).format(n=count)
                )
                more.setToolTip(
                    ngettext("{n} more line", "{n} more lines", hidden).format(n=hidden)
                )
                more.setData(name, MORE_ROLE)
                more.setForeground(self.palette().link())
                header.appendRow(more)
            self.model.appendRow(header)
        self.tree.expandAll()
        has_items = view.total > 0
        self.tree.setVisible(has_items)
        self.empty.setVisible(not has_items)
        if restore is not None:
            self.tree.setCurrentIndex(restore.index())
        elif current is not None and row_before is not None:
            self._select_flat_row(row_before)  # the line done or snoozed: select its neighbour
        self._update_buttons()

    def shown_day(self) -> date:
        return self.view_data.on if self.view_data is not None else self.clock.today()

    def current_item(self) -> TodayItem | None:
        index = self.tree.currentIndex()
        item = index.data(ITEM_ROLE) if index.isValid() else None
        return item if isinstance(item, TodayItem) else None

    def items(self) -> list[TodayItem]:
        return [] if self.view_data is None else self.view_data.all()

    def select_key(self, key: str) -> bool:
        """Select the line of the item with ``key`` (an alert was clicked); False if absent."""
        for group in range(self.model.rowCount()):
            header = self.model.item(group)
            for row in range(header.rowCount()):
                item = header.child(row).data(ITEM_ROLE)
                if isinstance(item, TodayItem) and item.key == key:
                    self.tree.setCurrentIndex(header.child(row).index())
                    self.tree.scrollTo(header.child(row).index())
                    return True
        return False

    # --- actions ----------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None and item.candidate_id is not None:
            self.open_candidate.emit(item.candidate_id)

    def compose_current(self) -> None:
        item = self.current_item()
        if item is not None and item.candidate_id is not None:
            self.compose_requested.emit(item)

    def mark_current_done(self) -> None:
        item = self.current_item()
        if item is None:
            return
        undo = self._today.mark_done(item)
        self._offer_undo(_("Done: {title}").format(title=item.title), undo)
        self.refresh()

    def undo(self) -> None:
        undo, self._undo = self._undo, None
        self._forget_undo()
        if undo is not None:
            undo()
            self.refresh()

    def show_snooze_menu(self) -> None:
        if self.current_item() is None:
            return
        rect = self.tree.visualRect(self.tree.currentIndex())
        self.snooze_menu.popup(self.tree.viewport().mapToGlobal(rect.bottomLeft() + QPoint(24, 0)))

    def snooze_current(self, choice: str) -> None:
        """Snooze the selected item by a preset (``SNOOZE_HOUR``, ...)."""
        item = self.current_item()
        if item is not None:
            self._today.snooze(item, self._reminders.snooze_time(choice))
            self.refresh()

    def pick_snooze_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        until = self.asker.pick_time(item.title, self.clock.now() + timedelta(hours=2))
        if until is not None:
            try:
                self._today.snooze(item, until)
            except ValidationError as exc:
                self.prompter.error(_("Cannot snooze"), "\n".join(exc.errors.values()))
            self.refresh()

    def new_reminder(self) -> int | None:
        """Write a new reminder, about the selected line's candidate if there is one."""
        item = self.current_item()
        who = (item.candidate_id, item.candidate_name) if item and item.candidate_id else (None, "")
        saved = self.asker.new_reminder(*who)
        if saved is not None:
            self.refresh()
            self.select_key(f"reminder:{saved}")
        return saved

    def edit_current(self) -> None:
        item = self.current_item()
        if item is None or item.kind != REMINDER or item.ref_id is None:
            return
        if self.asker.edit_reminder(item.ref_id):
            self.refresh()

    def delete_current(self) -> None:
        item = self.current_item()
        if item is None or item.kind != REMINDER or item.ref_id is None:
            return
        if self.prompter.confirm(
            _("Delete reminder"),
            _("Delete the reminder “{title}”? This cannot be undone.").format(title=item.title),
            _("Delete"),
        ):
            self._reminders.delete(item.ref_id)
            self.refresh()

    # --- internals --------------------------------------------------------------------------

    def _groups(self, view: TodayView) -> list[tuple[str, list[TodayItem], int]]:
        """Each group's name, listed items, and how many more it holds that are not listed."""
        return [
            (_("Overdue"), view.overdue, view.more_overdue),
            (_("Today"), view.today, view.more_today),
            (_("Next {n} days").format(n=UPCOMING_DAYS), view.upcoming, 0),
        ]

    def _row(self, item: TodayItem, view: TodayView) -> QStandardItem:
        when = when_text(item, view.on, self.clock)
        detail = detail_text(item)
        second = " · ".join(part for part in (when, detail) if part)
        row = QStandardItem(f"{item.title}\n{second}")
        row.setData(item, ITEM_ROLE)
        kind = KIND_NAMES.get(item.kind, item.kind)
        row.setToolTip(f"{kind}: {item.title}\n{detail}\n{short_date(item.on, view.on)}")
        return row

    def _summary(self, view: TodayView) -> str:
        """ "3 overdue · 5 today · 12 coming up", leaving out what is zero."""
        overdue, today = view.overdue_count, view.today_count
        parts = [
            _("{n} overdue").format(n=overdue) if overdue else "",
            _("{n} today").format(n=today) if today else "",
            _("{n} coming up").format(n=len(view.upcoming)) if view.upcoming else "",
        ]
        return " · ".join(p for p in parts if p) or _("Nothing due")

    def _build_snooze_menu(self) -> QMenu:
        menu = QMenu(self)
        self.snooze_actions: dict[str, QAction] = {}
        for choice, label in SNOOZE_LABELS.items():
            action = QAction(label, menu)
            action.triggered.connect(lambda _=False, c=choice: self.snooze_current(c))
            menu.addAction(action)
            self.snooze_actions[choice] = action
        menu.addSeparator()
        self.pick_time_action = QAction(_("Pick a time…"), menu)
        self.pick_time_action.triggered.connect(self.pick_snooze_current)
        menu.addAction(self.pick_time_action)
        menu.aboutToShow.connect(self._label_snooze_times)
        return menu

    def _label_snooze_times(self) -> None:
        """Show when each choice ends: "Until tomorrow morning (Sat 08:30)"."""
        today = self.clock.today()
        for choice, action in self.snooze_actions.items():
            until = self._reminders.snooze_time(choice)
            local = until.astimezone(self.clock.tz())
            day = (
                ""
                if local.date() == today
                else format_skeleton("EEE", local.date(), locale=DEFAULT_LOCALE)
            )
            at = local_time(until, self.clock.tz())
            action.setText(f"{SNOOZE_LABELS[choice]} ({f'{day} {at}'.strip()})")

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        item = self.current_item()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def add(text: str, slot, enabled: bool = True) -> None:
            action = QAction(text, menu)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            menu.addAction(action)

        if item is not None:
            has_candidate = item.candidate_id is not None
            add(_("Open candidate"), self.open_current, has_candidate)
            add(_("Compose…"), self.compose_current, has_candidate)
            add(_("Done"), self.mark_current_done)
            menu.addMenu(self.snooze_menu).setText(_("Snooze"))
            if item.kind == REMINDER:
                menu.addSeparator()
                add(_("Edit reminder…"), self.edit_current)
                add(_("Delete reminder…"), self.delete_current)
            menu.addSeparator()
        add(_("New reminder…"), self.new_reminder)
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def _activated(self, index: QModelIndex) -> None:
        group = index.data(MORE_ROLE)
        if group is not None:
            self._pages[group] = self._pages.get(group, ROWS_PER_PAGE) + ROWS_PER_PAGE
            self.refresh()
            return
        self.open_current()

    def _offer_undo(self, text: str, undo: Callable[[], None] | None) -> None:
        self._undo = undo
        if undo is None:
            self._forget_undo()
            return
        metrics = QFontMetrics(self.undo_label.font())
        width = max(80, self.width() - self.undo_button.sizeHint().width() - 24)
        self.undo_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
        self.undo_bar.show()
        self._undo_timer.start()

    def _forget_undo(self) -> None:
        self._undo_timer.stop()
        self.undo_bar.hide()

    def _update_buttons(self, *_args) -> None:
        item = self.current_item()
        has_candidate = item is not None and item.candidate_id is not None
        self.done_button.setEnabled(item is not None)
        self.snooze_button.setEnabled(item is not None)
        self.open_button.setEnabled(has_candidate)
        self.compose_button.setEnabled(has_candidate)

    def _shortcut(self, key, slot, panel_wide: bool = False) -> QShortcut:
        """Single keys act on the list only (so Space still presses a focused button)."""
        shortcut = QShortcut(QKeySequence(key), self if panel_wide else self.tree)
        context = (
            Qt.ShortcutContext.WidgetWithChildrenShortcut
            if panel_wide
            else Qt.ShortcutContext.WidgetShortcut
        )
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        return shortcut

    def _flat_row(self, index: QModelIndex) -> tuple[int, int] | None:
        if not index.isValid() or not index.parent().isValid():
            return None
        return index.parent().row(), index.row()

    def _select_flat_row(self, where: tuple[int, int]) -> None:
        group, row = where
        for g in range(min(group, self.model.rowCount() - 1), self.model.rowCount()):
            header = self.model.item(g)
            if header is None or header.rowCount() == 0:
                continue
            target = header.child(min(row if g == group else 0, header.rowCount() - 1))
            if isinstance(target.data(ITEM_ROLE), TodayItem):
                self.tree.setCurrentIndex(target.index())
                return
