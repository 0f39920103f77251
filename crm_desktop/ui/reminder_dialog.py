"""Creating and editing a reminder, and picking the end of a snooze.

Times are edited as the recruiter's local wall-clock time in the app clock's zone (not Qt's idea
of the system zone, which may differ and would shift a typed time across a DST gap): the editors
hold that wall time in a UTC-zoned QDateTime and ``from_editor`` reads it back.

Widgets ask through ``ReminderAsker`` (the Qt implementation opens these dialogs), so tests can
answer without a modal dialog blocking the suite.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
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
    QVBoxLayout,
    QWidget,
)

from crm_desktop.clock import Clock
from crm_desktop.core.candidate_list import CandidateList
from crm_desktop.core.jobs import JobService
from crm_desktop.core.reminders import (
    MAX_TITLE,
    RECURRENCE_LABELS,
    SNOOZE_NEXT_WEEK,
    SNOOZE_TOMORROW,
    ReminderRecord,
    ReminderService,
)
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.ui.candidate_picker import CandidatePicker


def to_editor(when: datetime, tz: tzinfo) -> QDateTime:
    """``when``'s local wall-clock time in ``tz``, as a UTC-zoned QDateTime for an editor."""
    local = when.astimezone(tz)
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute),
        QTimeZone.utc(),
    )


def from_editor(value: QDateTime, tz: tzinfo) -> datetime:
    """The aware instant for the wall-clock time an editor holds (see ``to_editor``)."""
    d, t = value.date(), value.time()
    local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=tz)
    return local.astimezone(tz)


def _datetime_editor(value: datetime, tz: tzinfo) -> QDateTimeEdit:
    editor = QDateTimeEdit(to_editor(value, tz))
    editor.setTimeZone(QTimeZone.utc())
    editor.setCalendarPopup(True)
    editor.setDisplayFormat("ddd d MMM yyyy  HH:mm")
    return editor


