"""Create or edit a job: title, client, place, salary range, openings, status, description."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.jobs import JobInput, JobService
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _

JOB_STATUS_LABELS = {
    "open": _("Open"),
    "on_hold": _("On hold"),
    "filled": _("Filled"),
    "closed": _("Closed"),
}


class JobForm(QWidget):
    """Emits ``saved(job_id)``."""

    saved = Signal(int)

    def __init__(self, jobs: JobService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._job_id: int | None = None
        self.title = QLineEdit()
        self.client = QComboBox()
        self.client.setEditable(True)
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.client.lineEdit().setPlaceholderText(_("Client company (new names are added)"))
        self.location = QLineEdit()
        self.salary_min = QLineEdit()
        self.salary_max = QLineEdit()
        self.currency = QLineEdit()
        self.currency.setMaxLength(3)
        self.currency.setFixedWidth(56)
        self.currency.setPlaceholderText("EUR")
        for box in (self.salary_min, self.salary_max):
            box.setPlaceholderText(_("e.g. 65000"))
        self.openings = QSpinBox()
        self.openings.setRange(1, 999)
        self.status = QComboBox()
        for code, label in JOB_STATUS_LABELS.items():
            self.status.addItem(label, code)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()

        salary = QHBoxLayout()
        salary.addWidget(self.salary_min)
        salary.addWidget(QLabel("–"))
        salary.addWidget(self.salary_max)
        salary.addWidget(self.currency)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(_("Title"), self.title)
        form.addRow(_("Client"), self.client)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Salary range"), salary)
        form.addRow(_("Openings"), self.openings)
        form.addRow(_("Status"), self.status)
        form.addRow(_("Description"), self.description)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def load(self, job_id: int | None) -> None:
        self._job_id = job_id
        self.client.clear()
        self.client.addItem("", None)
        for company in self._jobs.companies():
            self.client.addItem(company.name, company.id)
        self.error.hide()
        data = JobInput(title="") if job_id is None else self._jobs.job(job_id).data
        self.title.setText(data.title)
        self.client.setCurrentIndex(max(0, self.client.findData(data.company_id)))
        self.location.setText(data.location)
        self.salary_min.setText("" if data.salary_min is None else str(data.salary_min))
        self.salary_max.setText("" if data.salary_max is None else str(data.salary_max))
        self.currency.setText(data.currency)
        self.openings.setValue(data.openings)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.description.setPlainText(data.description)

    def save(self) -> bool:
        try:
            client_id, client_name = self._client()
            data = JobInput(
                title=self.title.text(),
                company_id=client_id,
                location=self.location.text(),
                salary_min=_amount(self.salary_min.text(), _("Minimum salary")),
                salary_max=_amount(self.salary_max.text(), _("Maximum salary")),
                currency=self.currency.text().strip(),
                openings=self.openings.value(),
                status=self.status.currentData(),
                description=self.description.toPlainText(),
            )
            if self._job_id is None:
                self._job_id = self._jobs.create_job(data, client_name)
            else:
                self._jobs.update_job(self._job_id, data, client_name)
        except ValidationError as exc:
            self.error.setText(" ".join(exc.errors.values()))
            self.error.show()
            return False
        self.error.hide()
        self.saved.emit(self._job_id)
        return True

    def _client(self) -> tuple[int | None, str]:
        """(id of a known client, or None with the typed name of a new one)."""
        name = self.client.currentText().strip()
        index = self.client.findText(name, Qt.MatchFlag.MatchFixedString) if name else -1
        if index > 0:
            return self.client.itemData(index), ""
        return None, name


def _amount(text: str, label: str) -> int | None:
    cleaned = text.replace(",", "").replace(" ", "").replace("_", "").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValidationError({"salary": f"{label}: “{text}” is not a whole number"})
    return int(cleaned)
