"""Middle pane: the selected candidate's header, Timeline tab and Profile tab.

The header's "Write…" button composes a message (templates, mail app, logged on the timeline).
The pane listens for reminder changes itself: a promise kept from the Today panel must update the
promise line on its timeline entry, and reminders are not the main window's business.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.events import Change
from crm_desktop.core.formatting import short_date
from crm_desktop.core.services import Services
from crm_desktop.i18n import _
from crm_desktop.ui.candidate_form import CandidateForm
from crm_desktop.ui.candidate_jobs_tab import CandidateJobsTab
from crm_desktop.ui.change_bridge import ChangeBridge
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.tag_chips import TagChips
from crm_desktop.ui.timeline_view import TimelineView


class DetailPane(QWidget):
    """Emits ``message_logged(entry_id)`` after a message composed here was sent and logged."""

    message_logged = Signal(int)

    def __init__(self, services: Services, prompter: Prompter, parent=None) -> None:
        super().__init__(parent)
        self._services = services
        self._prompter = prompter
        self._candidate_id: int | None = None

        self.name_label = QLabel()
        self.name_label.setObjectName("candidateName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setWordWrap(True)
        self.name_label.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.contact_label = QLabel()
        self.contact_label.setTextFormat(Qt.TextFormat.PlainText)
        self.contact_label.setWordWrap(True)  # a narrow pane wraps rather than cuts it off
        self.contact_label.setStyleSheet("color: palette(mid);")

        self.write_button = QPushButton(_("Write…"))
        self.write_button.setToolTip(
            _("Write to this candidate from a template; the message is logged on the timeline")
        )
        self.write_button.clicked.connect(lambda: self.compose())

        self.form = CandidateForm(services.candidates)
        self.timeline = TimelineView(
            services.timeline, services.clock, prompter, insights=services.insights
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, _("Timeline"))
        self.tabs.addTab(self.form, _("Profile"))
        self.jobs_tab = CandidateJobsTab(services, prompter)
        self.tabs.addTab(self.jobs_tab, _("Jobs"))

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_label, 1)
        name_row.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(name_row)
        layout.addWidget(self.subtitle)
        self.tag_chips = TagChips()
        layout.addWidget(self.tag_chips)
        layout.addWidget(self.contact_label)
        layout.addWidget(self.tabs, 1)

        self.placeholder = QLabel(
            _("Select a candidate on the left, or create one with Candidate ▸ New (Ctrl+N).")
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setObjectName("emptyState")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._bridge = ChangeBridge(services.hub, self)
        self._bridge.changed.connect(self._on_change)

    @property
    def candidate_id(self) -> int | None:
        return self._candidate_id

    def show_candidate(self, candidate_id: int | None) -> None:
        self._candidate_id = candidate_id
        if candidate_id is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.form.load(None)
            self.timeline.load(None)
            self.jobs_tab.load(None)
            return
        self.form.load(candidate_id)
        self.timeline.load(candidate_id)
        self.jobs_tab.load(candidate_id)
        self.refresh_header()
        self.stack.setCurrentIndex(1)

    def compose(
        self, template: str | int | None = None, job_id: int | None = None, on: date | None = None
    ) -> int | None:
        """Write to the shown candidate; returns the logged entry's id (None if cancelled)."""
        if self._candidate_id is None:
            return None
        from crm_desktop.ui.compose_dialog import open_compose

        entry_id = open_compose(
            self._services,
            self._prompter,
            self._candidate_id,
            template,
            job_id=job_id,
            on=on,
            parent=self,
        )
        if entry_id is not None:
            self.message_logged.emit(entry_id)
        return entry_id

    def is_creating(self) -> bool:
        """True while the Profile form holds a candidate that has not been created yet."""
        return self._candidate_id is None and self.stack.currentIndex() == 1

    def start_new(self) -> None:
        """An empty Profile form for a new candidate."""
        self._candidate_id = None
        self.form.load(None)
        self.timeline.load(None)
        self.jobs_tab.load(None)
        self.name_label.setText(_("New candidate"))
        self.subtitle.setText(_("Fill in at least a name, then press Create."))
        self.contact_label.clear()
        self.write_button.setEnabled(False)
        self.stack.setCurrentIndex(1)
        self.tabs.setCurrentWidget(self.form)
        self.form.first_name.setFocus()

    def refresh_header(self) -> None:
        if self._candidate_id is None:
            return
        record = self._services.candidates.get(self._candidate_id)
        data = record.data
        self.write_button.setEnabled(data.status != "do_not_contact")
        self.write_button.setToolTip(
            _("This candidate asked not to be contacted")
            if data.status == "do_not_contact"
            else _("Write to this candidate from a template; the message is logged on the timeline")
        )
        self.name_label.setText(record.display_name)
        role = " @ ".join(part for part in (data.headline, data.company_name) if part)
        self.subtitle.setText(" · ".join(part for part in (role, data.location) if part))
        clock = self._services.clock
        if record.last_contacted_at is None:
            contacted = _("Never contacted")
        else:
            day = record.last_contacted_at.astimezone(clock.tz()).date()
            contacted = _("Last contact {date}").format(date=short_date(day, clock.today()))
        primary = [*data.emails[:1], *data.phones[:1]]
        self.contact_label.setText("  ·  ".join([*primary, contacted]))
        self.tag_chips.set_tags(self._services.tags.tags_of(self._candidate_id))

    def _on_change(self, change: Change) -> None:
        if change.entity == "reminder" and self._candidate_id in change.candidate_ids:
            self.timeline.model.reload()  # a promise was kept, reopened or snoozed elsewhere
