"""Add or edit one timeline entry in full: kind, direction, when (back-dating allowed),
duration, job, summary, text, and a promise made to the candidate.

The dialog writes through ``TimelineService`` itself so that a validation problem is shown beside
its field while the dialog stays open with everything the recruiter typed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.formatting import short_date
from crm_desktop.core.insights import InsightService
from crm_desktop.core.timeline import (
    MAX_DURATION_MINUTES,
    TIMED_KINDS,
    PromiseInput,
    TimelineEntry,
    TimelineService,
)
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import DEFAULT_DIRECTION, INTERACTION_KINDS, KIND_LABELS
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

DIRECTION_LABELS = {
    "out": _("I reached out to them"),
    "in": _("They reached out to me"),
    "both": _("Two-way (a conversation)"),
    "none": _("No contact (a private note)"),
}
DATETIME_FORMAT = "ddd d MMM yyyy  HH:mm"
PROMISE_HOUR = 10  # a promise "for tomorrow" is due at 10:00 local time


def to_qdatetime(when: datetime, tz: tzinfo) -> QDateTime:
    """The local wall-clock time of ``when`` in ``tz``, as a UTC-zoned QDateTime.

    Editors are kept in UTC so Qt applies no zone of its own (the system zone may differ from
    the app clock's, and its DST gaps would shift the typed time); ``from_qdatetime`` undoes it.
    """
    local = when.astimezone(tz)
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second),
        QTimeZone.utc(),
    )


def from_qdatetime(value: QDateTime, tz: tzinfo) -> datetime:
    """The aware instant for the wall-clock time shown in an editor set up by ``to_qdatetime``."""
    day, clock_time = value.date(), value.time()
    return datetime(
        day.year(), day.month(), day.day(), clock_time.hour(), clock_time.minute(), tzinfo=tz
    )


def datetime_edit(tz_label: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setToolTip(_("Local time ({zone})").format(zone=tz_label))
    return edit


class EntryDialog(QDialog):
    """``entry`` None: a new entry for ``candidate_id`` (``kind``/``summary`` prefill it)."""

    def __init__(
        self,
        service: TimelineService,
        clock: Clock,
        candidate_id: int,
        *,
        entry: TimelineEntry | None = None,
        kind: str = "note",
        summary: str = "",
        insights: InsightService | None = None,
        prompter: Prompter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self._tz = clock.tz()
        self._candidate_id = candidate_id
        self._entry = entry
        self._insights = insights
        self._prompter = prompter
        self._direction_touched = entry is not None
        self.entry_id: int | None = entry.id if entry else None
        self.setWindowTitle(_("Edit entry") if entry else _("Log an entry"))
        self.setMinimumWidth(560)

        zone = str(getattr(self._tz, "key", self._tz))
        self.kind = QComboBox()
        for code in INTERACTION_KINDS:
            self.kind.addItem(KIND_LABELS[code], code)
        self.direction = QComboBox()
        for code, label in DIRECTION_LABELS.items():
            self.direction.addItem(label, code)
        self.when = datetime_edit(zone)
        now_button = QPushButton(_("Now"))
        now_button.setToolTip(_("Set to the current time"))
        now_button.clicked.connect(lambda: self.when.setDateTime(self._now_q()))
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(_(" min"))
        self.duration.setSpecialValueText(_("not noted"))
        self.job = QComboBox()
        self.job.addItem(_("No job"), None)
        for job_id, label in service.job_choices(candidate_id):
            self.job.addItem(label, job_id)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText(_("In a line: what happened"))
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(_("Details, what they said, what they worry about…"))
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(120)
        self.insert_insight = QPushButton(_("Insert insight…"))
        self.insert_insight.setToolTip(_("Insert a note from your insights library"))
        self.insert_insight.setVisible(insights is not None)
        self.insert_insight.clicked.connect(self._pick_insight)

        self.promise_box = QCheckBox(_("I promised them something"))
        self.promise_text = QLineEdit()
        self.promise_text.setPlaceholderText(_("e.g. Call on Friday with the client's feedback"))
        self.promise_due = datetime_edit(zone)
        self.promise_note = QLabel()
        self.promise_note.setTextFormat(Qt.TextFormat.PlainText)
        self.promise_note.setWordWrap(True)
        self.promise_note.setStyleSheet("color: palette(mid);")
        self.promise_box.toggled.connect(self._update_promise_fields)

        self._errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        when_row = QHBoxLayout()
        when_row.addWidget(self.when, 1)
        when_row.addWidget(now_button)
        body_row = QVBoxLayout()
        body_row.addWidget(self.body, 1)
        insight_row = QHBoxLayout()
        insight_row.addStretch(1)
        insight_row.addWidget(self.insert_insight)
        body_row.addLayout(insight_row)
        promise_row = QVBoxLayout()
        promise_row.addWidget(self.promise_box)
        promise_row.addWidget(self.promise_text)
        due_row = QHBoxLayout()
        due_row.addWidget(QLabel(_("Due")))
        due_row.addWidget(self.promise_due, 1)
        promise_row.addLayout(due_row)
        promise_row.addWidget(self.promise_note)
        rows = (
            ("kind", _("Kind"), self.kind),
            ("direction", _("Direction"), self.direction),
            ("occurred_at", _("When"), when_row),
            ("duration_minutes", _("Duration"), self.duration),
            ("job", _("About job"), self.job),
            ("summary", _("Summary"), self.summary),
            ("body", _("Details"), body_row),
            ("promise", _("Promise"), promise_row),
        )
        for key, label, field in rows:
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            if isinstance(field, QWidget):
                field.setAccessibleName(label)
                box.addWidget(field)
            else:
                box.addLayout(field)
            error = QLabel()
            error.setTextFormat(Qt.TextFormat.PlainText)
            error.setWordWrap(True)
            error.setStyleSheet("color: #c62828;")
            error.hide()
            box.addWidget(error)
            self._errors[key] = error
            form.addRow(label, holder)
        self._errors["promise_due"] = self._errors["promise"]
        self._errors["candidate"] = self._errors["summary"]

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.direction.activated.connect(self._touch_direction)
        self._fill(kind, summary)

    # --- filling and reading ------------------------------------------------------------------
    def _fill(self, kind: str, summary: str) -> None:
        entry = self._entry
        self._set_combo(self.kind, entry.kind if entry else kind)
        self._set_combo(self.direction, entry.direction if entry else DEFAULT_DIRECTION[kind])
        self.when.setDateTime(to_qdatetime(entry.occurred_at, self._tz) if entry else self._now_q())
        self.duration.setValue((entry.duration_minutes or 0) if entry else 0)
        if entry and entry.job_id is not None and self.job.findData(entry.job_id) < 0:
            self.job.addItem(entry.job_label or _("Job {id}").format(id=entry.job_id), entry.job_id)
        self._set_combo(self.job, entry.job_id if entry else None)
        self.summary.setText(entry.summary if entry else summary)
        self.body.setPlainText(entry.body if entry else "")
        tomorrow = self._clock.today() + timedelta(days=1)
        due = datetime.combine(tomorrow, time(PROMISE_HOUR), self._tz)
        promise = entry.promise if entry else None
        if promise is not None and not promise.kept:
            self.promise_box.setChecked(True)
            self.promise_text.setText(promise.text)
            due = promise.due_at
        elif promise is not None:
            day = promise.done_at.astimezone(self._tz).date()
            self.promise_note.setText(
                _("Kept on {date}: {text}. Tick the box to make a new promise.").format(
                    date=short_date(day, self._clock.today()), text=promise.text
                )
            )
        self.promise_due.setDateTime(to_qdatetime(due, self._tz))
        self._update_promise_fields()
        self._update_duration()
        (self.body if entry is None and summary else self.summary).setFocus()

    @staticmethod
    def _set_combo(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def _promise(self) -> PromiseInput | None:
        if not self.promise_box.isChecked():
            return None
        return PromiseInput(
            self.promise_text.text(), from_qdatetime(self.promise_due.dateTime(), self._tz)
        )

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        for label in self._errors.values():
            label.hide()
        kind = self.kind.currentData()
        fields = {
            "summary": self.summary.text(),
            "body": self.body.toPlainText(),
            "direction": self.direction.currentData(),
            "occurred_at": from_qdatetime(self.when.dateTime(), self._tz),
            "duration_minutes": (self.duration.value() or None) if kind in TIMED_KINDS else None,
            "job_id": self.job.currentData(),
        }
        try:
            if self._entry is None:
                self.entry_id = self._service.add(
                    self._candidate_id, kind, promise=self._promise(), **fields
                )
            else:
                had_open = self._entry.promise is not None and not self._entry.promise.kept
                promise = self._promise()
                self._service.update(
                    self._entry.id,
                    kind=kind,
                    **fields,
                    **({"promise": promise} if promise is not None or had_open else {}),
                )
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return False
        self.accept()
        return True

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            label = self._errors.get(key, self._errors["summary"])
            text = f"{label.text()} {message}".strip() if label.isVisible() else message
            label.setText(text)
            label.show()

    # --- reactions ----------------------------------------------------------------------------
    def _now_q(self) -> QDateTime:
        return to_qdatetime(self._clock.now(), self._tz)

    def _touch_direction(self) -> None:
        self._direction_touched = True

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        if not self._direction_touched:
            self._set_combo(self.direction, DEFAULT_DIRECTION.get(kind, "none"))
        self._update_duration()

    def _update_duration(self) -> None:
        timed = self.kind.currentData() in TIMED_KINDS
        self.duration.setEnabled(timed)
        self.duration.setToolTip("" if timed else _("Only calls and meetings have a duration"))

    def _update_promise_fields(self) -> None:
        on = self.promise_box.isChecked()
        self.promise_text.setEnabled(on)
        self.promise_due.setEnabled(on)
        if on:
            self.promise_text.setFocus()

    def _pick_insight(self) -> None:
        if self._insights is None:
            return
        from crm_desktop.ui.insights_dialog import InsightsDialog

        picker = InsightsDialog(self._insights, self._prompter, pick=True, parent=self)
        if picker.exec() and picker.picked is not None:
            self.body.insertPlainText(picker.picked.message_text)
            self.body.setFocus()
