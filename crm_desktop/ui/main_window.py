"""The main window: candidate list | detail pane | Today, with menus and remembered geometry."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from crm_desktop import APP_NAME, __version__
from crm_desktop.core.events import Change
from crm_desktop.core.services import Services
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.candidate_list_view import CandidateListView
from crm_desktop.ui.candidate_table_model import CandidateTableModel
from crm_desktop.ui.change_bridge import ChangeBridge
from crm_desktop.ui.detail_pane import DetailPane
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.today_panel import TodayPanel
from crm_desktop.ui.trash_dialog import TrashDialog

DAY_CHECK_MS = 60_000  # notice midnight within a minute


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        settings: QSettings,
        title_suffix: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.prompter = prompter
        self.settings = settings
        self.setWindowTitle(f"{APP_NAME}{title_suffix}")

        self.list_model = CandidateTableModel(services.candidate_list, services.clock, self)
        self.list_model.reload()
        self.candidate_list = CandidateListView(self.list_model)
        self.detail = DetailPane(services, prompter)
        self.today = TodayPanel(services.today, services.reminders, services.clock)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.candidate_list)
        self.splitter.addWidget(self.detail)
        self.splitter.addWidget(self.today)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._build_menus()
        self.statusBar()

        self.candidate_list.current_changed.connect(self._on_current_changed)
        self.detail.form.saved.connect(self._on_saved)
        self.detail.form.cancelled.connect(lambda: self._show(self.candidate_list.current_id()))
        self.today.open_candidate.connect(self.open_candidate)
        self.bridge = ChangeBridge(services.hub, self)
        self.bridge.changed.connect(self._on_change)

        self._day = services.clock.today()
        self.day_timer = QTimer(self, interval=DAY_CHECK_MS)
        self.day_timer.timeout.connect(self.check_day_rollover)
        self.day_timer.start()
        self._restore_geometry()
        if self.list_model.rowCount():
            self.candidate_list.select_candidate(self.list_model.candidate_id(0))

    # --- actions ---------------------------------------------------------------------------
    def new_candidate(self) -> None:
        if not self._may_leave_form():
            return
        self.candidate_list.table.clearSelection()
        self.detail.start_new()

    def delete_selected(self) -> None:
        ids = self.candidate_list.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            name = self.services.candidates.get(ids[0]).display_name
            text = _("Move {name} to the trash? You can restore them from File ▸ Trash.").format(
                name=name
            )
        else:
            text = _("Move {n} candidates to the trash? You can restore them from File ▸ Trash.")
            text = text.format(n=len(ids))
        if not self.prompter.confirm(_("Delete candidate"), text, _("Move to trash")):
            return
        self.services.candidates.trash(ids)
        message = ngettext(
            "{n} candidate moved to the trash", "{n} candidates moved to the trash", len(ids)
        )
        self.statusBar().showMessage(message.format(n=len(ids)), 5000)

    def open_trash(self) -> None:
        TrashDialog(self.services.candidates, self.services.clock, self).exec()

    def open_candidate(self, candidate_id: int) -> None:
        if not self.candidate_list.select_candidate(candidate_id):
            # Hidden by the current search/filter: clear them so the candidate can be shown.
            self.candidate_list.search.clear()
            self.candidate_list.status_filter.setCurrentIndex(0)
            self.candidate_list.reload(keep=candidate_id)
            self.candidate_list.select_candidate(candidate_id)

    def check_day_rollover(self) -> None:
        today = self.services.clock.today()
        if today != self._day:
            self._day = today
            self.today.refresh()
            self.list_model.reload()

    # --- events ----------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.entity == "candidate":
            if change.action in ("created", "trashed", "restored"):
                keep = self.candidate_list.current_id()
                if change.action == "created":
                    keep = change.ids[0]
                self.candidate_list.reload(keep=keep)
                if change.action == "trashed" and self.detail.candidate_id in change.ids:
                    self._show(self.candidate_list.current_id())
            else:
                self.list_model.refresh_ids(change.candidate_ids)
                if self.detail.candidate_id in change.candidate_ids:
                    self.detail.refresh_header()
        elif change.entity == "interaction":
            self.list_model.refresh_ids(change.candidate_ids)
            if self.detail.candidate_id in change.candidate_ids:
                self.detail.timeline.model.reload()
                self.detail.refresh_header()
        self.today.refresh()

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
        file_menu = bar.addMenu(_("&File"))
        self.trash_action = self._action(_("&Trash…"), self.open_trash)
        file_menu.addAction(self.trash_action)
        file_menu.addSeparator()
        self.quit_action = self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.quit_action)

        candidate_menu = bar.addMenu(_("&Candidate"))
        self.new_action = self._action(
            _("&New candidate"), self.new_candidate, QKeySequence.StandardKey.New
        )
        self.save_action = self._action(
            _("&Save"), self.detail.form.save, QKeySequence.StandardKey.Save
        )
        self.delete_action = self._action(_("&Delete…"), self.delete_selected)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.candidate_list.table.addAction(self.delete_action)
        self.log_action = self._action(
            _("&Log a call or note"), self._focus_quick_log, QKeySequence("Ctrl+L")
        )
        for action in (self.new_action, self.save_action, self.log_action, self.delete_action):
            candidate_menu.addAction(action)

        view_menu = bar.addMenu(_("&View"))
        self.find_action = self._action(
            _("&Find candidates"), self._focus_search, QKeySequence.StandardKey.Find
        )
        self.refresh_action = self._action(
            _("&Refresh"), self._refresh_all, QKeySequence.StandardKey.Refresh
        )
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.refresh_action)

        help_menu = bar.addMenu(_("&Help"))
        about = self._action(_("&About Rapport"), self._about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
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
            self.splitter.setSizes([480, 520, 360])

    def save_geometry(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave_form():
            event.ignore()
            return
        self.save_geometry()
        event.accept()
