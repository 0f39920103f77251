"""A candidate's tags as small coloured, rounded chips (detail header, list hover, dialogs).

Each chip is a plain-text ``QLabel``: a tag name like ``<b>VIP</b>`` is shown as typed, never
rendered as HTML. The text is black or white, whichever contrasts more with the tag's colour.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from crm_desktop.core.tags import DEFAULT_COLOUR, TagInfo
from crm_desktop.i18n import _

MAX_CHIP_TEXT_PX = 170  # longer names are elided; the full name is in the tooltip
OVERFLOW_COLOUR = "#e0e0e0"


def relative_luminance(colour: QColor) -> float:
    """WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def chip_text_colour(colour: str) -> str:
    """``#000000`` or ``#ffffff``, whichever has the higher contrast ratio on ``colour``.

    Contrast with black is (L + 0.05) / 0.05 and with white 1.05 / (L + 0.05); they are equal at
    L ≈ 0.179.
    """
    luminance = relative_luminance(_valid(colour))
    return "#000000" if luminance > 0.179 else "#ffffff"


def chip_style(colour: str) -> str:
    """The style sheet of a chip; ``colour`` is re-parsed so nothing else reaches the sheet."""
    background = _valid(colour)
    border = background.darker(125).name()
    return (
        f"background-color: {background.name()}; color: {chip_text_colour(colour)};"
        f" border: 1px solid {border}; border-radius: 9px; padding: 1px 8px;"
    )


def swatch_icon(colour: str, size: int = 14) -> QIcon:
    """A rounded square of the tag's colour (tag lists, filter combo boxes, menus)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    fill = _valid(colour)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(fill.darker(140))
    painter.setBrush(fill)
    painter.drawRoundedRect(0.5, 0.5, size - 1, size - 1, 3, 3)
    painter.end()
    return QIcon(pixmap)


class TagChips(QWidget):
    """A row of chips; at most ``max_chips`` are shown, then a "+N" chip lists the rest."""

    def __init__(self, parent: QWidget | None = None, max_chips: int = 6) -> None:
        super().__init__(parent)
        self._max_chips = max_chips
        self._labels: list[QLabel] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)
        self.setVisible(False)

    def chips(self) -> list[QLabel]:
        """The chip labels currently shown (the "+N" chip last, if any)."""
        return list(self._labels)

    def set_tags(self, tags: list[TagInfo]) -> None:
        for label in self._labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._labels = []
        shown = tags[: self._max_chips]
        for tag in shown:
            self._append(self._chip(tag.name, tag.colour))
        rest = tags[len(shown) :]
        if rest:
            more = self._chip(_("+{n}").format(n=len(rest)), OVERFLOW_COLOUR, elide=False)
            names = "<br>".join(html.escape(tag.name) for tag in rest)
            more.setToolTip(f"<qt>{names}</qt>")  # escaped: names are never markup
            more.setAccessibleName(", ".join(tag.name for tag in rest))
            self._append(more)
        self.setVisible(bool(tags))

    def _append(self, label: QLabel) -> None:
        self._layout.insertWidget(self._layout.count() - 1, label)
        self._labels.append(label)

    def _chip(self, text: str, colour: str, elide: bool = True) -> QLabel:
        label = QLabel(self)
        label.setObjectName("tagChip")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(chip_style(colour))
        shown = text
        if elide:
            shown = QFontMetrics(label.font()).elidedText(
                text, Qt.TextElideMode.ElideRight, MAX_CHIP_TEXT_PX
            )
        label.setText(shown)
        if shown != text:
            label.setToolTip(f"<qt>{html.escape(text)}</qt>")
        label.setAccessibleName(_("Tag: {name}").format(name=text))
        return label


def _valid(colour: str) -> QColor:
    parsed = QColor(colour)
    return parsed if parsed.isValid() else QColor(DEFAULT_COLOUR)
