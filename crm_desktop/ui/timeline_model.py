"""The timeline's Qt model: day headings and entries, one page at a time (``PAGE_SIZE``),
the next page appended as the view scrolls near the end."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import DEFAULT_LOCALE, day_heading
from crm_desktop.core.timeline import TimelineEntry, TimelineService
from crm_desktop.core.vocabulary import KIND_LABELS
from crm_desktop.i18n import _
from crm_desktop.ui.timeline_delegate import (
    ENTRY_ROLE,
    HEADING_ROLE,
    EntryText,
    entry_text,
)

PAGE_SIZE = 200
_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Rows are day headings (``date``) and entries; entries are fetched a page at a time."""

    def __init__(
        self,
        service: TimelineService,
        clock: Clock,
        parent=None,
        locale: str = DEFAULT_LOCALE,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self._locale = locale
        self._candidate_id: int | None = None
        self._kinds: tuple[str, ...] | None = None
        self._entries: list[TimelineEntry] = []
        self._rows: list[date | TimelineEntry] = []
        self._total = 0
        self._today = clock.today()
        self._texts: dict[int, EntryText] = {}
        self._headings: dict[date, str] = {}

    # --- loading ------------------------------------------------------------------------------
    @property
    def candidate_id(self) -> int | None:
        return self._candidate_id

    @property
    def kinds(self) -> tuple[str, ...] | None:
        return self._kinds

    def load(self, candidate_id: int | None, keep: int = 0) -> None:
        """Show ``candidate_id``'s newest entries (at least ``keep`` of them, in whole pages)."""
        self.beginResetModel()
        self._candidate_id = candidate_id
        self._texts.clear()
        self._headings.clear()
        self._today = self._clock.today()
        if candidate_id is None:
            self._entries, self._total = [], 0
        else:
            self._total = self._service.count(candidate_id, self._kinds)
            limit = max(PAGE_SIZE, -(-keep // PAGE_SIZE) * PAGE_SIZE)
            self._entries = self._service.entries(candidate_id, limit, 0, self._kinds)
        self._rows = self._group(self._entries, None)
        self.endResetModel()

    def reload(self) -> None:
        """Re-read after a change, keeping as many entries loaded as before (scroll position)."""
        self.load(self._candidate_id, keep=len(self._entries))

    def set_kinds(self, kinds: tuple[str, ...] | None) -> None:
        """Show only these kinds of entry (``None``: all)."""
        if kinds != self._kinds:
            self._kinds = kinds
            self.load(self._candidate_id)

    def entry_count(self) -> int:
        """Entries the candidate has (within the kind filter), loaded or not."""
        return self._total

    def loaded_count(self) -> int:
        return len(self._entries)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._entries) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self._candidate_id is None or parent.isValid():
            return
        more = self._service.entries(self._candidate_id, PAGE_SIZE, len(self._entries), self._kinds)
        if not more:
            self._total = len(self._entries)  # someone deleted entries meanwhile
            return
        last = self._entries[-1] if self._entries else None
        new_rows = self._group(more, last)
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
        self._entries.extend(more)
        self._rows.extend(new_rows)
        self.endInsertRows()

    # --- Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if isinstance(row, date):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self._heading(row)
            if role == HEADING_ROLE:
                return True
            return None
        if role == ENTRY_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._describe(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text_for(row).accessible()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], date):
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    # --- for the delegate and the view --------------------------------------------------------
    def entry_text(self, index: _Index) -> EntryText | None:
        row = self._rows[index.row()] if index.isValid() else None
        return self._text_for(row) if isinstance(row, TimelineEntry) else None

    def row_of(self, entry_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if isinstance(row, TimelineEntry) and row.id == entry_id:
                return number
        return None

    # --- internals ----------------------------------------------------------------------------
    def _group(
        self, entries: list[TimelineEntry], after: TimelineEntry | None
    ) -> list[date | TimelineEntry]:
        """Entries with a heading before each new local day (days in the user's time zone)."""
        tz = self._clock.tz()
        current = after.occurred_at.astimezone(tz).date() if after is not None else None
        rows: list[date | TimelineEntry] = []
        for entry in entries:
            day = entry.occurred_at.astimezone(tz).date()
            if day != current:
                rows.append(day)
                current = day
            rows.append(entry)
        return rows

    def _text_for(self, entry: TimelineEntry) -> EntryText:
        self._check_day()
        text = self._texts.get(entry.id)
        if text is None:
            text = entry_text(entry, self._clock.tz(), self._today, self._locale)
            self._texts[entry.id] = text
        return text

    def _check_day(self) -> None:
        # Past midnight "Today" becomes "Yesterday": headings and promise states are relative.
        today = self._clock.today()
        if today != self._today:
            self._today = today
            self._texts.clear()
            self._headings.clear()

    def _heading(self, day: date) -> str:
        self._check_day()
        text = self._headings.get(day)
        if text is None:
            text = day_heading(day, self._today, self._locale)
            self._headings[day] = text
        return text

    def _describe(self, entry: TimelineEntry) -> str:
        """One line: "14:05  Call · Discussed the offer" (for accessibility and tests)."""
        text = self._text_for(entry)
        kind = KIND_LABELS.get(entry.kind, entry.kind)
        if entry.duration_minutes:
            kind = _("{kind}, {minutes} min").format(kind=kind, minutes=entry.duration_minutes)
        time = text.meta.split(" · ", 1)[0]
        return f"{time}  {kind} · {text.summary}"

    @staticmethod
    def _tooltip(entry: TimelineEntry) -> str:
        # A plain-text tooltip: Qt would render a string that looks like HTML as rich text.
        text = entry.summary
        if entry.body:
            text = f"{text}\n\n{entry.body}" if text else entry.body
        if len(text) > 2000:
            text = text[:2000] + " …"
        return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
