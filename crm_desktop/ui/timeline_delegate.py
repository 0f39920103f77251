"""Paints timeline rows: day headings and entries (kind, time, summary, text, promise).

Why a delegate: a candidate may have thousands of entries, and one widget per entry (or a
rich-text layout per row) would make opening and scrolling slow. Each row is painted with
``QPainter.drawText`` from plain strings, which never interprets markup, so a note holding
``<script>`` or ``<b>`` shows exactly those characters. Row heights depend only on which parts an
entry has (every line is elided, never wrapped), so ``sizeHint`` needs no text layout and stays
cheap for thousands of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from crm_desktop.core.formatting import DEFAULT_LOCALE, local_time, short_date
from crm_desktop.core.timeline import TimelineEntry
from crm_desktop.core.vocabulary import KIND_LABELS
from crm_desktop.i18n import _

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2
BODY_PREVIEW_LINES = 2
PAD_X, PAD_Y, LINE_GAP = 10, 6, 2
ACCENT_WIDTH = 3

KIND_COLOURS = {
    "call": "#1e6fd9",
    "email": "#6a3fc1",
    "message": "#00897b",
    "meeting": "#e65100",
    "note": "#6d6d6d",
    "advice": "#8d6e00",
    "celebration": "#c2185b",
    "status_update": "#455a64",
    "referral": "#2e7d32",
}
DIRECTION_TEXT = {
    "out": _("→ to them"),
    "in": _("← from them"),
    "both": _("⇄ two-way"),
    "none": "",
}
PROMISE_COLOURS = {"open": "#b26a00", "overdue": "#c62828", "kept": "#2e7d32"}

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class EntryText:
    """The plain strings a row shows; painting and accessibility both use these."""

    kind: str
    meta: str
    summary: str
    body: tuple[str, ...]
    promise: str = ""
    promise_state: str = ""  # open | overdue | kept

    def accessible(self) -> str:
        parts = [f"{self.kind}, {self.meta}", self.summary, *self.body, self.promise]
        return ". ".join(p for p in parts if p)


def entry_text(
    entry: TimelineEntry, tz: tzinfo, today: date, locale: str = DEFAULT_LOCALE
) -> EntryText:
    """What the row of ``entry`` says, as plain text."""
    meta = [local_time(entry.occurred_at, tz, locale)]
    if entry.duration_minutes:
        meta.append(_("{minutes} min").format(minutes=entry.duration_minutes))
    if DIRECTION_TEXT.get(entry.direction):
        meta.append(DIRECTION_TEXT[entry.direction])
    if entry.job_label and entry.job_label not in entry.summary:  # pipeline entries name it
        meta.append(entry.job_label)
    if entry.template_name:
        meta.append(_("template “{name}”").format(name=entry.template_name))
    lines = [line.strip() for line in entry.body.splitlines() if line.strip()]
    summary = entry.summary
    if not summary and lines:
        summary = lines.pop(0)
    body = tuple(lines[:BODY_PREVIEW_LINES])
    if len(lines) > BODY_PREVIEW_LINES:
        body = (*body[:-1], body[-1] + " …")
    promise = state = ""
    if entry.promise is not None:
        due = entry.promise.due_at.astimezone(tz).date()
        if entry.promise.kept:
            state = "kept"
            promise = _("✓ Promise kept: {text}").format(text=entry.promise.text)
        else:
            state = "overdue" if due < today else "open"
            promise = _("⚑ Promised: {text} · due {date}").format(
                text=entry.promise.text, date=short_date(due, today, locale)
            )
    return EntryText(
        kind=KIND_LABELS.get(entry.kind, entry.kind),
        meta=" · ".join(meta),
        summary=summary,
        body=body,
        promise=promise,
        promise_state=state,
    )


class TimelineDelegate(QStyledItemDelegate):
    """Paints rows of ``TimelineModel``; needs the model's ``entry_text(index)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._metrics_for: QFont | None = None
        self._line = self._small_line = self._heading_line = 0

    # --- geometry -----------------------------------------------------------------------------
    def _metrics(self, font: QFont) -> None:
        if self._metrics_for == font:
            return
        self._metrics_for = QFont(font)
        self._line = QFontMetrics(font).lineSpacing()
        self._small_line = QFontMetrics(self.small_font(font)).lineSpacing()
        self._heading_line = QFontMetrics(self.heading_font(font)).lineSpacing()

    @staticmethod
    def small_font(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        return small

    @staticmethod
    def heading_font(font: QFont) -> QFont:
        heading = QFont(font)
        heading.setBold(True)
        return heading

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        self._metrics(option.font)
        width = option.rect.width()
        if index.data(HEADING_ROLE):
            top = 0 if index.row() == 0 else 10
            return QSize(width, top + self._heading_line + 2 * PAD_Y)
        text: EntryText | None = index.model().entry_text(index)
        if text is None:
            return QSize(width, self._line + 2 * PAD_Y)
        small_lines = 1 + len(text.body) + (1 if text.promise else 0)
        height = 2 * PAD_Y + self._line + small_lines * (self._small_line + LINE_GAP)
        return QSize(width, height)

    # --- painting -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self._metrics(option.font)
        painter.save()
        try:
            if index.data(HEADING_ROLE):
                self._paint_heading(painter, option, str(index.data()), index.row() == 0)
            else:
                text = index.model().entry_text(index)
                if text is not None:
                    entry = index.data(ENTRY_ROLE)
                    self._paint_entry(painter, option, text, entry.kind if entry else "")
        finally:
            painter.restore()

    def _paint_heading(
        self, painter: QPainter, option: QStyleOptionViewItem, text: str, first: bool
    ) -> None:
        rect = option.rect.adjusted(PAD_X, 0 if first else 10, -PAD_X, 0)
        painter.setFont(self.heading_font(option.font))
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        fm = QFontMetrics(painter.font())
        shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        text_rect = QRect(rect.left(), rect.top() + PAD_Y, rect.width(), self._heading_line)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown
        )
        line_y = rect.bottom() - 1
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.left(), line_y, rect.right(), line_y)

    def _paint_entry(
        self, painter: QPainter, option: QStyleOptionViewItem, text: EntryText, kind: str
    ) -> None:
        style_option = QStyleOptionViewItem(option)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # selection and hover background, as the platform draws it
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, style_option, painter, widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = _blend(text_colour, palette.color(QPalette.ColorRole.Base), 0.62)
        if selected:
            muted = text_colour
        accent = QColor(KIND_COLOURS.get(kind, "#757575"))

        rect = option.rect
        painter.fillRect(
            QRect(rect.left() + 2, rect.top() + PAD_Y, ACCENT_WIDTH, rect.height() - 2 * PAD_Y),
            accent,
        )
        left = rect.left() + PAD_X + ACCENT_WIDTH
        width = rect.width() - PAD_X * 2 - ACCENT_WIDTH
        y = rect.top() + PAD_Y
        small = self.small_font(option.font)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

        # Line 1: the kind in its colour, then time, duration, direction, job, template.
        kind_font = QFont(small)
        kind_font.setBold(True)
        painter.setFont(kind_font)
        painter.setPen(text_colour if selected else accent)
        kind_width = QFontMetrics(kind_font).horizontalAdvance(text.kind + "  ")
        painter.drawText(QRect(left, y, width, self._small_line), flags, text.kind)
        painter.setFont(small)
        painter.setPen(muted)
        meta = QFontMetrics(small).elidedText(
            text.meta, Qt.TextElideMode.ElideRight, max(0, width - kind_width)
        )
        painter.drawText(
            QRect(left + kind_width, y, width - kind_width, self._small_line), flags, meta
        )
        y += self._small_line + LINE_GAP

        # Line 2: the summary.
        painter.setFont(option.font)
        painter.setPen(text_colour)
        summary = QFontMetrics(option.font).elidedText(
            text.summary, Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(QRect(left, y, width, self._line), flags, summary)
        y += self._line

        # Then up to two lines of the text, and the promise.
        painter.setFont(small)
        fm_small = QFontMetrics(small)
        for line in text.body:
            y += LINE_GAP
            painter.setPen(muted)
            shown = fm_small.elidedText(line, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, y, width, self._small_line), flags, shown)
            y += self._small_line
        if text.promise:
            y += LINE_GAP
            colour = QColor(PROMISE_COLOURS.get(text.promise_state, "#b26a00"))
            painter.setPen(text_colour if selected else colour)
            shown = fm_small.elidedText(text.promise, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, y, width, self._small_line), flags, shown)


def _blend(front: QColor, back: QColor, amount: float) -> QColor:
    """``front`` moved ``1 - amount`` of the way towards ``back`` (a muted text colour)."""
    return QColor(
        round(front.red() * amount + back.red() * (1 - amount)),
        round(front.green() * amount + back.green() * (1 - amount)),
        round(front.blue() * amount + back.blue() * (1 - amount)),
    )
