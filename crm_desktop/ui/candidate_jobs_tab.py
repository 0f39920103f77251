"""The candidate's Jobs tab: their applications (stage, fit, updates owed) and referrals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.formatting import relative_days
from crm_desktop.core.pipeline import ApplicationInfo
from crm_desktop.core.services import Services
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import STAGE_LABELS, STAGES
from crm_desktop.i18n import _
from crm_desktop.ui.candidate_picker import CandidatePicker
from crm_desktop.ui.prompter import Prompter

APP_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
OWED_COLOUR = QColor("#b45309")


class CandidateJobsTab(QWidget):
    """Emits ``open_candidate(id)`` for a referral and ``compose_update(application_id)`` when
    the recruiter asks to tell the candidate about an owed update."""

    open_candidate = Signal(int)
    compose_update = Signal(int)

    def __init__(self, services: Services, prompter: Prompter, parent=None) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._candidate_id: int | None = None

        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setRootIsDecorated(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAccessibleName(_("Applications"))
        self.tree.selectionModel().currentRowChanged.connect(self._on_application)
        self.empty = QLabel(_("Not on any job yet. Add them from a job's board, or below."))
        self.empty.setWordWrap(True)

        self.job_choice = QComboBox()
        self.job_choice.setAccessibleName(_("Job to add the candidate to"))
        self.add_button = QPushButton(_("Add to job"))
        self.add_button.clicked.connect(self.add_to_job)

        self.stage = QComboBox()
        for stage in STAGES:
            self.stage.addItem(STAGE_LABELS[stage], stage)
        self.stage.activated.connect(self._stage_chosen)
        self.informed_button = QPushButton(_("Mark informed"))
        self.informed_button.setToolTip(_("The candidate already knows (told in person, say)"))
        self.informed_button.clicked.connect(self.mark_informed)
        self.compose_button = QPushButton(_("Tell them…"))
        self.compose_button.setToolTip(_("Write the update from the matching template"))
        self.compose_button.clicked.connect(self._compose)
        self.feedback = QPlainTextEdit()
        self.feedback.setPlaceholderText(_("What the candidate thinks of the role"))
        self.assessment = QPlainTextEdit()
        self.assessment.setPlaceholderText(_("Your view: is this actually a fit? Why?"))
        for box in (self.feedback, self.assessment):
            box.setFixedHeight(60)
            box.setTabChangesFocus(True)
        self.save_fit = QPushButton(_("Save fit notes"))
        self.save_fit.clicked.connect(self.save_feedback)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()

        self.referred_by = CandidatePicker(services.candidate_list)
        self.referred_by.setPlaceholderText(_("Referred by: type a name…"))
        self.referred_by.picked.connect(self.set_referrer)
        self.referrer_label = QLabel()
        self.referrer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_referrer = QPushButton(_("Clear"))
        self.clear_referrer.clicked.connect(lambda: self.set_referrer(None))
        self.referrals_model = QStandardItemModel(self)
        self.referrals = QListView()
        self.referrals.setModel(self.referrals_model)
        self.referrals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.referrals.setMaximumHeight(90)
        self.referrals.activated.connect(lambda i: self.open_candidate.emit(i.data(ID_ROLE)))

        add_row = QHBoxLayout()
        add_row.addWidget(self.job_choice, 1)
        add_row.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(_("Stage")))
        actions.addWidget(self.stage, 1)
        actions.addWidget(self.informed_button)
        actions.addWidget(self.compose_button)
        fit = QFormLayout()
        fit.addRow(_("Their view"), self.feedback)
        fit.addRow(_("Your view"), self.assessment)
        referrer_row = QHBoxLayout()
        referrer_row.addWidget(self.referrer_label, 1)
        referrer_row.addWidget(self.clear_referrer)
        title = QLabel(_("Referrals"))
        title.setStyleSheet("font-weight: 600;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addLayout(add_row)
        layout.addLayout(actions)
        layout.addLayout(fit)
        layout.addWidget(self.save_fit, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.error)
        layout.addWidget(title)
        layout.addLayout(referrer_row)
        layout.addWidget(self.referred_by)
        layout.addWidget(self.referrals)

    def load(self, candidate_id: int | None) -> None:
        self._candidate_id = candidate_id
        self.error.hide()
        self.setEnabled(candidate_id is not None)
        self.reload()

    def reload(self) -> None:
        keep = self.current_application()
        self.model.clear()
        self.model.setHorizontalHeaderLabels([_("Job"), _("Stage"), _("Since")])
        apps = (
            []
            if self._candidate_id is None
            else (self._services.pipeline.for_candidate(self._candidate_id))
        )
        today = self._services.clock.today()
        tz = self._services.clock.tz()
        for app in apps:
            stage = STAGE_LABELS[app.stage] + (_(" · update owed") if app.owes_update else "")
            since = relative_days(app.stage_changed_at.astimezone(tz).date(), today)
            cells = [QStandardItem(app.job_label), QStandardItem(stage), QStandardItem(since)]
            for cell in cells:
                cell.setData(app, APP_ROLE)
                if app.owes_update:
                    cell.setForeground(OWED_COLOUR)
            self.model.appendRow(cells)
        self.tree.setColumnWidth(0, 240)
        self.empty.setVisible(not apps)
        self.tree.setVisible(bool(apps))
        on_jobs = {a.job_id for a in apps}
        self.job_choice.clear()
        for job in self._services.jobs.jobs(status="open"):
            if job.id not in on_jobs:
                self.job_choice.addItem(job.label, job.id)
        self.add_button.setEnabled(self.job_choice.count() > 0)
        if apps:
            row = next((i for i, a in enumerate(apps) if keep and a.id == keep.id), 0)
            self.tree.setCurrentIndex(self.model.index(row, 0))
        else:
            self._on_application(self.model.index(-1, 0), None)
        self._load_referrals()

    def current_application(self) -> ApplicationInfo | None:
        index = self.tree.currentIndex()
        return index.data(APP_ROLE) if index.isValid() else None

    def add_to_job(self) -> None:
        job_id = self.job_choice.currentData()
        if self._candidate_id is None or job_id is None:
            return
        self._run(lambda: self._services.pipeline.attach(self._candidate_id, job_id))

    def move_to(self, stage: str) -> None:
        app = self.current_application()
        if app is None or app.stage == stage:
            return
        joined_on = None
        if stage == "joined":
            joined_on = self._prompter.ask_date(
                _("Joining date"),
                _("When does {name} start?").format(name=app.candidate_name),
                self._services.clock.today(),
            )
            if joined_on is None:
                self.reload()
                return
        self._run(lambda: self._services.pipeline.move(app.id, stage, joined_on=joined_on))

    def mark_informed(self) -> None:
        app = self.current_application()
        if app is not None:
            self._run(lambda: self._services.pipeline.mark_informed(app.id))

    def save_feedback(self) -> None:
        app = self.current_application()
        if app is not None:
            self._run(
                lambda: self._services.pipeline.set_feedback(
                    app.id, self.feedback.toPlainText(), self.assessment.toPlainText()
                )
            )

    def set_referrer(self, referrer_id: int | None) -> None:
        if self._candidate_id is None:
            return
        candidate_id = self._candidate_id
        self._run(lambda: self._services.referrals.set_referrer(candidate_id, referrer_id))

    # --- internals -------------------------------------------------------------------------
    def _run(self, action) -> None:
        try:
            action()
        except ValidationError as exc:
            self.error.setText(" ".join(exc.errors.values()))
            self.error.show()
            return
        self.error.hide()
        self.reload()

    def _on_application(self, current, _previous) -> None:
        app = current.data(APP_ROLE) if current.isValid() else None
        for widget in (self.stage, self.informed_button, self.compose_button, self.save_fit):
            widget.setEnabled(app is not None)
        self.feedback.setEnabled(app is not None)
        self.assessment.setEnabled(app is not None)
        if app is None:
            self.feedback.clear()
            self.assessment.clear()
            return
        self.stage.setCurrentIndex(self.stage.findData(app.stage))
        self.informed_button.setEnabled(app.owes_update)
        self.compose_button.setEnabled(app.owes_update)
        self.feedback.setPlainText(app.candidate_feedback)
        self.assessment.setPlainText(app.assessment)

    def _stage_chosen(self, index: int) -> None:
        self.move_to(self.stage.itemData(index))

    def _compose(self) -> None:
        app = self.current_application()
        if app is not None:
            self.compose_update.emit(app.id)

    def _load_referrals(self) -> None:
        self.referrals_model.clear()
        if self._candidate_id is None:
            return
        referrer = self._services.referrals.referrer_of(self._candidate_id)
        self.referrer_label.setText(
            _("Referred by {name}").format(name=referrer.name) if referrer else _("Not referred")
        )
        self.clear_referrer.setVisible(referrer is not None)
        for info in self._services.referrals.referrals_of(self._candidate_id):
            item = QStandardItem(
                _("Referred {name} — {outcome}").format(name=info.name, outcome=info.outcome)
            )
            item.setData(info.candidate_id, ID_ROLE)
            self.referrals_model.appendRow(item)
        self.referrals.setVisible(self.referrals_model.rowCount() > 0)
