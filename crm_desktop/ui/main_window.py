"""The main window: candidate list | detail pane | Today, with menus and remembered geometry.

Built in two steps so that the list is on screen as early as possible: the constructor builds
the frame, the menus and the candidate list (the only part that reads the database before the
first paint); ``complete()`` builds the rest (searches sidebar, detail pane, Jobs, Ambassadors,
Today) in the places kept for them. A staged window completes right after its first paint; an
unstaged one (tests, the self-test) completes in its constructor.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QWidget

from crm_desktop import APP_NAME, __version__
from crm_desktop.core.events import Change
from crm_desktop.i18n import _
from crm_desktop.ui.candidate_list_view import CandidateListView
from crm_desktop.ui.candidate_table_model import CandidateTableModel
from crm_desktop.ui.window_dialogs import WindowDialogs

if TYPE_CHECKING:
    from crm_desktop.core.services import Services
    from crm_desktop.ui.ambassadors_view import AmbassadorsView
    from crm_desktop.ui.bulk_actions import BulkActions
    from crm_desktop.ui.change_bridge import ChangeBridge
    from crm_desktop.ui.detail_pane import DetailPane
    from crm_desktop.ui.jobs_view import JobsView
    from crm_desktop.ui.prompter import Prompter
    from crm_desktop.ui.saved_searches_panel import SavedSearchesPanel
    from crm_desktop.ui.today_panel import TodayPanel

DAY_CHECK_MS = 60_000  # notice midnight within a minute
COMPLETE_AT_THE_LATEST_MS = 3000  # a staged window that never paints (started minimised)
# The minimum widths of the parts complete() builds (default font), kept by their places so the
# list does not shift when they arrive.
SEARCHES_MIN_WIDTH, DETAIL_MIN_WIDTH, TODAY_MIN_WIDTH = 94, 468, 350


class MainWindow(WindowDialogs, QMainWindow):
    """Candidates, Jobs and Ambassadors pages beside the Today panel.

    ``first_painted`` fires once, after the window's first paint: whatever can wait for the
    window to be on screen (Today's items, the tray and alerts) connects to it. ``completed``
    fires once every part of the window is built.
    """

    first_painted = Signal()
    completed = Signal()

    searches: SavedSearchesPanel
    detail: DetailPane
    today: TodayPanel
    jobs: JobsView
    ambassadors: AmbassadorsView
    bulk: BulkActions
    bridge: ChangeBridge

    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        settings: QSettings,
        attachments_dir: Path,
        title_suffix: str = "",
        parent: QWidget | None = None,
        *,
        staged: bool = False,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.prompter = prompter
        self.settings = settings
        self.attachments_dir = attachments_dir
        self._painted = False
        self._complete = False
        self.setWindowTitle(f"{APP_NAME}{title_suffix}")

        self.list_model = CandidateTableModel(
            services.candidate_list, services.clock, self, head_first=staged
        )
        self.candidate_list = CandidateListView(self.list_model)
        # Left: the searches sidebar (collapsible) beside the list. Each part that complete()
        # builds has its place kept by an empty widget, so the remembered sizes apply at once.
        self.left = QSplitter(Qt.Orientation.Horizontal)
        self.left.addWidget(_place_kept(SEARCHES_MIN_WIDTH))
        self.left.addWidget(self.candidate_list)
        self.left.setStretchFactor(1, 1)
        self.left.setCollapsible(1, False)
        self.candidates_page = QSplitter(Qt.Orientation.Horizontal)
        self.candidates_page.addWidget(self.left)
        self.candidates_page.addWidget(_place_kept(DETAIL_MIN_WIDTH))
        self.candidates_page.setStretchFactor(0, 4)
        self.candidates_page.setStretchFactor(1, 5)
        self.candidates_page.setChildrenCollapsible(False)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.candidates_page, _("Candidates"))
        self.pages.addTab(QWidget(), _("Jobs"))
        self.pages.addTab(QWidget(), _("Ambassadors"))
        # Today stays beside whichever page is open: it is what the day is about.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(_place_kept(TODAY_MIN_WIDTH))
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._build_menus()
        self.statusBar()
        self._restore_geometry()

        if staged:
            self.first_painted.connect(self.complete)
            QTimer.singleShot(COMPLETE_AT_THE_LATEST_MS, self, self.complete)
        else:
            self.complete()

    def complete(self) -> None:
        """Build the searches sidebar, the detail pane, the Jobs and Ambassadors pages and
        Today (once; every action calls this first)."""
        if self._complete:
            return
        self._complete = True
        from crm_desktop.ui.ambassadors_view import AmbassadorsView
        from crm_desktop.ui.bulk_actions import BulkActions
        from crm_desktop.ui.change_bridge import ChangeBridge
        from crm_desktop.ui.compose_dialog import compose_for_today_item, open_compose
        from crm_desktop.ui.detail_pane import DetailPane
        from crm_desktop.ui.duplicates_dialog import confirm_create_despite_duplicates
        from crm_desktop.ui.jobs_view import JobsView
        from crm_desktop.ui.saved_searches_panel import SavedSearchesPanel
        from crm_desktop.ui.today_panel import TodayPanel

        services, prompter = self.services, self.prompter
        self.list_model.read_all()
        self.searches = SavedSearchesPanel(services.saved_searches, prompter)
        self.detail = DetailPane(services, prompter)
        # Today is computed after the first paint (at 150,000 candidates it is the slowest
        # part of start-up).
        self.today = TodayPanel(services.today, services.reminders, services.clock, load_now=False)
        self.jobs = JobsView(services, prompter)
        self.ambassadors = AmbassadorsView(services.referrals)
        _put_in_place(self.left, 0, self.searches)
        _put_in_place(self.candidates_page, 1, self.detail)
        _put_in_place(self.splitter, 1, self.today)
        current = self.pages.currentIndex()
        with QSignalBlocker(self.pages):
            for index, page in ((1, self.jobs), (2, self.ambassadors)):
                title = self.pages.tabText(index)
                placeholder = self.pages.widget(index)
                self.pages.removeTab(index)
                self.pages.insertTab(index, page, title)
                placeholder.deleteLater()
            self.pages.setCurrentIndex(current)
        self.pages.currentChanged.connect(self._on_page)
        self._on_page(current)  # a page picked before it was built is loaded now
        self.bulk = BulkActions(services, prompter, self.candidate_list, self)

        self.candidate_list.current_changed.connect(self._on_current_changed)
        self.candidate_list.query_changed.connect(self.searches.set_current_query)
        self.searches.set_current_query(self.list_model.query)  # typed before it was built
        self.candidate_list.table.customContextMenuRequested.connect(self.bulk.show_menu)
        self.searches.chosen.connect(self.candidate_list.set_query)
        self._refresh_choices()
        self.detail.form.saved.connect(self._on_saved)
        self.detail.form.check_duplicates = lambda data: confirm_create_despite_duplicates(
            prompter, services.duplicates.for_input(data)
        )
        self.detail.form.cancelled.connect(lambda: self._show(self.candidate_list.current_id()))
        self.today.open_candidate.connect(self.open_candidate)
        self.today.compose_requested.connect(
            lambda item: compose_for_today_item(services, prompter, item, self)
        )
        self.jobs.open_candidate.connect(self.open_candidate)
        self.detail.jobs_tab.open_candidate.connect(self.open_candidate)
        self.detail.jobs_tab.compose_update.connect(self.compose_update)
        self.detail.message_logged.connect(
            lambda _id: self.statusBar().showMessage(_("Message logged on the timeline"), 3000)
        )
        self.ambassadors.open_candidate.connect(self.open_candidate)
        self.ambassadors.thank.connect(
            lambda candidate_id: open_compose(services, prompter, candidate_id, "referral_thanks")
        )
        self.bridge = ChangeBridge(services.hub, self)
        self.bridge.changed.connect(self._on_change)

        self._day = services.clock.today()
        self.day_timer = QTimer(self, interval=DAY_CHECK_MS)
        self.day_timer.timeout.connect(self.check_day_rollover)
        self.day_timer.start()
        current_id = self.candidate_list.current_id()
        if current_id is not None:
            self._show(current_id)
        elif self.list_model.rowCount():
            self.candidate_list.select_candidate(self.list_model.candidate_id(0))
        if self._painted:
            self.today.refresh()
        else:
            self.first_painted.connect(self.today.refresh)
        self.completed.emit()

    # --- actions ---------------------------------------------------------------------------
    def new_candidate(self) -> None:
        if not self._may_leave_form():
            return
        self.candidate_list.table.clearSelection()
        self.detail.start_new()

    def delete_selected(self) -> None:
        self.bulk.trash()

    def open_candidate(self, candidate_id: int) -> None:
        self.pages.setCurrentWidget(self.candidates_page)
        if not self.candidate_list.select_candidate(candidate_id):
            # Hidden by the current search/filter: clear them so the candidate can be shown.
            self.candidate_list.clear_filters()
            self.candidate_list.select_candidate(candidate_id)

    def _on_page(self, index: int) -> None:
        page = self.pages.widget(index)
        if page is self.jobs:
            self.jobs.reload()
        elif page is self.ambassadors:
            self.ambassadors.reload()

    def check_day_rollover(self) -> None:
        today = self.services.clock.today()
        if today != self._day:
            self._day = today
            self.today.refresh()
            self.list_model.reload()

    # --- events ----------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.entity == "candidate":
            self._refresh_choices()
            if change.action in ("created", "trashed", "restored", "merged", "erased"):
                self.candidate_list.reload()
                if change.action == "created" and self.detail.is_creating():
                    # The user just created it on the form: show it, alone, in the list.
                    self.candidate_list.select_candidate(change.ids[0])
                gone = change.action in ("trashed", "erased")
                if gone and self.detail.candidate_id in change.ids:
                    self._show(self.candidate_list.current_id())
                if change.action == "merged" and self.detail.candidate_id in change.candidate_ids:
                    survivor = change.candidate_ids[0]
                    self.candidate_list.select_candidate(survivor)
                    self._show(survivor)
            else:
                if self.list_model.query.filtered:
                    # An edit may move the candidate in or out of the filtered result.
                    self.candidate_list.reload()
                else:
                    self.list_model.refresh_ids(change.candidate_ids)
                if self.detail.candidate_id in change.candidate_ids:
                    self.detail.refresh_header()
        elif change.entity == "tag":
            self._refresh_choices()
            if self.detail.candidate_id in change.candidate_ids:
                self.detail.refresh_header()
        elif change.entity in ("application", "job", "company"):
            if self.pages.currentWidget() is self.jobs:
                if change.entity == "application":
                    self.jobs.refresh_job()
                else:
                    self.jobs.reload()
            if self.detail.candidate_id in change.candidate_ids:
                self.detail.refresh_header()
        elif change.entity == "interaction":
            self.list_model.refresh_ids(change.candidate_ids)
            if self.detail.candidate_id in change.candidate_ids:
                self.detail.timeline.model.reload()
                self.detail.refresh_header()
        self.today.refresh()

    def _refresh_choices(self) -> None:
        """Totals and filter choices that depend on the data (sources in use)."""
        self.candidate_list.set_total(self.services.candidate_list.count())
        self.candidate_list.set_sources(self.services.candidate_list.sources())
        self.candidate_list.set_tags(self.services.tags.choices())

    def _on_current_changed(self, candidate_id: int | None) -> None:
        if candidate_id == self.detail.candidate_id and self.detail.stack.currentIndex() == 1:
            return
        if not self._may_leave_form():
            previous = self.detail.candidate_id
            if previous is not None:
                self.candidate_list.select_candidate(previous)
            return
        self._show(candidate_id)

    def _on_saved(self, candidate_id: int) -> None:
        self.statusBar().showMessage(_("Saved"), 3000)
        if self.detail.candidate_id != candidate_id:
            self._show(candidate_id)
        self.candidate_list.select_candidate(candidate_id)

    def _show(self, candidate_id: int | None) -> None:
        self.detail.show_candidate(candidate_id)

    def _may_leave_form(self) -> bool:
        """Unsaved edits: ask whether to save them; False keeps the user on the form."""
        if not self._complete:
            return True
        form = self.detail.form
        if not form.is_dirty() or self.detail.stack.currentIndex() == 0:
            return True
        if self.prompter.confirm(
            _("Unsaved changes"),
            _("You have unsaved changes on this candidate. Save them before leaving?"),
            _("Save"),
        ):
            return form.save()
        form.cancel()
        return True

    # --- chrome ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(_("&File"))
        self.import_action = self._action(_("&Import…"), self.open_import, QKeySequence("Ctrl+I"))
        self.export_action = self._action(_("&Export…"), self.open_export, QKeySequence("Ctrl+E"))
        self.backup_action = self._action(
            _("&Back up everything…"), lambda: self.open_export("json")
        )
        self.restore_action = self._action(_("&Restore backup…"), self.restore_from_backup)
        for action in (
            self.import_action,
            self.export_action,
            self.backup_action,
            self.restore_action,
        ):
            self.file_menu.addAction(action)
        privacy = self.file_menu.addMenu(_("&Privacy"))
        self.privacy_action = self._action(
            _("&Consent, data export, erasure…"),
            lambda: self.open_privacy(self.detail.candidate_id),
        )
        self.retention_action = self._action(_("&Retention review…"), self.open_privacy)
        privacy.addAction(self.privacy_action)
        privacy.addAction(self.retention_action)
        self.file_menu.addSeparator()
        self.trash_action = self._action(_("&Trash…"), self.open_trash)
        self.file_menu.addAction(self.trash_action)
        self.file_menu.addSeparator()
        self.quit_action = self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.file_menu.addAction(self.quit_action)

        self.candidate_menu = bar.addMenu(_("&Candidate"))
        self.new_action = self._action(
            _("&New candidate"), self.new_candidate, QKeySequence.StandardKey.New
        )
        self.save_action = self._action(
            _("&Save"), lambda: self.detail.form.save(), QKeySequence.StandardKey.Save
        )
        self.delete_action = self._action(_("&Delete…"), self.delete_selected)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.candidate_list.table.addAction(self.delete_action)
        self.log_action = self._action(
            _("&Log a call or note"), self._focus_quick_log, QKeySequence("Ctrl+L")
        )
        for action in (self.new_action, self.save_action, self.log_action, self.delete_action):
            self.candidate_menu.addAction(action)
        self.candidate_menu.addSeparator()
        self.tags_action = self._action(_("&Tags and talent pools…"), self.open_tags)
        self.candidate_menu.addAction(self.tags_action)
        self.duplicates_action = self._action(_("Find &duplicates…"), self.open_duplicates)
        self.candidate_menu.addAction(self.duplicates_action)
        self.candidate_menu.addSeparator()
        self.write_action = self._action(
            _("&Write to candidate…"), lambda: self.detail.compose(), QKeySequence("Ctrl+Shift+M")
        )
        self.candidate_menu.addAction(self.write_action)

        self.tools_menu = bar.addMenu(_("&Tools"))
        self.templates_action = self._action(_("Message &templates…"), self.open_templates)
        self.insights_action = self._action(_("&Insights library…"), self.open_insights)
        self.details_action = self._action(_("Your &details…"), self.open_recruiter_details)
        for action in (self.templates_action, self.insights_action, self.details_action):
            self.tools_menu.addAction(action)

        self.view_menu = bar.addMenu(_("&View"))
        self.searches_action = QAction(_("&Searches sidebar"), self, checkable=True)
        self.searches_action.setChecked(True)
        self.searches_action.toggled.connect(lambda shown: self.left.widget(0).setVisible(shown))
        self.view_menu.addAction(self.searches_action)
        self.find_action = self._action(
            _("&Find candidates"), self._focus_search, QKeySequence.StandardKey.Find
        )
        self.refresh_action = self._action(
            _("&Refresh"), self._refresh_all, QKeySequence.StandardKey.Refresh
        )
        self.view_menu.addAction(self.find_action)
        self.view_menu.addAction(self.refresh_action)

        self.help_menu = bar.addMenu(_("&Help"))
        about = self._action(_("&About Rapport"), self._about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(about)

    def _action(self, text: str, slot: Callable[[], object], shortcut=None) -> QAction:
        """A menu action; the window is completed first (a shortcut may come before)."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda: (self.complete(), slot()))
        return action

    def _focus_search(self) -> None:
        self.candidate_list.search.setFocus()
        self.candidate_list.search.selectAll()

    def _focus_quick_log(self) -> None:
        if self.detail.candidate_id is None:
            return
        self.detail.tabs.setCurrentWidget(self.detail.timeline)
        self.detail.timeline.summary.setFocus()

    def _refresh_all(self) -> None:
        self.candidate_list.reload()
        self.today.refresh()
        if self.detail.candidate_id is not None:
            self.detail.timeline.model.reload()
            self.detail.refresh_header()

    def _about(self) -> None:
        self.prompter.inform(
            _("About Rapport"),
            _(
                "Rapport {version}\nAn offline candidate-relationship manager for recruiters.\n"
                "Your data stays on this computer."
            ).format(version=__version__),
        )

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 820)
        splitter = self.settings.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([1120, 320])
        page = self.settings.value("main_window/candidates_page")
        if page is not None:
            self.candidates_page.restoreState(page)
        else:
            self.candidates_page.setSizes([700, 420])
        left = self.settings.value("main_window/left")
        if left is not None:
            self.left.restoreState(left)
        else:
            self.left.setSizes([140, 560])
        header = self.settings.value("main_window/list_header")
        if header is not None:
            self.candidate_list.restore_header_state(header)
        self.searches_action.setChecked(self.settings.value("main_window/searches", True, bool))

    def save_geometry(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        self.settings.setValue("main_window/left", self.left.saveState())
        self.settings.setValue("main_window/candidates_page", self.candidates_page.saveState())
        self.settings.setValue("main_window/list_header", self.candidate_list.header_state())
        self.settings.setValue("main_window/searches", self.searches_action.isChecked())
        self.settings.sync()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            # What can wait (Today's items, the tray and alerts) starts once the window is on
            # screen: the list is what the eye lands on first.
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave_form():
            event.ignore()
            return
        self.save_geometry()
        event.accept()


def _place_kept(min_width: int) -> QWidget:
    """An empty widget that keeps a part's place (and width) until ``complete()`` builds it."""
    place = QWidget()
    place.setMinimumWidth(min_width)
    return place


def _put_in_place(splitter: QSplitter, index: int, widget: QWidget) -> None:
    """Put ``widget`` where an empty widget kept its place (same size and visibility)."""
    placeholder = splitter.replaceWidget(index, widget)
    if placeholder is not None:
        placeholder.deleteLater()
