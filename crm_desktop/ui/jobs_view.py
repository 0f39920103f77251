"""The Jobs page: jobs on the left; the selected job's board, details and funnel on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.jobs import JobInfo
from crm_desktop.core.services import Services
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.candidate_picker import CandidatePicker
from crm_desktop.ui.funnel_chart import FunnelChart
from crm_desktop.ui.job_form import JOB_STATUS_LABELS, JobForm
from crm_desktop.ui.pipeline_board import PipelineBoard
from crm_desktop.ui.prompter import Prompter

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
ALL_JOBS = -1


class JobsView(QWidget):
    """Emits ``open_candidate(candidate_id)`` from the board."""

    open_candidate = Signal(int)

    def __init__(self, services: Services, prompter: Prompter, parent=None) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._job_id: int | None = None

        self.status_filter = QComboBox()
        self.status_filter.addItem(_("All jobs"), None)
        for code, label in JOB_STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
        self.status_filter.setCurrentIndex(1)  # open jobs first: that is where the work is
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.new_button = QPushButton(_("New job"))
        self.new_button.clicked.connect(self.new_job)
        self.job_model = QStandardItemModel(self)
        self.job_list = QListView()
        self.job_list.setModel(self.job_model)
        self.job_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.job_list.setAccessibleName(_("Jobs"))
        self.job_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.job_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.job_list.setSpacing(2)
        self.job_list.selectionModel().currentChanged.connect(self._on_job)
        self.empty = QLabel(_("No jobs here yet. Create one with New job."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        left = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.status_filter, 1)
        top.addWidget(self.new_button)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addLayout(top)
        left_layout.addWidget(self.job_list, 1)
        left_layout.addWidget(self.empty, 1)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.picker = CandidatePicker(services.candidate_list)
        self.picker.setPlaceholderText(_("Add a candidate to this job: type a name…"))
        self.picker.picked.connect(self.add_candidate)
        self.board = PipelineBoard(services.pipeline, services.clock, prompter)
        self.board.open_candidate.connect(self.open_candidate)
        self.form = JobForm(services.jobs)
        self.form.saved.connect(self._on_saved)
        self.funnel = FunnelChart()
        funnel_title = QLabel(_("Funnel: how far candidates got"))
        funnel_title.setStyleSheet("font-weight: 600;")
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.form, 1)
        details_layout.addWidget(funnel_title)
        details_layout.addWidget(self.funnel)
        self.tabs = QTabWidget()
        board_page = QWidget()
        board_layout = QVBoxLayout(board_page)
        board_layout.addWidget(self.picker)
        board_layout.addWidget(self.board, 1)
        self.tabs.addTab(board_page, _("Board"))
        self.tabs.addTab(details, _("Details and funnel"))

        # "All jobs" shows only the overall funnel: no job form to confuse it with.
        self.overall_funnel = FunnelChart()
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        overview_layout.addWidget(self.overall_funnel)
        overview_layout.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(overview)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 8, 8, 8)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.subtitle)
        right_layout.addWidget(self.stack, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        # Filled when the page is first shown (MainWindow calls reload): not before first paint.

    @property
    def job_id(self) -> int | None:
        return self._job_id

    def reload(self) -> None:
        keep = self._job_id
        self.job_model.clear()
        overall = QStandardItem(_("All jobs: overall funnel"))
        overall.setData(ALL_JOBS, JOB_ROLE)
        self.job_model.appendRow(overall)
        for job in self._services.jobs.jobs(status=self.status_filter.currentData()):
            item = QStandardItem(self._job_line(job))
            item.setData(job.id, JOB_ROLE)
            item.setToolTip(job.label)
            self.job_model.appendRow(item)
        self.empty.setVisible(self.job_model.rowCount() == 1)
        self.select_job(keep if keep is not None else ALL_JOBS)

    def select_job(self, job_id: int) -> None:
        for row in range(self.job_model.rowCount()):
            if self.job_model.item(row).data(JOB_ROLE) == job_id:
                self.job_list.setCurrentIndex(self.job_model.index(row, 0))
                return
        self.job_list.setCurrentIndex(self.job_model.index(0, 0))

    def new_job(self) -> None:
        self._job_id = None
        self.stack.setCurrentIndex(0)
        self.form.setEnabled(True)
        self.job_list.clearSelection()
        self.title.setText(_("New job"))
        self.subtitle.setText(_("Fill in the details, then Save."))
        self.form.load(None)
        self.board.load(None)
        self.picker.setEnabled(False)
        self.tabs.setCurrentIndex(1)
        self.form.title.setFocus()

    def add_candidate(self, candidate_id: int) -> None:
        if self._job_id is None:
            return
        try:
            self._services.pipeline.attach(candidate_id, self._job_id)
        except ValidationError as exc:
            self._prompter.error(_("Could not add the candidate"), " ".join(exc.errors.values()))
            return
        self.refresh_job()

    def refresh_job(self) -> None:
        """Re-read the current job (after a pipeline change anywhere)."""
        if self._job_id is None:
            self.overall_funnel.set_counts(self._services.pipeline.funnel())
            return
        job = self._services.jobs.job(self._job_id)
        self.title.setText(job.label)
        self.subtitle.setText(self._summary(job))
        self.board.reload()
        self.funnel.set_counts(self._services.pipeline.funnel(self._job_id))

    def _on_job(self, current, _previous) -> None:
        job_id = current.data(JOB_ROLE) if current.isValid() else None
        if job_id is None:
            return
        if job_id == ALL_JOBS:
            self._job_id = None
            self.title.setText(_("All jobs"))
            self.subtitle.setText(_("How far candidates got, over every job"))
            self.board.load(None)
            self.overall_funnel.set_counts(self._services.pipeline.funnel())
            self.stack.setCurrentIndex(1)
            return
        self._job_id = job_id
        self.stack.setCurrentIndex(0)
        self.tabs.setCurrentIndex(0)
        self.form.load(job_id)
        self.board.load(job_id)
        self.picker.setEnabled(True)
        self.refresh_job()

    def _on_saved(self, job_id: int) -> None:
        self._job_id = job_id
        self.reload()
        self.select_job(job_id)
        self.tabs.setCurrentIndex(0)

    @staticmethod
    def _job_line(job: JobInfo) -> str:
        active = job.in_pipeline - job.stage_counts["rejected"] - job.stage_counts["withdrawn"]
        status = "" if job.data.status == "open" else f" · {JOB_STATUS_LABELS[job.data.status]}"
        line = ngettext("{n} in the pipeline", "{n} in the pipeline", active).format(n=active)
        return f"{job.label}\n{line}{status}"

    @staticmethod
    def _summary(job: JobInfo) -> str:
        data = job.data
        parts = [JOB_STATUS_LABELS[data.status]]
        if data.location:
            parts.append(data.location)
        if data.salary_min or data.salary_max:
            low = f"{data.salary_min:,}" if data.salary_min else "…"
            high = f"{data.salary_max:,}" if data.salary_max else "…"
            parts.append(f"{low}–{high} {data.currency}".strip())
        parts.append(ngettext("{n} opening", "{n} openings", data.openings).format(n=data.openings))
        return " · ".join(parts)
