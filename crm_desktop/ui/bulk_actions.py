"""Actions on a multi-selection in the list: status, tags, export, trash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget

from crm_desktop.core.services import Services
from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.exchange.csv_export import export_candidates_csv
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.candidate_list_view import CandidateListView
from crm_desktop.ui.prompter import Prompter


class BulkActions(QObject):
    def __init__(
        self,
        services: Services,
        prompter: Prompter,
        candidate_list: CandidateListView,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._prompter = prompter
        self._list = candidate_list
        self._window = window

    def menu(self) -> QMenu:
        """The context menu for the current selection (built fresh: tags may have changed)."""
        ids = self._list.selected_ids()
        menu = QMenu(self._window)
        count = len(ids)
        status_menu = menu.addMenu(_("Set status"))
        for code, label in STATUS_LABELS.items():
            status_menu.addAction(label, lambda c=code: self.set_status(c))
        choices = self._services.tags.all()
        add_menu = menu.addMenu(_("Add tag"))
        remove_menu = menu.addMenu(_("Remove tag"))
        for tag in choices:
            add_menu.addAction(tag.name, lambda t=tag.id: self.tag(t))
            remove_menu.addAction(tag.name, lambda t=tag.id: self.untag(t))
        add_menu.setEnabled(bool(choices))
        remove_menu.setEnabled(bool(choices))
        menu.addSeparator()
        menu.addAction(_("Export to CSV…"), self.export_csv)
        menu.addSeparator()
        menu.addAction(
            ngettext("Move {n} candidate to trash…", "Move {n} candidates to trash…", count).format(
                n=count
            ),
            self.trash,
        )
        for action in menu.actions():
            action.setEnabled(action.isEnabled() and count > 0)
        return menu

    def show_menu(self, position) -> None:
        self.menu().popup(self._list.table.viewport().mapToGlobal(position))

    def set_status(self, status: str) -> None:
        ids = self._list.selected_ids()
        self._services.candidates.set_status(ids, status)
        self._say(
            ngettext("{n} candidate set to {status}", "{n} candidates set to {status}", len(ids)),
            len(ids),
            status=STATUS_LABELS[status],
        )

    def tag(self, tag_id: int) -> None:
        ids = self._list.selected_ids()
        self._services.tags.add(ids, tag_id)
        self._say(ngettext("Tagged {n} candidate", "Tagged {n} candidates", len(ids)), len(ids))

    def untag(self, tag_id: int) -> None:
        ids = self._list.selected_ids()
        self._services.tags.remove(ids, tag_id)
        self._say(ngettext("Untagged {n} candidate", "Untagged {n} candidates", len(ids)), len(ids))

    def export_csv(self) -> Path | None:
        ids = self._list.selected_ids()
        if not ids:
            return None
        path = self._prompter.save_path(
            _("Export candidates"), "candidates.csv", _("CSV files (*.csv)")
        )
        if path is None:
            return None
        try:
            written = export_candidates_csv(ids, path)
        except OSError as exc:
            self._prompter.error(
                _("Export failed"),
                _("Could not write {path}: {error}").format(path=path, error=exc),
            )
            return None
        self._say(ngettext("Exported {n} candidate", "Exported {n} candidates", written), written)
        return path

    def trash(self) -> None:
        ids = self._list.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            name = self._services.candidates.get(ids[0]).display_name
            text = _("Move {name} to the trash? You can restore them from File ▸ Trash.").format(
                name=name
            )
        else:
            text = _(
                "Move {n} candidates to the trash? You can restore them from File ▸ Trash."
            ).format(n=len(ids))
        if not self._prompter.confirm(_("Delete candidate"), text, _("Move to trash")):
            return
        self._services.candidates.trash(ids)
        self._say(
            ngettext(
                "{n} candidate moved to the trash", "{n} candidates moved to the trash", len(ids)
            ),
            len(ids),
        )

    def _say(self, message: str, count: int, **values: str) -> None:
        self._window.statusBar().showMessage(message.format(n=count, **values), 5000)
