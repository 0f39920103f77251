"""Middle pane: the selected candidate's header, Profile tab and Timeline tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from crm_desktop.core.formatting import short_date
from crm_desktop.core.services import Services
from crm_desktop.i18n import _
from crm_desktop.ui.candidate_form import CandidateForm
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.tag_chips import TagChips
from crm_desktop.ui.timeline_view import TimelineView


class DetailPane(QWidget):
    def __init__(self, services: Services, prompter: Prompter, parent=None) -> None:
        super().__init__(parent)
        self._services = services
        self._candidate_id: int | None = None

        self.name_label = QLabel()
        self.name_label.setObjectName("candidateName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.contact_label = QLabel()
        self.contact_label.setTextFormat(Qt.TextFormat.PlainText)
        self.contact_label.setStyleSheet("color: palette(mid);")

        self.form = CandidateForm(services.candidates)
        self.timeline = TimelineView(services.timeline, services.clock, prompter)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, _("Timeline"))
        self.tabs.addTab(self.form, _("Profile"))

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.name_label)
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

    @property
    def candidate_id(self) -> int | None:
        return self._candidate_id

    def show_candidate(self, candidate_id: int | None) -> None:
        self._candidate_id = candidate_id
        if candidate_id is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.form.load(None)
            self.timeline.load(None)
            return
        self.form.load(candidate_id)
        self.timeline.load(candidate_id)
        self.refresh_header()
        self.stack.setCurrentIndex(1)

    def is_creating(self) -> bool:
        """True while the Profile form holds a candidate that has not been created yet."""
        return self._candidate_id is None and self.stack.currentIndex() == 1

    def start_new(self) -> None:
        """An empty Profile form for a new candidate."""
        self._candidate_id = None
        self.form.load(None)
        self.timeline.load(None)
        self.name_label.setText(_("New candidate"))
        self.subtitle.setText(_("Fill in at least a name, then press Create."))
        self.contact_label.clear()
        self.stack.setCurrentIndex(1)
        self.tabs.setCurrentWidget(self.form)
        self.form.first_name.setFocus()

    def refresh_header(self) -> None:
        if self._candidate_id is None:
            return
        record = self._services.candidates.get(self._candidate_id)
        data = record.data
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
