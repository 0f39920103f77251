"""Privacy: a candidate's consent, their data export and erasure; the retention review; the audit.

Three tabs. "Candidate" records on what legal basis the candidate's data is kept (and since
when), exports everything about them in one zip, and erases them for good after a confirmation
that says what will go. "Retention review" lists candidates with no activity for N years, for
the recruiter to contact, export or erase. "Audit" shows the erasures done, which by design say
nothing about whom.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.privacy import CONSENT_BASES
from crm_desktop.core.services import Services
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.exchange.gdpr import erase_candidate, export_candidate_zip
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.prompter import Prompter

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DEFAULT_YEARS = 2
_COUNT_LABELS = {
    "contact_points": _("e-mails, phones and web addresses"),
    "timeline_entries": _("timeline entries"),
    "applications": _("applications"),
    "reminders": _("reminders"),
    "occurrence_states": _("celebration states"),
    "tag_links": _("tags"),
    "attachments": _("attachments"),
    "referral_links": _("referral links"),
}


class PrivacyDialog(QDialog):
    erased = Signal(int)
    open_candidate = Signal(int)

    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        attachments_dir: Path,
        candidate_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._attachments_dir = attachments_dir
        self.candidate_id = candidate_id
        self.setWindowTitle(_("Privacy"))
        self.resize(760, 560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._candidate_tab(), _("Candidate"))
        self.tabs.addTab(self._retention_tab(), _("Retention review"))
        self.tabs.addTab(self._audit_tab(), _("Audit"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.show_candidate(candidate_id)
        self.refresh_audit()
        if candidate_id is None:
            self.tabs.setCurrentIndex(1)

    # --- the candidate ---------------------------------------------------------------------
    def _candidate_tab(self) -> QWidget:
        page = QWidget()
        self.who = QLabel()
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        font = self.who.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.who.setFont(font)
        self.basis = QComboBox()
        for code, label in CONSENT_BASES.items():
            self.basis.addItem(label, code)
        self.has_date = QCheckBox(_("Recorded on"))
        self.consent_date = QDateEdit()
        self.consent_date.setCalendarPopup(True)
        self.consent_date.setDisplayFormat("yyyy-MM-dd")
        self.has_date.toggled.connect(self.consent_date.setEnabled)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.consent_date)
        date_row.addStretch(1)
        self.consent_error = QLabel()
        self.consent_error.setStyleSheet("color: #b71c1c;")
        self.save_consent_button = QPushButton(_("Save consent"))
        self.save_consent_button.clicked.connect(self.save_consent)
        form = QFormLayout()
        form.addRow(_("Legal basis for keeping their data:"), self.basis)
        form.addRow(_("Consent date:"), date_row)
        form.addRow("", self.consent_error)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_consent_button)
        save_row.addStretch(1)
        form.addRow("", save_row)

        self.export_button = QPushButton(_("Export their data…"))
        self.export_button.setToolTip(_("Everything about them in one zip: data (JSON) and files"))
        self.export_button.clicked.connect(lambda: self.export_data(self.candidate_id))
        self.erase_button = QPushButton(_("Erase for good…"))
        self.erase_button.setStyleSheet("color: #b71c1c;")
        self.erase_button.clicked.connect(lambda: self.erase(self.candidate_id))
        rights = QHBoxLayout()
        rights.addWidget(self.export_button)
        rights.addWidget(self.erase_button)
        rights.addStretch(1)
        note = QLabel(
            _(
                "Erasing removes the candidate, their timeline, contacts, applications, "
                "reminders, tags and files, and their entry in the search index; candidates "
                "they referred stay. The audit keeps a line without any personal data. "
                "Files you exported earlier, and the copies Rapport made before upgrades "
                "(the backups folder), are not changed."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.who)
        layout.addLayout(form)
        layout.addSpacing(12)
        rights_title = QLabel(_("The candidate's rights"))
        bold = rights_title.font()
        bold.setBold(True)
        rights_title.setFont(bold)
        layout.addWidget(rights_title)
        layout.addLayout(rights)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def show_candidate(self, candidate_id: int | None) -> None:
        self.candidate_id = candidate_id
        widgets = (self.basis, self.has_date, self.save_consent_button)
        for widget in (*widgets, self.export_button, self.erase_button):
            widget.setEnabled(candidate_id is not None)
        self.consent_error.clear()
        if candidate_id is None:
            self.who.setText(_("No candidate selected: select one in the list first."))
            self.consent_date.setEnabled(False)
            return
        record = self._services.candidates.get(candidate_id)
        consent = self._services.privacy.consent(candidate_id)
        self.who.setText(record.display_name)
        self.basis.setCurrentIndex(max(self.basis.findData(consent.basis), 0))
        shown = consent.on or self._services.clock.today()
        self.consent_date.setDate(QDate(shown.year, shown.month, shown.day))
        self.has_date.setChecked(consent.on is not None)
        self.consent_date.setEnabled(consent.on is not None)

    def save_consent(self) -> bool:
        if self.candidate_id is None:
            return False
        chosen = self.consent_date.date()
        on = (
            date(chosen.year(), chosen.month(), chosen.day()) if self.has_date.isChecked() else None
        )
        try:
            self._services.privacy.set_consent(self.candidate_id, on, self.basis.currentData())
        except ValidationError as exc:
            self.consent_error.setText("; ".join(exc.errors.values()))
            return False
        self.consent_error.clear()
        return True

    def export_data(self, candidate_id: int | None) -> Path | None:
        if candidate_id is None:
            return None
        name = self._services.candidates.get(candidate_id).display_name
        path = self._prompter.save_path(
            _("Export the candidate's data"),
            f"{name or 'candidate'} - data.zip",
            _("Zip archives (*.zip)"),
        )
        if path is None:
            return None
        try:
            export_candidate_zip(candidate_id, self._services.clock, self._attachments_dir, path)
        except OSError as exc:
            self._prompter.error(_("Export failed"), str(exc))
            return None
        self._prompter.inform(
            _("Data exported"),
            _("Everything about {name} is in {path}.").format(name=name, path=path),
        )
        return path

    def erase(self, candidate_id: int | None) -> bool:
        if candidate_id is None:
            return False
        name = self._services.candidates.get(candidate_id).display_name
        if not self._prompter.confirm(
            _("Erase candidate"),
            _(
                "Erase {name} and everything about them for good? This cannot be undone; "
                "export their data first if they asked for a copy."
            ).format(name=name),
            _("Erase for good"),
        ):
            return False
        report = erase_candidate(self._services.privacy, candidate_id, self._attachments_dir)
        gone = [f"{count} {_COUNT_LABELS[key]}" for key, count in report.counts.items() if count]
        self._prompter.inform(
            _("Candidate erased"),
            _("{name} was erased, with {what}.").format(
                name=name, what=", ".join(gone) or _("nothing else attached")
            ),
        )
        if candidate_id == self.candidate_id:
            self.show_candidate(None)
        self.erased.emit(candidate_id)
        self.refresh_retention()
        self.refresh_audit()
        return True

    # --- retention review ------------------------------------------------------------------
    def _retention_tab(self) -> QWidget:
        page = QWidget()
        self.years = QSpinBox()
        self.years.setRange(1, 50)
        self.years.setValue(DEFAULT_YEARS)
        self.years.setSuffix(_(" years"))
        find = QPushButton(_("Find"))
        find.clicked.connect(self.refresh_retention)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Candidates with no activity (no contact, entry or edit) for")))
        row.addWidget(self.years)
        row.addWidget(find)
        row.addStretch(1)
        self.retention_model = QStandardItemModel(0, 4, self)
        self.retention_model.setHorizontalHeaderLabels(
            [_("Name"), _("Status"), _("Last activity"), _("In trash")]
        )
        self.retention = QTableView()
        self.retention.setModel(self.retention_model)
        self.retention.verticalHeader().setVisible(False)
        self.retention.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.retention.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.retention.horizontalHeader().setStretchLastSection(True)
        self.retention.doubleClicked.connect(
            lambda index: self.open_candidate.emit(self._retention_id(index.row()))
        )
        self.retention_count = QLabel()
        export = QPushButton(_("Export their data…"))
        export.clicked.connect(lambda: self.export_data(self.selected_retention_id()))
        erase = QPushButton(_("Erase for good…"))
        erase.clicked.connect(lambda: self.erase(self.selected_retention_id()))
        actions = QHBoxLayout()
        actions.addWidget(self.retention_count, 1)
        actions.addWidget(export)
        actions.addWidget(erase)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.retention, 1)
        layout.addLayout(actions)
        return page

    def refresh_retention(self) -> None:
        self.retention_model.removeRows(0, self.retention_model.rowCount())
        tz = self._services.clock.tz()
        rows = self._services.privacy.inactive(self.years.value())
        for row in rows:
            name = QStandardItem(row.name or "—")
            name.setData(row.candidate_id, ID_ROLE)
            self.retention_model.appendRow(
                [
                    name,
                    QStandardItem(STATUS_LABELS.get(row.status, row.status)),
                    QStandardItem(row.last_activity.astimezone(tz).date().isoformat()),
                    QStandardItem(_("yes") if row.in_trash else ""),
                ]
            )
        self.retention_count.setText(
            ngettext("{n} candidate", "{n} candidates", len(rows)).format(n=len(rows))
        )
        self.retention.resizeColumnsToContents()

    def _retention_id(self, row: int) -> int:
        return self.retention_model.item(row, 0).data(ID_ROLE)

    def selected_retention_id(self) -> int | None:
        rows = self.retention.selectionModel().selectedRows()
        return self._retention_id(rows[0].row()) if rows else None

    # --- audit -----------------------------------------------------------------------------
    def _audit_tab(self) -> QWidget:
        page = QWidget()
        self.audit_model = QStandardItemModel(0, 3, self)
        self.audit_model.setHorizontalHeaderLabels([_("When"), _("What"), _("Rows removed")])
        view = QTableView()
        view.setModel(self.audit_model)
        view.verticalHeader().setVisible(False)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        self.audit_view = view
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(_("Erasures done, as proof of action. By design they do not say whom."))
        )
        layout.addWidget(view)
        return page

    def refresh_audit(self) -> None:
        self.audit_model.removeRows(0, self.audit_model.rowCount())
        tz = self._services.clock.tz()
        for line in self._services.privacy.audit_lines():
            detail = ", ".join(
                f"{n} {_COUNT_LABELS.get(k, k)}"
                for k, n in line.detail.items()
                if n and k in _COUNT_LABELS
            )
            self.audit_model.appendRow(
                [
                    QStandardItem(line.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
                    QStandardItem(_("A candidate was erased")),
                    QStandardItem(detail or "—"),
                ]
            )
        self.audit_view.resizeColumnsToContents()
