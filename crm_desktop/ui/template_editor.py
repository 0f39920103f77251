"""The template editor: list, edit and preview message templates; set your own details.

The preview renders the template exactly as compose will, either for a made-up candidate in the
template's language or for a real one, and lists placeholders that would stay empty. Unknown
placeholders are pointed out while typing; saving refuses them (``TemplateService.validate``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.compose import sample_values
from crm_desktop.core.recruiter_profile import RecruiterProfile, RecruiterProfileService
from crm_desktop.core.services import Services
from crm_desktop.core.templates import (
    PLACEHOLDERS,
    PURPOSES,
    TEMPLATE_KINDS,
    TemplateInput,
    language_name,
    placeholder_problem,
    render,
    uses_job,
)
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Languages offered for templates (any other code a template already has is added to the list).
TEMPLATE_LANGUAGES = ("", "en", "de", "fr", "es", "it", "nl", "pl", "pt", "sv", "da", "tr", "hi")
KIND_CHOICES = {
    "email": _("E-mail, or message when copied"),
    "celebration": _("Celebration"),
    "advice": _("Advice"),
}
SAMPLE = "sample"


def error_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828;")
    label.hide()
    return label


class RecruiterDetailsDialog(QDialog):
    """Your name, e-mail and phone, for {recruiter_name} and friends in every message."""

    def __init__(self, service: RecruiterProfileService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle(_("Your details"))
        profile = service.get()
        self.name = QLineEdit(profile.name)
        self.name.setPlaceholderText(_("How you sign your messages"))
        self.email = QLineEdit(profile.email)
        self.phone = QLineEdit(profile.phone)
        self.error = error_label()
        intro = QLabel(
            _("Templates use these as {recruiter_name}, {recruiter_email} and {recruiter_phone}.")
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("E-mail"), self.email)
        form.addRow(_("Phone"), self.phone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            self._service.save(
                RecruiterProfile(self.name.text(), self.email.text(), self.phone.text())
            )
        except ValidationError as exc:
            self.error.setText(" ".join(exc.errors.values()))
            self.error.show()
            return False
        self.accept()
        return True


class TemplateEditor(QDialog):
    """Create, edit, preview and delete templates. ``candidate_id`` adds a real preview."""

    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        *,
        candidate_id: int | None = None,
        select: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._templates = services.templates
        self._prompter = prompter
        self._current: int | None = None
        self._dirty = False
        self._loading = False
        self._switching = False
        self.setWindowTitle(_("Message templates"))
        self.resize(1060, 700)

        self._build_list()
        self._build_form()
        self._build_bottom(candidate_id)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.list, 1)
        row = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        left_box.addLayout(row)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addLayout(self._form)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self._placeholder_box)
        lower.addWidget(self._preview_box)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        lower.setChildrenCollapsible(False)
        vertical = QSplitter(Qt.Orientation.Vertical)
        editor = QWidget()
        editor_box = QVBoxLayout(editor)
        editor_box.setContentsMargins(0, 0, 0, 0)
        editor_box.addWidget(self.body, 1)
        editor_box.addWidget(self.errors["body"])
        vertical.addWidget(editor)
        vertical.addWidget(lower)
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        vertical.setChildrenCollapsible(False)
        right_box.addWidget(vertical, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([250, 800])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._bottom)

        self.reload(select)

    # --- construction -------------------------------------------------------------------------
    def _build_list(self) -> None:
        self.model = QStandardItemModel(self)
        self.list = QTreeView()
        self.list.setModel(self.model)
        self.list.setRootIsDecorated(False)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName(_("Templates"))
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.new_button = QPushButton(_("New"))
        self.new_button.clicked.connect(self.new_template)
        self.duplicate_button = QPushButton(_("Duplicate"))
        self.duplicate_button.setToolTip(_("A copy to adapt, e.g. for another language"))
        self.duplicate_button.clicked.connect(self.duplicate_current)
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.clicked.connect(self.delete_current)

    def _build_form(self) -> None:
        self.name = QLineEdit()
        self.purpose = QComboBox()
        for code, label in PURPOSES.items():
            self.purpose.addItem(label, code)
        self.purpose.setToolTip(
            _("Compose picks the template by purpose from Today and from stage changes")
        )
        self.language = QComboBox()
        for code in TEMPLATE_LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.language.setToolTip(
            _("Candidates whose preferred language this is get this template first")
        )
        self.kind = QComboBox()
        for code in TEMPLATE_KINDS:
            self.kind.addItem(KIND_CHOICES[code], code)
        self.kind.setToolTip(_("How a message sent with this template is logged on the timeline"))
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(_("Subject line, e.g. Happy birthday, {first_name}!"))
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(_("Hi {first_name},\n\n…"))
        self.body.setTabChangesFocus(True)
        self.body.setAccessibleName(_("Message text"))
        self.errors = {
            key: error_label() for key in ("name", "purpose", "language", "kind", "subject", "body")
        }
        for widget in (self.name, self.subject):
            widget.textChanged.connect(self._changed)
        self.body.textChanged.connect(self._changed)
        for combo in (self.purpose, self.language, self.kind):
            combo.currentIndexChanged.connect(self._changed)

        def holder(widget: QWidget, key: str) -> QWidget:
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(self.errors[key])
            return box

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Purpose")))
        top.addWidget(self.purpose, 1)
        top.addWidget(QLabel(_("Language")))
        top.addWidget(self.language, 1)
        top.addWidget(QLabel(_("Log as")))
        top.addWidget(self.kind, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("Name"), holder(self.name, "name"))
        form.addRow("", top)
        form.addRow(_("Subject"), holder(self.subject, "subject"))
        self._form = form

        self.placeholders = QTreeWidget()
        self.placeholders.setHeaderLabels([_("Placeholder"), _("Stands for")])
        self.placeholders.setRootIsDecorated(False)
        self.placeholders.setAccessibleName(_("Placeholders"))
        for name, meaning in PLACEHOLDERS.items():
            item = QTreeWidgetItem(self.placeholders, ["{" + name + "}", meaning])
            item.setToolTip(1, meaning)
        self.placeholders.resizeColumnToContents(0)
        self.placeholders.itemDoubleClicked.connect(lambda item, _c: self._insert(item.text(0)))
        insert = QPushButton(_("Insert"))
        insert.setToolTip(_("Insert the placeholder at the cursor (or double-click it)"))
        insert.clicked.connect(self._insert_current_placeholder)
        self._placeholder_box = QWidget()
        box = QVBoxLayout(self._placeholder_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.placeholders, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(insert)
        box.addLayout(row)
        self._target: QLineEdit | QPlainTextEdit = self.body
        self._focus_filter = _FocusTracker(self)
        self.subject.installEventFilter(self._focus_filter)
        self.body.installEventFilter(self._focus_filter)

    def _build_bottom(self, candidate_id: int | None) -> None:
        self.preview_for = QComboBox()
        self.preview_for.addItem(_("A sample candidate"), SAMPLE)
        if candidate_id is not None:
            record = self._services.candidates.get(candidate_id)
            self.preview_for.addItem(record.display_name, candidate_id)
            self.preview_for.setCurrentIndex(1)
        self.preview_for.currentIndexChanged.connect(self.update_preview)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(_("Preview"))
        self.preview_note = QLabel()
        self.preview_note.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_note.setWordWrap(True)
        self.preview_note.setStyleSheet("color: #8a5a00;")
        self._preview_box = QWidget()
        box = QVBoxLayout(self._preview_box)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Preview for")))
        row.addWidget(self.preview_for, 1)
        box.addLayout(row)
        box.addWidget(self.preview, 1)
        box.addWidget(self.preview_note)

        self.details_button = QPushButton(_("Your details…"))
        self.details_button.setToolTip(_("Your name, e-mail and phone for signatures"))
        self.details_button.clicked.connect(self.edit_details)
        self.reset_button = QPushButton(_("Reset to shipped text"))
        self.reset_button.clicked.connect(self.reset_current)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(_("Save the template (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.details_button)
        bottom.addWidget(self.reset_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close)
        self._bottom = bottom

    # --- list ---------------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else self._current
        self._switching = True
        try:
            self.model.clear()
            self.model.setHorizontalHeaderLabels([_("Template"), _("Language")])
            for record in self._templates.all():
                name = QStandardItem(record.name)
                name.setData(record.id, ID_ROLE)
                name.setToolTip(PURPOSES.get(record.data.purpose, record.data.purpose))
                language = QStandardItem(record.data.language.upper() or _("Any"))
                self.model.appendRow([name, language])
            self.list.resizeColumnToContents(1)
            self.list.header().setStretchLastSection(False)
            self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        finally:
            self._switching = False
        row = self._row_of(keep) if keep is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show(None)

    def _row_of(self, template_id: int) -> int | None:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(ID_ROLE) == template_id:
                return row
        return None

    def _current_changed(self, current, _previous) -> None:
        if self._switching:
            return
        template_id = self.model.item(current.row(), 0).data(ID_ROLE) if current.isValid() else None
        if template_id == self._current:
            return
        if not self._may_leave():
            self._select_silently(self._current)
            return
        self._show(template_id)

    def _select_silently(self, template_id: int | None) -> None:
        self._switching = True
        row = self._row_of(template_id) if template_id is not None else None
        self.list.setCurrentIndex(self.model.index(row if row is not None else -1, 0))
        self._switching = False

    def _show(self, template_id: int | None, data: TemplateInput | None = None) -> None:
        self._current = template_id
        record = self._templates.get(template_id) if template_id is not None else None
        if data is None:
            data = record.data if record else TemplateInput(name="", kind="email")
        self._loading = True
        self.name.setText(data.name)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(data.purpose)))
        if self.language.findData(data.language) < 0:
            self.language.addItem(language_name(data.language), data.language)
        self.language.setCurrentIndex(self.language.findData(data.language))
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.subject.setText(data.subject)
        self.body.setPlainText(data.body)
        self._loading = False
        for label in self.errors.values():
            label.hide()
        self._set_dirty(template_id is None and bool(data.name))
        self.delete_button.setEnabled(record is not None)
        self.duplicate_button.setEnabled(record is not None)
        self.reset_button.setVisible(bool(record and record.builtin_key))
        self.reset_button.setEnabled(
            bool(record and record.builtin_key)
            and self._templates.shipped_version(record.id) != record.data
        )
        self.update_preview()

    # --- editing ------------------------------------------------------------------------------
    def current_input(self) -> TemplateInput:
        return TemplateInput(
            name=self.name.text(),
            subject=self.subject.text(),
            body=self.body.toPlainText(),
            purpose=self.purpose.currentData(),
            language=self.language.currentData(),
            kind=self.kind.currentData(),
        )

    def _changed(self, *_args) -> None:
        if self._loading:
            return
        self._set_dirty(True)
        self.update_preview()

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        title = self.name.text() or _("New template")
        self.setWindowTitle(_("Message templates") + f" — {title}" + (" *" if dirty else ""))

    def update_preview(self) -> None:
        data = self.current_input()
        choice = self.preview_for.currentData()
        if choice == SAMPLE:
            values = sample_values(
                data.language or "en", self._services.recruiter.get(), self._services.clock
            )
            subject = render(data.subject, values)
            body = render(data.body, values)
            missing = tuple(dict.fromkeys(subject.missing + body.missing))
            subject_text, body_text = subject.text, body.text
        else:
            # Preview with the candidate's most recent job, as compose offers it.
            jobs = self._services.timeline.job_choices(int(choice))
            job_id = jobs[0][0] if jobs and uses_job(data) else None
            draft = self._services.compose.render(data, int(choice), job_id=job_id)
            subject_text, body_text, missing = draft.subject, draft.body, draft.missing
        self.preview.setPlainText(
            _("Subject: {subject}").format(subject=subject_text) + "\n\n" + body_text
        )
        notes = []
        for text in (data.subject, data.body):
            problem = placeholder_problem(text)
            if problem:
                notes.append(problem)
        known_missing = [m for m in missing if m in PLACEHOLDERS]
        if known_missing:
            names = ", ".join("{" + m + "}" for m in known_missing)
            hint = _("No value here for {names}.").format(names=names)
            if any(m.startswith("recruiter_") for m in known_missing):
                hint += " " + _("Set your details with “Your details…”.")
            notes.append(hint)
        self.preview_note.setText("\n".join(notes))
        self.preview_note.setVisible(bool(notes))

    def _insert(self, placeholder: str) -> None:
        target = self._target
        if isinstance(target, QLineEdit):
            target.insert(placeholder)
        else:
            target.insertPlainText(placeholder)
        target.setFocus()

    def _insert_current_placeholder(self) -> None:
        item = self.placeholders.currentItem()
        if item is not None:
            self._insert(item.text(0))

    # --- actions ------------------------------------------------------------------------------
    def save(self) -> bool:
        if not self._dirty:
            return True
        data = self.current_input()
        for label in self.errors.values():
            label.hide()
        try:
            if self._current is None:
                self._current = self._templates.create(data)
            else:
                self._templates.update(self._current, data)
        except ValidationError as exc:
            first = None
            for key, message in exc.errors.items():
                label = self.errors.get(key, self.errors["body"])
                label.setText(message)
                label.show()
                first = first or {"name": self.name, "subject": self.subject}.get(key, self.body)
            if first is not None:
                first.setFocus()
            return False
        self._set_dirty(False)
        self.reload(self._current)
        self._show(self._current)  # as saved (the service tidies spaces)
        return True

    def new_template(self) -> None:
        if not self._may_leave():
            return
        self._select_silently(None)
        self._show(None)
        self.name.setFocus()

    def duplicate_current(self) -> None:
        if self._current is None or not self._may_leave():
            return
        source = self._templates.get(self._current).data
        names = {r.name.casefold() for r in self._templates.all()}
        name, number = _("{name} (copy)").format(name=source.name), 2
        while name.casefold() in names:
            name = _("{name} (copy {n})").format(name=source.name, n=number)
            number += 1
        self._select_silently(None)
        self._show(None, TemplateInput(**{**source.__dict__, "name": name}))
        self.name.setFocus()
        self.name.selectAll()

    def delete_current(self) -> None:
        if self._current is None:
            return
        name = self._templates.get(self._current).name
        if not self._prompter.confirm(
            _("Delete template"),
            _("Delete the template “{name}”? Messages already sent keep their text.").format(
                name=name
            ),
            _("Delete"),
        ):
            return
        self._templates.delete(self._current)
        self._current = None
        self._set_dirty(False)
        self.reload()

    def reset_current(self) -> None:
        if self._current is None:
            return
        if not self._prompter.confirm(
            _("Reset template"),
            _("Replace your wording with the text Rapport shipped with?"),
            _("Reset"),
        ):
            return
        self._templates.reset_to_default(self._current)
        self._set_dirty(False)
        self._show(self._current)

    def edit_details(self) -> None:
        if RecruiterDetailsDialog(self._services.recruiter, self).exec():
            self.update_preview()

    def reject(self) -> None:
        if self._may_leave():
            super().reject()

    def _may_leave(self) -> bool:
        """Unsaved edits: offer to save them; False keeps the user on this template."""
        if not self._dirty:
            return True
        if self._prompter.confirm(
            _("Unsaved template"),
            _("Save your changes to “{name}” first?").format(
                name=self.name.text() or _("the new template")
            ),
            _("Save"),
        ):
            return self.save()
        self._set_dirty(False)
        return True


class _FocusTracker(QObject):
    """Remembers whether the subject or the text had the focus last (placeholders go there)."""

    def __init__(self, editor: TemplateEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit | QPlainTextEdit):
            self._editor._target = watched
        return False
