"""Write to a candidate: pick a template, edit the result, send it through the mail app or copy
it for chat/SMS. Sending logs exactly one timeline entry (``ComposeService.log_sent``).

Opening the mail app goes through an injectable ``opener`` (``QDesktopServices.openUrl`` by
default) so tests can see the URL without launching anything. Entry points for other screens:
``open_compose`` (a candidate, a template name or purpose, an optional job) and
``compose_for_today_item`` (the Today panel's items).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.compose import Delivery, Draft, logged_kind, plan_delivery
from crm_desktop.core.services import Services
from crm_desktop.core.templates import (
    PLACEHOLDERS,
    PURPOSE_FOR_STAGE,
    PURPOSE_FOR_TODAY_KIND,
    language_name,
    message_locale,
    uses_job,
)
from crm_desktop.core.today import TodayItem
from crm_desktop.core.vocabulary import KIND_LABELS
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

UrlOpener = Callable[[QUrl], bool]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
NO_TEMPLATE = -1


def drafts_dir_for(services: Services) -> Path:
    """Where .eml drafts go: ``drafts/`` beside the database (private, pruned weekly)."""
    return Path(services.database.database).resolve().parent / "drafts"


class ComposeDialog(QDialog):
    """Emits ``sent(entry_id)`` once the message was handed over and logged."""

    sent = Signal(int)

    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        candidate_id: int,
        *,
        template: str | int | None = None,
        job_id: int | None = None,
        on: date | None = None,
        opener: UrlOpener | None = None,
        drafts_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._candidate_id = candidate_id
        self._on = on
        self._opener = opener or QDesktopServices.openUrl
        self._drafts_dir = drafts_dir or drafts_dir_for(services)
        self._draft: Draft | None = None
        self._filling = False
        self._edited = False
        self._job_auto = job_id is None  # nobody chose a job: compose may offer the latest
        self.entry_id: int | None = None
        self.delivery: Delivery | None = None

        record = services.candidates.get(candidate_id)
        self.setWindowTitle(_("Write to {name}").format(name=record.display_name))
        self.resize(720, 620)
        locale = message_locale(record.data.preferred_language)
        self.heading = QLabel(
            _("To {name} · dates and numbers in {language}").format(
                name=record.display_name, language=language_name(locale)
            )
        )
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: 600;")

        self.to = QComboBox()
        self.to.setEditable(True)
        self.to.addItems(list(services.compose.recipients(candidate_id)))
        self.to.lineEdit().setPlaceholderText(_("No e-mail address on file: type one"))
        self.to.setAccessibleName(_("To"))
        self.template = QComboBox()
        self.template.setAccessibleName(_("Template"))
        self.template.addItem(_("No template (blank message)"), NO_TEMPLATE)
        for item in services.templates.all():
            language = f" ({item.data.language.upper()})" if item.data.language else ""
            self.template.addItem(item.name + language, item.id)
        self.job = QComboBox()
        self.job.setAccessibleName(_("About job"))
        self.job.addItem(_("No job"), None)
        for choice_id, label in services.timeline.job_choices(candidate_id):
            self.job.addItem(label, choice_id)
        if job_id is not None and self.job.findData(job_id) < 0:
            self.job.addItem(_("Job {id}").format(id=job_id), job_id)
        self.job.setCurrentIndex(max(0, self.job.findData(job_id)))
        self.job.activated.connect(self._job_chosen)
        self.subject = QLineEdit()
        self.subject.setAccessibleName(_("Subject"))
        self.body = QPlainTextEdit()
        self.body.setAccessibleName(_("Message"))
        self.body.setTabChangesFocus(True)
        self.warning = QLabel()
        self.warning.setObjectName("composeWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "#composeWarning { background: #fff4d6; border: 1px solid #e6c56b;"
            " border-radius: 4px; padding: 4px 8px; color: #4a3b00; }"
        )
        self.warning.hide()
        self.log_note = QLabel()
        self.log_note.setTextFormat(Qt.TextFormat.PlainText)
        self.log_note.setWordWrap(True)
        self.log_note.setStyleSheet("color: palette(mid);")

        self.insight_button = QPushButton(_("Insert insight…"))
        self.insight_button.setToolTip(_("Insert a note from your insights library at the cursor"))
        self.insight_button.clicked.connect(self.insert_insight)
        self.details_button = QPushButton(_("Your details…"))
        self.details_button.setToolTip(_("Your name, e-mail and phone, used in signatures"))
        self.details_button.clicked.connect(self.edit_details)
        self.copy_button = QPushButton(_("Copy text"))
        self.copy_button.setToolTip(
            _("Copy the message to paste into a chat or SMS; logged as a message")
        )
        self.copy_button.clicked.connect(self.copy_text)
        self.send_button = QPushButton(_("Open in mail app"))
        self.send_button.setDefault(True)
        self.send_button.setToolTip(
            _("Opens your mail app with the message filled in (Ctrl+Enter); logged as sent")
        )
        self.send_button.clicked.connect(self.send_mail)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.send_mail)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("To"), self.to)
        choose = QHBoxLayout()
        choose.addWidget(self.template, 3)
        job_label = QLabel(_("About"))
        job_label.setBuddy(self.job)
        choose.addWidget(job_label)
        choose.addWidget(self.job, 2)
        form.addRow(_("Template"), choose)
        form.addRow(_("Subject"), self.subject)
        tools = QHBoxLayout()
        tools.addWidget(self.insight_button)
        tools.addWidget(self.details_button)
        tools.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_note, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.warning)
        layout.addLayout(tools)
        layout.addLayout(buttons)

        self.subject.textChanged.connect(self._text_changed)
        self.body.textChanged.connect(self._text_changed)
        self.template.activated.connect(self._template_chosen)

        self._preselect(template, record.data.preferred_language)
        self.apply_template()
        self.body.setFocus()

    # --- filling ------------------------------------------------------------------------------
    def _preselect(self, template: str | int | None, language: str) -> None:
        chosen = self._services.templates.choose(template, language) if template else None
        index = self.template.findData(chosen.id) if chosen is not None else 0
        self.template.setCurrentIndex(max(0, index))

    def apply_template(self) -> None:
        """Fill subject and text from the chosen template and job (replacing what is there)."""
        template_id = self.template.currentData()
        self._offer_job(template_id)
        draft = self._services.compose.draft(
            self._candidate_id,
            None if template_id == NO_TEMPLATE else template_id,
            job_id=self.job.currentData(),
            on=self._on,
        )
        self._draft = draft
        self._filling = True
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self._filling = False
        self._edited = False
        self._update_notes()

    def _offer_job(self, template_id: int) -> None:
        """A template about a job gets the candidate's latest job unless one was chosen; any
        other template gets none, so a birthday wish is not logged as news about a job."""
        if not self._job_auto:
            return
        needs_job = template_id != NO_TEMPLATE and uses_job(
            self._services.templates.get(template_id).data
        )
        self.job.setCurrentIndex(1 if needs_job and self.job.count() > 1 else 0)

    def _job_chosen(self) -> None:
        self._job_auto = False
        self._template_chosen()

    def _template_chosen(self) -> None:
        if self._edited and not self._prompter.confirm(
            _("Replace your text?"),
            _("Your edits to this message will be replaced by the template's text."),
            _("Replace"),
        ):
            return
        self.apply_template()

    def _text_changed(self) -> None:
        if not self._filling:
            self._edited = True
        self._update_notes()

    # --- reading ------------------------------------------------------------------------------
    def recipients(self) -> list[str]:
        text = self.to.currentText().strip()
        return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]

    def unresolved(self) -> list[str]:
        """Known placeholders still in the text (no value was found for them)."""
        found = _PLACEHOLDER.findall(self.subject.text() + "\n" + self.body.toPlainText())
        return list(dict.fromkeys(name for name in found if name in PLACEHOLDERS))

    def _template_kind(self) -> str:
        return self._draft.template_kind if self._draft else "email"

    def _update_notes(self) -> None:
        notes = []
        missing = self.unresolved()
        if missing:
            names = ", ".join("{" + m + "}" for m in missing)
            note = _("No value for {names}: replace it in the text").format(names=names)
            if any(m in ("job_title", "company", "stage", "interview_date") for m in missing):
                note += _(", or choose the job above")
            if any(m.startswith("recruiter_") for m in missing):
                note += _(", or set “Your details…”")
            notes.append(note + ".")
        if not self.recipients():
            notes.append(_("No e-mail address: your mail app will ask for one."))
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))
        kind = self._template_kind()
        if logged_kind(kind, "email") == logged_kind(kind, "message"):
            logged = KIND_LABELS[logged_kind(kind, "email")].lower()
            self.log_note.setText(_("Logged on the timeline as a {kind}.").format(kind=logged))
        else:
            self.log_note.setText(_("Logged on the timeline when sent."))
        self.log_note.setToolTip(
            _("Open in mail app logs an e-mail; Copy text logs a message (for chat or SMS).")
        )

    # --- sending ------------------------------------------------------------------------------
    def _confirm_unresolved(self) -> bool:
        missing = self.unresolved()
        if not missing:
            return True
        names = ", ".join("{" + m + "}" for m in missing)
        return self._prompter.confirm(
            _("Send with placeholders?"),
            _("The message still contains {names}. Send it anyway?").format(names=names),
            _("Send anyway"),
        )

    def send_mail(self) -> bool:
        """Hand the message to the mail app (link, or .eml draft when long), then log it."""
        if not self._confirm_unresolved():
            return False
        subject, body = self.subject.text(), self.body.toPlainText()
        recruiter = self._services.recruiter.get()
        try:
            delivery = plan_delivery(
                self.recipients(),
                subject,
                body,
                self._drafts_dir,
                now=self._services.clock.now(),
                sender=recruiter.email,
            )
        except OSError as exc:
            self._prompter.error(_("Could not write the draft"), str(exc))
            return False
        if not self._opener(QUrl.fromEncoded(delivery.url.encode("ascii"))):
            self._prompter.error(
                _("No mail app opened"),
                _(
                    "Rapport could not open your mail app. Nothing was logged. Use “Copy text” "
                    "and paste the message into your mail instead."
                ),
            )
            return False
        self.delivery = delivery
        return self._log("email")

    def copy_text(self) -> bool:
        """Copy the text for a chat or SMS, then log it as a message."""
        if not self._confirm_unresolved():
            return False
        QGuiApplication.clipboard().setText(self.body.toPlainText())
        return self._log("message")

    def _log(self, channel: str) -> bool:
        draft = self._draft
        self.entry_id = self._services.compose.log_sent(
            self._candidate_id,
            self.subject.text(),
            self.body.toPlainText(),
            channel=channel,
            template_name=draft.template_name if draft else None,
            template_kind=self._template_kind(),
            job_id=self.job.currentData(),
        )
        self.sent.emit(self.entry_id)
        self.accept()
        return True

    # --- helpers ------------------------------------------------------------------------------
    def insert_insight(self) -> None:
        from crm_desktop.ui.insights_dialog import InsightsDialog

        picker = InsightsDialog(self._services.insights, self._prompter, pick=True, parent=self)
        if picker.exec() and picker.picked is not None:
            self.body.insertPlainText(picker.picked.message_text)
            self.body.setFocus()

    def edit_details(self) -> None:
        from crm_desktop.ui.template_editor import RecruiterDetailsDialog

        if RecruiterDetailsDialog(self._services.recruiter, self).exec():
            if self._edited:
                self._update_notes()
            else:
                self.apply_template()


def open_compose(
    services: Services,
    prompter: Prompter,
    candidate_id: int,
    template: str | int | None = None,
    *,
    job_id: int | None = None,
    on: date | None = None,
    parent: QWidget | None = None,
) -> int | None:
    """Show the compose dialog; the logged timeline entry's id, or None when cancelled."""
    dialog = ComposeDialog(
        services, prompter, candidate_id, template=template, job_id=job_id, on=on, parent=parent
    )
    dialog.exec()
    return dialog.entry_id


def compose_for_today_item(
    services: Services, prompter: Prompter, item: TodayItem, parent: QWidget | None = None
) -> int | None:
    """Compose for a Today item (``core.today.TodayItem``): its candidate, the template for its
    kind (birthday, joining day, anniversary, check-in) and its date (for the year count); for
    a pipeline item (update owed, interview) the template of the stage, about that job."""
    if item.candidate_id is None:
        return None
    if item.kind in ("owed_update", "interview") and item.ref_id is not None:
        return compose_for_application(services, prompter, item.ref_id, parent)
    purpose = PURPOSE_FOR_TODAY_KIND.get(item.kind)
    return open_compose(services, prompter, item.candidate_id, purpose, on=item.on, parent=parent)


def compose_for_application(
    services: Services, prompter: Prompter, application_id: int, parent: QWidget | None = None
) -> int | None:
    """Tell a candidate about their stage on a job (after a stage change, or when an update is
    owed): the template for the stage, about that job. Logging it marks them informed."""
    application = services.pipeline.get(application_id)
    return open_compose(
        services,
        prompter,
        application.candidate_id,
        PURPOSE_FOR_STAGE.get(application.stage),
        job_id=application.job_id,
        parent=parent,
    )
