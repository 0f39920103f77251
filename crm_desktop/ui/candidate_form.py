"""The Profile tab: view and edit one candidate, with inline validation messages.

Fields come in sections (who, contact, dates, notes, career and advice) so the long form stays
readable; the career section holds what the recruiter consults on (motivations, notice period,
expected salary, target roles, certifications held and recommended, achievements).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.candidates import CAREER_FIELDS, CandidateInput, CandidateService
from crm_desktop.core.templates import language_name
from crm_desktop.core.validation import ValidationError, parse_date, parse_partial_date
from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.i18n import _

_LIST_SPLIT = re.compile(r"[;,\n]+")
# Offered for "preferred language" (messages to the candidate are formatted in it); a code
# already stored on a candidate is added to the list when it is not here.
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "pt_BR", "sv", "da", "tr", "hi", "mr")
SECTION_STYLE = "font-weight: 600; padding-top: 10px;"


class CandidateForm(QWidget):
    """Emits ``saved(candidate_id)`` after a successful create or update."""

    saved = Signal(int)
    cancelled = Signal()

    def __init__(self, service: CandidateService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._candidate_id: int | None = None
        self._loading = False
        # Asked before creating: may the new candidate be created (look-alikes exist)?
        self.check_duplicates: Callable[[CandidateInput], bool] | None = None

        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.headline = QLineEdit()
        self.company_name = QLineEdit()
        self.location = QLineEdit()
        self.status = QComboBox()
        for code, label in STATUS_LABELS.items():
            self.status.addItem(label, code)
        self.emails = QLineEdit()
        self.emails.setPlaceholderText(_("name@example.com; another@example.org"))
        self.phones = QLineEdit()
        self.phones.setPlaceholderText(_("+44 20 7946 0958; 0151 496 0000"))
        self.birthday = QLineEdit()
        self.birthday.setPlaceholderText(_("YYYY-MM-DD, or MM-DD without the year"))
        self.joined_on = QLineEdit()
        self.joined_on.setPlaceholderText(_("YYYY-MM-DD: first day in the placed role"))
        self.skills = QLineEdit()
        self.source = QLineEdit()
        self.preferred_language = QComboBox()
        for code in LANGUAGES:
            self.preferred_language.addItem(f"{language_name(code)} ({code})", code)
        self.preferred_language.setToolTip(
            _("Messages to this candidate use this language's dates and numbers")
        )
        self.notes = QPlainTextEdit()
        self.concerns = QPlainTextEdit()
        self.career_goals = QPlainTextEdit()
        self.motivations = QPlainTextEdit()
        self.motivations.setPlaceholderText(_("What would make them move? What keeps them?"))
        self.notice_period = QLineEdit()
        self.notice_period.setPlaceholderText(_("e.g. 3 months, immediately"))
        self.expected_salary = QLineEdit()
        self.expected_salary.setPlaceholderText(_("e.g. €70–80k + bonus"))
        self.target_roles = QPlainTextEdit()
        self.target_roles.setPlaceholderText(_("Roles they aim for next"))
        self.certifications_held = QPlainTextEdit()
        self.certifications_recommended = QPlainTextEdit()
        self.certifications_recommended.setPlaceholderText(
            _("Certifications you advised them to take")
        )
        self.achievements = QPlainTextEdit()
        self.achievements.setPlaceholderText(_("Results worth mentioning to a client"))
        for box in (
            self.notes,
            self.concerns,
            self.career_goals,
            self.motivations,
            self.target_roles,
            self.certifications_held,
            self.certifications_recommended,
            self.achievements,
        ):
            box.setTabChangesFocus(True)
            box.setFixedHeight(64)

        self._errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        rows = (
            ("first_name", _("First name"), self.first_name),
            ("last_name", _("Last name"), self.last_name),
            ("headline", _("Title"), self.headline),
            ("company_name", _("Company"), self.company_name),
            ("location", _("Location"), self.location),
            ("status", _("Status"), self.status),
            ("", _("Contact"), None),
            ("emails", _("E-mails"), self.emails),
            ("phones", _("Phones"), self.phones),
            ("preferred_language", _("Language"), self.preferred_language),
            ("", _("Dates"), None),
            ("birthday", _("Birthday"), self.birthday),
            ("joined_on", _("Joining date"), self.joined_on),
            ("", _("Background"), None),
            ("skills", _("Skills"), self.skills),
            ("source", _("Source"), self.source),
            ("notes", _("Notes"), self.notes),
            ("", _("Career and advice"), None),
            ("concerns", _("Concerns"), self.concerns),
            ("career_goals", _("Career goals"), self.career_goals),
            ("motivations", _("Motivations"), self.motivations),
            ("target_roles", _("Target roles"), self.target_roles),
            ("notice_period", _("Notice period"), self.notice_period),
            ("expected_salary", _("Expected salary"), self.expected_salary),
            ("certifications_held", _("Certifications held"), self.certifications_held),
            (
                "certifications_recommended",
                _("Certifications advised"),
                self.certifications_recommended,
            ),
            ("achievements", _("Achievements"), self.achievements),
        )
        for key, label, widget in rows:
            if widget is None:  # a section heading
                heading = QLabel(label)
                heading.setStyleSheet(SECTION_STYLE)
                heading.setAccessibleName(label)
                form.addRow(heading)
                continue
            widget.setObjectName(key)
            widget.setAccessibleName(label)
            error = QLabel()
            error.setObjectName(f"{key}_error")
            error.setTextFormat(Qt.TextFormat.PlainText)
            error.setWordWrap(True)
            error.setStyleSheet("color: #c62828;")
            error.hide()
            self._errors[key] = error
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(label, holder)
            signal = widget.textChanged if hasattr(widget, "textChanged") else None
            if signal is None:
                widget.currentIndexChanged.connect(self._mark_dirty)
            else:
                signal.connect(self._mark_dirty)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.cancel)
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #c62828; font-weight: 600;")
        self.banner.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.buttons)
        self._set_dirty(False)

    # --- public -------------------------------------------------------------------------------
    @property
    def candidate_id(self) -> int | None:
        return self._candidate_id

    def is_dirty(self) -> bool:
        return self._dirty

    def load(self, candidate_id: int | None) -> None:
        """Show a saved candidate, or an empty form for a new one (``None``)."""
        self._candidate_id = candidate_id
        data = (
            CandidateInput(first_name="")
            if candidate_id is None
            else (self._service.get(candidate_id).data)
        )
        self._loading = True
        try:
            for key in ("first_name", "last_name", "headline", "company_name", "location"):
                getattr(self, key).setText(getattr(data, key))
            self.skills.setText(data.skills)
            self.source.setText(data.source)
            self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
            self.emails.setText("; ".join(data.emails))
            self.phones.setText("; ".join(data.phones))
            self.birthday.setText(data.birthday.isoformat().lstrip("-") if data.birthday else "")
            self.joined_on.setText(data.joined_on.isoformat() if data.joined_on else "")
            self.notes.setPlainText(data.notes)
            self.concerns.setPlainText(data.concerns)
            self.career_goals.setPlainText(data.career_goals)
            for name in CAREER_FIELDS:
                widget = getattr(self, name)
                value = getattr(data, name)
                if isinstance(widget, QLineEdit):
                    widget.setText(value)
                else:
                    widget.setPlainText(value)
            language = data.preferred_language or "en"
            if self.preferred_language.findData(language) < 0:
                self.preferred_language.addItem(f"{language_name(language)} ({language})", language)
            self.preferred_language.setCurrentIndex(self.preferred_language.findData(language))
        finally:
            self._loading = False
        self._clear_errors()
        self._set_dirty(candidate_id is None)
        self.save_button.setText(_("Create") if candidate_id is None else _("Save"))

    def save(self) -> bool:
        """Validate and write; on errors show them beside their fields and save nothing."""
        self._clear_errors()
        try:
            data = self._read()
            creating = self._candidate_id is None
            if creating and self.check_duplicates is not None and not self.check_duplicates(data):
                return False
            # Clean before writing: the write announces the change, and listeners (the list
            # selecting the new candidate) must not see a form with unsaved edits.
            self._set_dirty(False)
            if self._candidate_id is None:
                self._candidate_id = self._service.create(data)
            else:
                self._service.update(self._candidate_id, data)
        except ValidationError as exc:
            self._set_dirty(True)
            self._show_errors(exc.errors)
            return False
        self.save_button.setText(_("Save"))
        self.saved.emit(self._candidate_id)
        return True

    def cancel(self) -> None:
        if self._candidate_id is None:
            self.cancelled.emit()
            return
        self.load(self._candidate_id)

    # --- internals ----------------------------------------------------------------------------
    def _read(self) -> CandidateInput:
        errors: dict[str, str] = {}
        birthday = joined = None
        today = self._service.clock.today()
        try:
            birthday = parse_partial_date(self.birthday.text(), "birthday", today)
        except ValidationError as exc:
            errors.update(exc.errors)
        try:
            joined = parse_date(self.joined_on.text(), "joined_on")
        except ValidationError as exc:
            errors.update(exc.errors)
        data = CandidateInput(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            headline=self.headline.text(),
            company_name=self.company_name.text(),
            location=self.location.text(),
            skills=self.skills.text(),
            source=self.source.text(),
            status=self.status.currentData(),
            birthday=birthday,
            joined_on=joined,
            notes=self.notes.toPlainText(),
            concerns=self.concerns.toPlainText(),
            career_goals=self.career_goals.toPlainText(),
            preferred_language=self.preferred_language.currentData(),
            **{
                name: (widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText())
                for name in CAREER_FIELDS
                for widget in (getattr(self, name),)
            },
            emails=tuple(_LIST_SPLIT.split(self.emails.text())),
            phones=tuple(_LIST_SPLIT.split(self.phones.text())),
        )
        try:
            data = self._service.validate(data)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        if errors:
            raise ValidationError(errors)
        return data

    def _show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for key, message in errors.items():
            label = self._errors.get(key)
            if label is None:
                continue
            label.setText(message)
            label.show()
            first = first or getattr(self, key)
        count = len(errors)
        self.banner.setText(
            _("Not saved: {n} field needs attention.").format(n=count)
            if count == 1
            else _("Not saved: {n} fields need attention.").format(n=count)
        )
        self.banner.show()
        if first is not None:
            first.setFocus()

    def _clear_errors(self) -> None:
        for label in self._errors.values():
            label.hide()
            label.clear()
        self.banner.hide()

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.cancel_button.setEnabled(dirty)
