"""Trash: candidates deleted from the list, restorable until emptied."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import CandidateService
from crm_desktop.core.formatting import short_date
from crm_desktop.i18n import _

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class TrashDialog(QDialog):
    def __init__(self, service: CandidateService, clock: Clock, parent=None) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self.setWindowTitle(_("Trash"))
        self.resize(420, 360)
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.empty = QLabel(_("The trash is empty."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.restore_button = QPushButton(_("Restore"))
        self.restore_button.clicked.connect(self.restore_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Deleted candidates keep their history and can be restored.")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.model.clear()
        today = self._clock.today()
        for entry in self._service.trashed():
            day = short_date(entry.deleted_at.astimezone(self._clock.tz()).date(), today)
            item = QStandardItem(_("{name} — deleted {date}").format(name=entry.name, date=day))
            item.setData(entry.id, ID_ROLE)
            self.model.appendRow(item)
        has = self.model.rowCount() > 0
        self.list.setVisible(has)
        self.empty.setVisible(not has)
        self.restore_button.setEnabled(has)
        if has:
            self.list.setCurrentIndex(self.model.index(0, 0))

    def restore_selected(self) -> list[int]:
        ids = [index.data(ID_ROLE) for index in self.list.selectionModel().selectedIndexes()]
        self._service.restore(ids)
        self.reload()
        return ids