class ReminderDialog(QDialog):
    """Title, when, repeat, candidate, job and notes; saves through ``ReminderService``.

    ``candidates`` and ``jobs`` may be ``None`` (no picker / no job choice) where the caller
    already knows who the reminder is about.
    """

    def __init__(
        self,
        reminders: ReminderService,
        clock: Clock,
        *,
        record: ReminderRecord | None = None,
        candidate_id: int | None = None,
        candidate_name: str = "",
        job_id: int | None = None,
        candidates: CandidateList | None = None,
        jobs: JobService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reminders = reminders
        self._clock = clock
        self._tz = clock.tz()
        self._record = record
        self.saved_id: int | None = None
        self.setWindowTitle(_("Edit reminder") if record else _("New reminder"))
        self.setMinimumWidth(460)

        self.title = QLineEdit(record.title if record else "")
        self.title.setMaxLength(MAX_TITLE)
        self.title.setPlaceholderText(_("What to do, e.g. “Call about the offer”"))
        due = record.due_at if record else self._default_due()
        self.due = _datetime_editor(due, self._tz)
        quick = QHBoxLayout()
        quick.setContentsMargins(0, 0, 0, 0)
        for label, later in (
            (_("In 1 hour"), lambda: self._clock.now() + timedelta(hours=1)),
            (_("Tomorrow morning"), lambda: self._reminders.snooze_time(SNOOZE_TOMORROW)),
            (_("Next week"), lambda: self._reminders.snooze_time(SNOOZE_NEXT_WEEK)),
        ):
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, f=later: self._set_due(f()))
            quick.addWidget(button)
        quick.addStretch(1)
        self.repeat = QComboBox()
        for code, label in RECURRENCE_LABELS.items():
            self.repeat.addItem(label, code)
        self.repeat.setCurrentIndex(self.repeat.findData(record.recurrence if record else "none"))

        self.candidate_id = record.candidate_id if record else candidate_id
        name = record.candidate_name if record else candidate_name
        self.candidate_label = QLabel()
        self.candidate_label.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_candidate = QPushButton(_("Remove"))
        self.clear_candidate.setAutoDefault(False)
        self.clear_candidate.clicked.connect(lambda: self._set_candidate(None, ""))
        self.picker: CandidatePicker | None = None
        who = QVBoxLayout()
        who.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.candidate_label, 1)
        row.addWidget(self.clear_candidate)
        who.addLayout(row)
        if candidates is not None:
            self.picker = CandidatePicker(candidates)
            self.picker.setPlaceholderText(_("Link to a candidate: type a name…"))
            self.picker.picked.connect(
                lambda cid: self._set_candidate(cid, candidates.rows([cid])[cid].name)
            )
            who.addWidget(self.picker)
        self._set_candidate(self.candidate_id, name)

        self.job = QComboBox()
        self.job.addItem(_("No job"), None)
        if jobs is not None:
            for job in jobs.jobs():
                if job.data.status == "open" or job.id in (job_id, record and record.job_id):
                    self.job.addItem(job.label, job.id)
        preset_job = record.job_id if record else job_id
        if preset_job is not None:
            self.job.setCurrentIndex(max(0, self.job.findData(preset_job)))
        self.job.setVisible(jobs is not None)

        self.notes = QPlainTextEdit(record.notes if record else "")
        self.notes.setPlaceholderText(_("Optional: what to say, what to bring"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)

        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()

        form = QFormLayout()
        form.addRow(_("&Title"), self.title)
        form.addRow(_("&When"), self.due)
        form.addRow("", _wrap(quick))
        form.addRow(_("&Repeat"), self.repeat)
        form.addRow(_("Candidate"), _wrap(who))
        if jobs is not None:
            form.addRow(_("&Job"), self.job)
        form.addRow(_("&Notes"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.title.setFocus()

    def due_at(self) -> datetime:
        return from_editor(self.due.dateTime(), self._tz)

    def save(self) -> bool:
        """Validate and save; on problems, say what is wrong and stay open."""
        arguments = {
            "candidate_id": self.candidate_id,
            "job_id": self.job.currentData(),
            "notes": self.notes.toPlainText(),
            "recurrence": self.repeat.currentData(),
        }
        try:
            if self._record is None:
                self.saved_id = self._reminders.create(
                    self.title.text(), self.due_at(), **arguments
                )
            else:
                self._reminders.update(
                    self._record.id, self.title.text(), self.due_at(), **arguments
                )
                self.saved_id = self._record.id
        except ValidationError as exc:
            self.error.setText("\n".join(exc.errors.values()))
            self.error.show()
            if "title" in exc.errors:
                self.title.setFocus()
            return False
        self.accept()
        return True

    def _default_due(self) -> datetime:
        """The next whole hour at least 30 minutes away: a sensible "later today"."""
        now = self._clock.now()
        local = now.astimezone(self._tz).replace(minute=0, second=0, microsecond=0)
        later = local.astimezone(UTC) + timedelta(hours=1)  # in UTC: DST-safe arithmetic
        if later - now < timedelta(minutes=30):
            later += timedelta(hours=1)
        return later

    def _set_due(self, when: datetime) -> None:
        self.due.setDateTime(to_editor(when, self._tz))

    def _set_candidate(self, candidate_id: int | None, name: str) -> None:
        self.candidate_id = candidate_id
        self.candidate_label.setText(name if candidate_id is not None else _("Not linked"))
        self.clear_candidate.setVisible(candidate_id is not None)


class PickTimeDialog(QDialog):
    """ "Snooze until…": one date-and-time editor."""

    def __init__(self, title: str, suggested: datetime, clock: Clock, parent=None) -> None:
        super().__init__(parent)
        self._tz = clock.tz()
        self.setWindowTitle(_("Snooze until"))
        label = QLabel(_("Remind me about “{title}” on:").format(title=title))
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self.editor = _datetime_editor(suggested, self._tz)
        self.editor.setMinimumDateTime(to_editor(clock.now(), self._tz))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)

    def chosen(self) -> datetime:
        return from_editor(self.editor.dateTime(), self._tz)


class ReminderAsker(Protocol):
    """How a widget asks the user about a reminder; tests answer with a scripted one."""

    def new_reminder(
        self, candidate_id: int | None = None, candidate_name: str = "", job_id: int | None = None
    ) -> int | None:
        """Let the user write a new reminder (about a candidate or a job when given); its id
        once saved, ``None`` when cancelled."""
        ...

    def edit_reminder(self, reminder_id: int) -> bool:
        """Let the user edit a reminder; True once saved."""
        ...

    def pick_time(self, title: str, suggested: datetime) -> datetime | None:
        """Ask until when to snooze; ``None`` when cancelled."""
        ...


class QtReminderAsker:
    """``ReminderAsker`` with real dialogs, parented to ``parent``."""

    def __init__(
        self,
        reminders: ReminderService,
        clock: Clock,
        *,
        candidates: CandidateList | None = None,
        jobs: JobService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._reminders = reminders
        self._clock = clock
        self._candidates = candidates
        self._jobs = jobs
        self._parent = parent

    def new_reminder(
        self, candidate_id: int | None = None, candidate_name: str = "", job_id: int | None = None
    ) -> int | None:
        dialog = ReminderDialog(
            self._reminders,
            self._clock,
            candidate_id=candidate_id,
            candidate_name=candidate_name,
            job_id=job_id,
            candidates=self._candidates,
            jobs=self._jobs,
            parent=self._parent,
        )
        return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None

    def edit_reminder(self, reminder_id: int) -> bool:
        dialog = ReminderDialog(
            self._reminders,
            self._clock,
            record=self._reminders.get(reminder_id),
            candidates=self._candidates,
            jobs=self._jobs,
            parent=self._parent,
        )
        return dialog.exec() == QDialog.DialogCode.Accepted

    def pick_time(self, title: str, suggested: datetime) -> datetime | None:
        dialog = PickTimeDialog(title, suggested, self._clock, self._parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _wrap(layout) -> QWidget:
    holder = QWidget()
    holder.setLayout(layout)
    return holder
