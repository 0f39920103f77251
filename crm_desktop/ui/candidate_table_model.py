"""The candidate list's Qt model: ordered ids in memory, row values fetched a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from crm_desktop.clock import Clock
from crm_desktop.core.candidate_list import (
    COLUMNS,
    PAGE_SIZE,
    CandidateList,
    CandidateRow,
    HeadFirst,
    ListQuery,
)
from crm_desktop.core.formatting import short_date
from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.i18n import _, ngettext

OWED_COLOUR = "#d97706"


def _dot_icon(colour: str) -> QIcon:
    """A small filled circle: the "update owed" badge beside a name."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class CandidateTableModel(QAbstractTableModel):
    def __init__(
        self, source: CandidateList, clock: Clock, parent=None, *, head_first: bool = False
    ) -> None:
        """``head_first``: until ``read_all()``, an unfiltered list reads only its first page
        of ids and its length (the start-up's first paint), the rest on first need."""
        super().__init__(parent)
        self._source = source
        self._clock = clock
        self._query = ListQuery()
        self._head: int | None = PAGE_SIZE if head_first else None
        self._ids: Sequence[int] = []
        self._row_of: dict[int, int] | None = None
        self._lookups = 0  # since the ids changed: the index is built on the second
        self._pages: dict[int, dict[int, CandidateRow]] = {}
        self._today: date = clock.today()
        self._owed_icon: QIcon | None = None  # drawn when first shown

    # --- what is shown -------------------------------------------------------------------
    @property
    def query(self) -> ListQuery:
        return self._query

    def set_query(self, query: ListQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Re-run the query (after a filter change or a create/delete)."""
        self.beginResetModel()
        self._ids = self._source.ids(self._query, self._head)
        self._row_of = None
        self._lookups = 0
        self._pages.clear()
        self._today = self._clock.today()
        self.endResetModel()

    def read_all(self) -> None:
        """Read every id of the list now (after the first paint) and from now on."""
        self._head = None
        if not isinstance(self._ids, HeadFirst) or self._ids.complete:
            return
        shown, ids = self._ids, self._source.ids(self._query)
        if len(ids) == len(shown) and list(ids[: len(shown.head)]) == shown.head:
            self._ids = ids
        else:  # the book changed in between
            self.beginResetModel()
            self._ids = ids
            self._row_of = None
            self._pages.clear()
            self.endResetModel()

    def refresh_ids(self, candidate_ids: tuple[int, ...]) -> None:
        """Re-fetch the values of these candidates where they are shown (after an edit)."""
        for candidate_id in candidate_ids:
            row = self.row_of(candidate_id)
            if row is None:
                continue
            self._pages.pop(row // PAGE_SIZE, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def candidate_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, candidate_id: int) -> int | None:
        if self._row_of is None:
            self._lookups += 1
            if self._lookups == 1:  # one look-up (the selection at start-up): a C scan
                try:
                    return self._ids.index(candidate_id)
                except ValueError:
                    return None
            self._row_of = {cid: row for row, cid in enumerate(self._ids)}
        return self._row_of.get(candidate_id)

    # --- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        wanted = (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
        )
        if role not in wanted:
            return None
        row = self._row(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DecorationRole:
            if key != "name" or not row.owed_updates:
                return None
            if self._owed_icon is None:
                self._owed_icon = _dot_icon(OWED_COLOUR)
            return self._owed_icon
        if key == "name" and row.owed_updates and role == Qt.ItemDataRole.ToolTipRole:
            owed = ngettext(
                "{n} update owed: tell them about the stage change",
                "{n} updates owed: tell them about the stage changes",
                row.owed_updates,
            )
            return f"{row.name}\n{owed.format(n=row.owed_updates)}"
        if key == "status":
            return STATUS_LABELS.get(row.status, row.status)
        if key == "last_contacted":
            when = row.last_contacted_at
            if when is None:
                return _("Never") if role == Qt.ItemDataRole.DisplayRole else None
            return short_date(when.astimezone(self._clock.tz()).date(), self._today)
        return row.value(key)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending and self._ids:
            return
        self.set_query(replace(self._query, sort=key, descending=descending))

    def _row(self, row: int) -> CandidateRow | None:
        page = row // PAGE_SIZE
        if page not in self._pages:
            ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self._pages[page] = self._source.rows(ids)
        return self._pages[page].get(self._ids[row])
