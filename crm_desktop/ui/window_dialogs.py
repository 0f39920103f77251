"""The main window's menu commands that open a dialog.

Each dialog is imported when first opened: the file dialogs' format libraries (icalendar,
vobject) alone cost ~60 ms, which the window's first paint should not wait for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crm_desktop.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from crm_desktop.core.services import Services
    from crm_desktop.ui.candidate_list_view import CandidateListView
    from crm_desktop.ui.detail_pane import DetailPane
    from crm_desktop.ui.prompter import Prompter


class WindowDialogs:
    """The dialogs of ``MainWindow``'s menus (a mixin: it uses the window's parts below)."""

    services: Services
    prompter: Prompter
    attachments_dir: Path
    detail: DetailPane
    candidate_list: CandidateListView

    if TYPE_CHECKING:  # provided by MainWindow and QMainWindow; never defined here

        def open_candidate(self, candidate_id: int) -> None: ...
        def statusBar(self) -> QStatusBar: ...
        def _refresh_all(self) -> None: ...

    def compose_update(self, application_id: int) -> None:
        """Tell the candidate about their stage on a job, from the stage's template."""
        from crm_desktop.ui.compose_dialog import compose_for_application

        compose_for_application(self.services, self.prompter, application_id, self)

    def open_templates(self) -> None:
        from crm_desktop.ui.template_editor import TemplateEditor

        TemplateEditor(
            self.services, self.prompter, candidate_id=self.detail.candidate_id, parent=self
        ).exec()

    def open_insights(self) -> None:
        from crm_desktop.ui.insights_dialog import InsightsDialog

        InsightsDialog(self.services.insights, self.prompter, parent=self).exec()

    def open_recruiter_details(self) -> None:
        from crm_desktop.ui.template_editor import RecruiterDetailsDialog

        RecruiterDetailsDialog(self.services.recruiter, self).exec()

    def open_import(self) -> None:
        from crm_desktop.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.services, self.prompter, parent=self)
        dialog.imported.connect(lambda _report: self._refresh_all())
        dialog.exec()

    def open_export(self, file_format: str = "csv") -> None:
        from crm_desktop.ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self.services,
            self.prompter,
            self.attachments_dir,
            self.candidate_list.selected_ids(),
            self,
        )
        dialog.buttons[file_format].setChecked(True)
        dialog.exec()

    def open_privacy(self, candidate_id: int | None = None) -> None:
        from crm_desktop.ui.privacy_dialog import PrivacyDialog

        dialog = PrivacyDialog(
            self.services, self.prompter, self.attachments_dir, candidate_id, self
        )
        dialog.open_candidate.connect(self.open_candidate)
        dialog.exec()

    def restore_from_backup(self) -> None:
        """Replace everything in this profile with a JSON backup, after asking."""
        from crm_desktop.exchange.json_backup import RestoreError, read_backup, restore_backup

        path = self.prompter.open_path(_("Restore backup"), _("Rapport backups (*.json)"))
        if path is None:
            return
        try:
            document = read_backup(path)
            if not self.prompter.confirm(
                _("Restore backup"),
                _(
                    "Replace ALL candidates, jobs and history in this profile with the backup "
                    "“{name}”? This cannot be undone."
                ).format(name=path.name),
                _("Replace everything"),
            ):
                return
            restore_backup(
                self.services.database,
                document,
                self.attachments_dir,
                self.services.clock,
                replace=True,
            )
        except RestoreError as exc:
            self.prompter.error(_("Restore failed"), str(exc))
            return
        self._refresh_all()
        self.statusBar().showMessage(_("Backup restored"), 5000)

    def open_duplicates(self) -> None:
        from crm_desktop.ui.duplicates_dialog import DuplicatesDialog

        DuplicatesDialog(self.services.duplicates, self.services.merge, self.prompter, self).exec()

    def open_tags(self) -> None:
        from crm_desktop.ui.tags_dialog import TagsDialog

        TagsDialog(self.services.tags, self.prompter, parent=self).exec()

    def open_trash(self) -> None:
        from crm_desktop.ui.trash_dialog import TrashDialog

        TrashDialog(self.services.candidates, self.services.clock, self).exec()
