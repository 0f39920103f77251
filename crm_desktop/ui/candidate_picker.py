"""Search-as-you-type picker of one candidate (adding to a job, "referred by")."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from crm_desktop.core.candidate_list import CandidateList, ListQuery
from crm_desktop.i18n import _

MAX_SUGGESTIONS = 20
DEBOUNCE_MS = 120


class CandidatePicker(QLineEdit):
    """Type part of a name, e-mail or phone; pick from the suggestions.

    Emits ``picked(candidate_id)``.
    """

    picked = Signal(int)

    def __init__(self, source: CandidateList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._ids: dict[str, int] = {}
        self.setPlaceholderText(_("Type a name, e-mail or phone…"))
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.activated[str].connect(self._choose)
        self.setCompleter(self._completer)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_suggestions)
        self.textEdited.connect(self._timer.start)
        self.returnPressed.connect(self._choose_first)

    def suggestions(self) -> list[str]:
        return self._model.stringList()

    def refresh_suggestions(self) -> None:
        text = self.text().strip()
        self._ids = {}
        if text:
            ids = self._source.ids(ListQuery(text=text))[:MAX_SUGGESTIONS]
            rows = self._source.rows(ids)
            for candidate_id in ids:
                row = rows[candidate_id]
                extra = " · ".join(part for part in (row.headline, row.company) if part)
                label = f"{row.name} — {extra}" if extra else row.name
                if label in self._ids:
                    label = f"{label} (#{candidate_id})"
                self._ids[label] = candidate_id
        self._model.setStringList(list(self._ids))
        if self._ids and self.hasFocus():
            self._completer.complete()

    def _choose(self, label: str) -> None:
        candidate_id = self._ids.get(label)
        if candidate_id is not None:
            self.picked.emit(candidate_id)
            QTimer.singleShot(0, self.clear)

    def _choose_first(self) -> None:
        self._timer.stop()
        self.refresh_suggestions()
        if self._ids:
            self._choose(next(iter(self._ids)))
