"""Ambassadors: the candidates who refer others, ranked by placements, then referrals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.referrals import ReferralService
from crm_desktop.i18n import _

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AmbassadorsView(QWidget):
    """Emits ``open_candidate(candidate_id)`` on Enter / double-click and
    ``thank(candidate_id)`` when the recruiter wants to write a thank-you."""

    open_candidate = Signal(int)
    thank = Signal(int)

    def __init__(self, referrals: ReferralService, parent=None) -> None:
        super().__init__(parent)
        self._referrals = referrals
        title = QLabel(_("Ambassadors"))
        title.setStyleSheet("font-size: 17px; font-weight: 600;")
        intro = QLabel(
            _("Candidates who referred others. Thank them: referrals are the warmest source.")
        )
        intro.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._open)
        self.referred_model = QStandardItemModel(self)
        self.referred = QListView()
        self.referred.setModel(self.referred_model)
        self.referred.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.referred.activated.connect(self._open)
        self.referred_title = QLabel()
        self.referred_title.setStyleSheet("font-weight: 600;")
        self.empty = QLabel(
            _("No referrals yet. Set “Referred by” on a candidate's profile to start.")
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.referred_title)
        side_layout.addWidget(self.referred, 1)
        self.thank_button = QPushButton(_("Say thank you…"))
        self.thank_button.setToolTip(_("Write a thank-you from the referral template"))
        self.thank_button.clicked.connect(self._thank)
        side_layout.addWidget(self.thank_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setSizes([520, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.empty, 1)
        self.table.selectionModel().currentRowChanged.connect(self._show_referred)
        # Filled when the page is first shown (MainWindow calls reload): not before first paint.

    def reload(self) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels([_("#"), _("Ambassador"), _("Referrals"), _("Placed")])
        for rank, ambassador in enumerate(self._referrals.ambassadors(), start=1):
            cells = [
                QStandardItem(str(rank)),
                QStandardItem(ambassador.name),
                QStandardItem(str(ambassador.referrals)),
                QStandardItem(str(ambassador.placements)),
            ]
            for cell in cells:
                cell.setData(ambassador.candidate_id, ID_ROLE)
            for cell in (cells[0], cells[2], cells[3]):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(cells)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        has = self.model.rowCount() > 0
        self.table.parentWidget().setVisible(has)
        self.empty.setVisible(not has)
        if has:
            self.table.selectRow(0)
        else:
            self.referred_model.clear()

    def _show_referred(self, current, _previous) -> None:
        self.referred_model.clear()
        candidate_id = current.data(ID_ROLE) if current.isValid() else None
        if candidate_id is None:
            return
        name = self.model.item(current.row(), 1).text()
        self.referred_title.setText(_("Referred by {name}").format(name=name))
        for info in self._referrals.referrals_of(candidate_id):
            item = QStandardItem(f"{info.name} — {info.outcome}")
            item.setData(info.candidate_id, ID_ROLE)
            self.referred_model.appendRow(item)

    def _thank(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.thank.emit(index.data(ID_ROLE))

    def _open(self, index) -> None:
        candidate_id = index.data(ID_ROLE)
        if candidate_id is not None:
            self.open_candidate.emit(candidate_id)
