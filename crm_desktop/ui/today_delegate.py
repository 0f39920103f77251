"""How a Today line is drawn: who and why, when, and a coloured dot for the kind."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from babel.dates import format_skeleton
from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import DEFAULT_LOCALE, local_time, short_date
from crm_desktop.core.today import REMINDER, TodayItem
from crm_desktop.i18n import _

if TYPE_CHECKING:
    from crm_desktop.ui.today_panel import TodayPanel

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

# A coloured dot per kind: emoji glyphs are missing from many Linux font sets.
KIND_COLOURS = {
    "reminder": "#1e6f8c",
    "birthday": "#d81b60",
    "joining_day": "#43a047",
    "anniversary": "#f4a000",
    "follow_up": "#7e57c2",
    "owed_update": "#00897b",
    "interview": "#3949ab",
}
KIND_NAMES = {
    "reminder": _("Reminder"),
    "birthday": _("Birthday"),
    "joining_day": _("Joining day"),
    "anniversary": _("Work anniversary"),
    "follow_up": _("Follow-up"),
    "owed_update": _("Update owed"),
    "interview": _("Interview"),
}
OVERDUE_COLOUR = "#b3261e"


def when_text(item: TodayItem, today: date, clock: Clock) -> str:
    """When, beside the line: "14:30" today, "3 days ago", "Tomorrow", "Mon 09:00", "12 Dec"."""
    delta = (item.on - today).days
    timed = item.due_at is not None and item.kind == REMINDER
    at = local_time(item.due_at, clock.tz()) if timed else ""
    if delta == 0:
        return at
    if delta < 0:
        return _("yesterday") if delta == -1 else _("{n} days ago").format(n=-delta)
    if delta == 1:
        day = _("Tomorrow")
    elif delta < 7:
        day = format_skeleton("EEE", item.on, locale=DEFAULT_LOCALE)
    else:
        day = short_date(item.on, today)
    return f"{day} {at}".strip()


def detail_text(item: TodayItem) -> str:
    """The second line: why (and, for a reminder, who, unless the title already says)."""
    parts = []
    if item.kind == REMINDER:
        if item.candidate_name and item.candidate_name not in item.title:
            parts.append(item.candidate_name)
        if item.reason and item.reason != _("Reminder"):
            parts.append(item.reason)
        if not parts:
            parts.append(_("Reminder"))
    elif item.reason:
        parts.append(item.reason)
    return " · ".join(parts)


class TodayItemDelegate(QStyledItemDelegate):
    """Paints an item as a coloured dot, a title with its time on the right, and a grey
    second line. Headers and "Show more" lines are painted as usual."""

    PAD = 6
    DOT = 8

    def __init__(self, panel: TodayPanel) -> None:  # the panel gives the day and the clock
        super().__init__(panel)
        self._panel = panel

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        if not isinstance(index.data(ITEM_ROLE), TodayItem):
            return QSize(base.width(), max(base.height(), option.fontMetrics.height() + 8))
        return QSize(base.width(), 2 * option.fontMetrics.height() + 2 * self.PAD + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item = index.data(ITEM_ROLE)
        if not isinstance(item, TodayItem):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_colour = palette.highlightedText().color() if selected else palette.text().color()
        grey = QColor(text_colour)
        if not selected:
            grey = palette.placeholderText().color()
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        metrics = QFontMetrics(opt.font)
        line = metrics.height()

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(KIND_COLOURS.get(item.kind, "#757575")))
        dot_y = rect.top() + (line - self.DOT) // 2
        painter.drawEllipse(rect.left(), dot_y, self.DOT, self.DOT)
        left = rect.left() + self.DOT + self.PAD

        title_font = QFont(opt.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        width = max(0, rect.right() - left)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title = QFontMetrics(title_font).elidedText(item.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(left, rect.top(), width, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )

        # Second line: why on the left, when on the right (red once it is past).
        today = self._panel.shown_day()
        when = when_text(item, today, self._panel.clock)
        when_width = metrics.horizontalAdvance(when) if when else 0
        second = QRect(left, rect.top() + line + 2, width, line)
        painter.setFont(opt.font)
        if when:
            overdue = item.on < today or (
                item.kind == REMINDER
                and item.due_at is not None
                and item.due_at <= self._panel.clock.now()
            )
            painter.setPen(QColor(OVERDUE_COLOUR) if overdue and not selected else grey)
            painter.drawText(
                second, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when
            )
        painter.setPen(grey)
        room = max(0, width - (when_width + 2 * self.PAD if when else 0))
        detail = metrics.elidedText(detail_text(item), Qt.TextElideMode.ElideRight, room)
        painter.drawText(
            QRect(left, second.top(), room, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            detail,
        )
        painter.restore()
