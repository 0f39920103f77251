"""A board per job: one column per stage; drag a card, or Ctrl+Left/Right, to move it.

Each column is a list view over a small model. A drop calls the pipeline service, which
records the change; the board then reloads from the data, so what you see is what was saved.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import relative_days
from crm_desktop.core.pipeline import ApplicationInfo, PipelineService
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import STAGE_LABELS, STAGES
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

MIME = "application/x-rapport-application-ids"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
INFO_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMN_WIDTH = 128

_Index = QModelIndex | QPersistentModelIndex


class StageModel(QAbstractListModel):
    """The cards of one stage; a drop asks the board to move the dropped applications here."""

    def __init__(self, stage: str, board: PipelineBoard) -> None:
        super().__init__(board)
        self.stage = stage
        self._board = board
        self._items: list[ApplicationInfo] = []

    def set_items(self, items: list[ApplicationInfo]) -> None:
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def row_of(self, application_id: int) -> int | None:
        for row, item in enumerate(self._items):
            if item.id == application_id:
                return row
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            since = relative_days(
                item.stage_changed_at.astimezone(self._board.clock.tz()).date(),
                self._board.clock.today(),
            )
            second = _("● update owed · {since}") if item.owes_update else _("since {since}")
            return f"{item.candidate_name}\n{second.format(since=since)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            owed = _("\nThe candidate has not been told yet.") if item.owes_update else ""
            return f"{item.candidate_name} — {STAGE_LABELS[item.stage]}{owed}"
        if role == Qt.ItemDataRole.ForegroundRole and item.owes_update:
            return QColor("#b45309")
        if role == ID_ROLE:
            return item.id
        if role == INFO_ROLE:
            return item
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemIsDragEnabled)
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids = sorted({index.data(ID_ROLE) for index in indexes if index.isValid()})
        mime = QMimeData()
        mime.setData(MIME, ",".join(map(str, ids)).encode())
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(MIME)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not data.hasFormat(MIME):
            return False
        raw = bytes(data.data(MIME).data()).decode()
        ids = [int(part) for part in raw.split(",") if part]
        self._board.move(ids, self.stage)
        # The board reloads from the data; tell the source view nothing needs removing.
        return False


class StageView(QListView):
    """A column; Ctrl+Right / Ctrl+Left move the selected cards one stage on or back."""

    def __init__(self, stage: str, board: PipelineBoard) -> None:
        super().__init__()
        self._stage = stage
        self._board = board

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}
        if event.modifiers() == Qt.KeyboardModifier.ControlModifier and event.key() in steps:
            self._board.move_selected(self._stage, steps[event.key()])
            event.accept()
            return
        super().keyPressEvent(event)


class PipelineBoard(QWidget):
    """Emits ``open_candidate(candidate_id)`` on Enter / double-click on a card."""

    open_candidate = Signal(int)
    moved = Signal()

    def __init__(
        self, pipeline: PipelineService, clock: Clock, prompter: Prompter, parent=None
    ) -> None:
        super().__init__(parent)
        self.pipeline = pipeline
        self.clock = clock
        self._prompter = prompter
        self._job_id: int | None = None
        self.models: dict[str, StageModel] = {}
        self.views: dict[str, StageView] = {}
        self.headers: dict[str, QLabel] = {}

        row = QHBoxLayout()
        row.setSpacing(6)
        for stage in STAGES:
            model = StageModel(stage, self)
            view = StageView(stage, self)
            view.setModel(model)
            view.setAccessibleName(STAGE_LABELS[stage])
            view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            view.setDefaultDropAction(Qt.DropAction.MoveAction)
            view.setDragEnabled(True)
            view.setAcceptDrops(True)
            view.setDropIndicatorShown(True)
            view.setSpacing(3)
            view.setWordWrap(True)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.activated.connect(self._open)
            header = QLabel()
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet("font-weight: 600;")
            column = QVBoxLayout()
            column.addWidget(header)
            column.addWidget(view, 1)
            holder = QWidget()
            holder.setLayout(column)
            holder.setMinimumWidth(COLUMN_WIDTH)
            row.addWidget(holder)
            self.models[stage], self.views[stage], self.headers[stage] = model, view, header
        inner = QWidget()
        inner.setLayout(row)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.hint = QLabel(
            _(
                "Drag a card to another stage, or select it and press Ctrl+→ / Ctrl+←. "
                "Enter opens the candidate."
            )
        )
        self.hint.setStyleSheet("color: palette(mid);")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.hint)

    def load(self, job_id: int | None) -> None:
        self._job_id = job_id
        self.reload()

    def reload(self) -> None:
        items = [] if self._job_id is None else self.pipeline.for_job(self._job_id)
        by_stage: dict[str, list[ApplicationInfo]] = {stage: [] for stage in STAGES}
        for item in items:
            by_stage[item.stage].append(item)
        for stage, model in self.models.items():
            cards = sorted(by_stage[stage], key=lambda i: i.candidate_name.casefold())
            model.set_items(cards)
            self.headers[stage].setText(f"{STAGE_LABELS[stage]} ({len(cards)})")
        self.setEnabled(self._job_id is not None)

    def move(self, application_ids: list[int], stage: str) -> list[int]:
        """Move applications to ``stage``; returns the ids that moved."""
        moved = []
        joined_on: date | None = None
        for application_id in application_ids:
            info = self.pipeline.get(application_id)
            if info.stage == stage:
                continue
            if stage == "joined" and joined_on is None:
                joined_on = self._prompter.ask_date(
                    _("Joining date"),
                    _(
                        "When does {name} start? The date feeds the joining-day and anniversary "
                        "reminders."
                    ).format(name=info.candidate_name),
                    self.clock.today(),
                )
                if joined_on is None:
                    break
            try:
                self.pipeline.move(application_id, stage, joined_on=joined_on)
            except ValidationError as exc:
                self._prompter.error(_("Could not move the card"), " ".join(exc.errors.values()))
                break
            moved.append(application_id)
        self.reload()
        self._select(stage, moved)
        if moved:
            self.moved.emit()
        return moved

    def move_selected(self, stage: str, step: int) -> None:
        position = STAGES.index(stage) + step
        if not 0 <= position < len(STAGES):
            return
        view = self.views[stage]
        ids = [index.data(ID_ROLE) for index in view.selectionModel().selectedIndexes()]
        if not ids and view.currentIndex().isValid():
            ids = [view.currentIndex().data(ID_ROLE)]
        if ids:
            self.move(ids, STAGES[position])

    def _select(self, stage: str, ids: list[int]) -> None:
        if not ids:
            return
        view, model = self.views[stage], self.models[stage]
        rows = [r for r in (model.row_of(i) for i in ids) if r is not None]
        if rows:
            view.setFocus()
            view.setCurrentIndex(model.index(rows[0], 0))

    def _open(self, index: QModelIndex) -> None:
        info = index.data(INFO_ROLE)
        if info is not None:
            self.open_candidate.emit(info.candidate_id)
