"""A funnel of the pipeline, drawn with QPainter: one bar per stage, count and share."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from crm_desktop.core.vocabulary import STAGE_LABELS
from crm_desktop.i18n import _

# Forward stages make the funnel; the ways out are shown after it, greyed.
FUNNEL_STAGES = ("sourced", "contacted", "shortlisted", "interviewing", "offered", "joined")
EXIT_STAGES = ("rejected", "withdrawn")
BAR_COLOUR = QColor("#1e6f8c")
EXIT_COLOUR = QColor("#9e9e9e")
ROW_HEIGHT = 22
LABEL_WIDTH = 96
COUNT_WIDTH = 92


class FunnelChart(QWidget):
    """``set_counts({stage: count})``: how many candidates are at each stage now.

    A stage's bar counts everyone at that stage *or further along*, so the bars narrow like a
    funnel and the percentage reads as "reached this stage" of all who entered.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[str, int] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Pipeline funnel"))

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        self.setToolTip("\n".join(f"{STAGE_LABELS[s]}: {counts.get(s, 0)}" for s in STAGE_LABELS))
        self.update()

    def reached(self) -> dict[str, int]:
        """Everyone at a stage or beyond it (joined counts as reaching every earlier stage)."""
        result, running = {}, 0
        for stage in reversed(FUNNEL_STAGES):
            running += self._counts.get(stage, 0)
            result[stage] = running
        return result

    def sizeHint(self) -> QSize:
        rows = len(FUNNEL_STAGES) + len(EXIT_STAGES)
        return QSize(360, rows * ROW_HEIGHT + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        reached = self.reached()
        total = max(reached.get("sourced", 0), 1)
        bar_space = max(self.width() - LABEL_WIDTH - COUNT_WIDTH - 8, 20)
        rows = [(s, reached[s], BAR_COLOUR) for s in FUNNEL_STAGES] + [
            (s, self._counts.get(s, 0), EXIT_COLOUR) for s in EXIT_STAGES
        ]
        text_colour = self.palette().color(self.foregroundRole())
        for index, (stage, count, colour) in enumerate(rows):
            top = 4 + index * ROW_HEIGHT
            painter.setPen(text_colour)
            label_rect = QRectF(0, top, LABEL_WIDTH - 6, ROW_HEIGHT)
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                STAGE_LABELS[stage],
            )
            width = bar_space * count / total
            bar = QRectF(LABEL_WIDTH, top + 3, max(width, 2 if count else 0), ROW_HEIGHT - 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(bar, 3, 3)
            painter.setPen(text_colour)
            share = f"{count}  ({100 * count / total:.0f}%)" if reached.get("sourced") else "0"
            painter.drawText(
                QRectF(LABEL_WIDTH + width + 6, top, COUNT_WIDTH, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                share,
            )
        painter.end()
