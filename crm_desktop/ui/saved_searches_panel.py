"""Sidebar of searches: a few built-in views and the recruiter's saved searches."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.saved_searches import SavedSearchService
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

QUERY_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2  # set on user-saved searches only

BUILT_IN = (
    (_("All candidates"), ListQuery()),
    (_("Due today"), ListQuery(has_due=True)),
    (_("Going cold"), ListQuery(cold_days=60, status="active")),
    (_("Placed"), ListQuery(status="placed")),
)


def describe(query: ListQuery) -> str:
    """A one-line summary of what a search shows, for its tooltip."""
    parts = []
    if query.text:
        parts.append(_("text “{text}”").format(text=query.text))
    if query.status:
        parts.append(_("status {status}").format(status=query.status.replace("_", " ")))
    if query.stage:
        parts.append(_("stage {stage}").format(stage=query.stage))
    if query.source:
        parts.append(_("source {source}").format(source=query.source))
    if query.cold_days:
        parts.append(_("no contact for {n}+ days").format(n=query.cold_days))
    if query.has_due:
        parts.append(_("something due today"))
    return ", ".join(parts) if parts else _("Every candidate")


class SavedSearchesPanel(QWidget):
    """Emits ``chosen(ListQuery)`` when the user picks a search."""

    chosen = Signal(object)

    def __init__(self, service: SavedSearchService, prompter: Prompter, parent=None) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self._current = ListQuery()

        title = QLabel(_("Searches"))
        title.setStyleSheet("font-weight: 600;")
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAccessibleName(_("Saved searches"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.clicked.connect(self._pick)
        self.list.activated.connect(self._pick)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.delete_action = QAction(_("Delete saved search"), self.list)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_current)
        self.list.addAction(self.delete_action)

        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name this search…"))
        self.name.setAccessibleName(_("Name for the current search"))
        self.name.returnPressed.connect(self.save_current)
        self.save_button = QPushButton(_("Save search"))
        self.save_button.setToolTip(_("Save the current search and filters under this name"))
        self.save_button.clicked.connect(self.save_current)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 0, 6)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.name)
        layout.addWidget(self.save_button)
        layout.addWidget(self.error)
        self.reload()

    def set_current_query(self, query: ListQuery) -> None:
        """The list's query, for "Save"."""
        self._current = query
        self.save_button.setEnabled(query.filtered)

    def reload(self) -> None:
        self.model.clear()
        for name, query in BUILT_IN:
            item = QStandardItem(name)
            item.setData(query, QUERY_ROLE)
            item.setToolTip(describe(query))
            self.model.appendRow(item)
        saved = self._service.all()
        if saved:
            header = QStandardItem(_("Saved"))
            header.setEnabled(False)
            header.setSelectable(False)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.model.appendRow(header)
        for search in saved:
            item = QStandardItem(search.name)
            item.setData(search.query, QUERY_ROLE)
            item.setData(search.name, NAME_ROLE)
            item.setToolTip(describe(search.query))
            self.model.appendRow(item)

    def save_current(self) -> None:
        try:
            self._service.save(self.name.text(), self._current)
        except ValidationError as exc:
            self.error.setText(" ".join(exc.errors.values()))
            self.error.show()
            return
        self.error.hide()
        self.name.clear()
        self.reload()

    def delete_current(self) -> None:
        name = self.list.currentIndex().data(NAME_ROLE)
        if name is None:
            return
        if self._prompter.confirm(
            _("Delete saved search"),
            _("Delete the saved search “{name}”? Candidates are not affected.").format(name=name),
            _("Delete"),
        ):
            self._service.delete(name)
            self.reload()

    def _pick(self, index) -> None:
        query = index.data(QUERY_ROLE)
        if query is not None:
            self.chosen.emit(query)
