"""Tags and talent pools: create, rename in place, recolour, merge and delete tags.

Nothing here blocks a test: names are typed into the dialog itself (no ``QInputDialog``), the
colour comes from an injectable ``colour_picker`` and yes/no questions go through the
``Prompter``. Validation errors are shown in the dialog, in plain text (they quote the name).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.tags import TagInfo, TagService
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.prompter import Prompter
from crm_desktop.ui.tag_chips import swatch_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2  # the saved name, to revert a rejected rename
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 4
SORT_ROLE = Qt.ItemDataRole.UserRole + 5

# New tags take the least-used of these (Material 600/700 tones: distinct, calm, readable chips).
PALETTE = (
    "#1e88e5",
    "#43a047",
    "#e53935",
    "#fb8c00",
    "#8e24aa",
    "#00897b",
    "#fdd835",
    "#6d4c41",
    "#3949ab",
    "#d81b60",
    "#607d8b",
)

ColourPicker = Callable[[QColor], QColor | None]
_Index = QModelIndex | QPersistentModelIndex


def count_text(count: int) -> str:
    return ngettext("({n} candidate)", "({n} candidates)", count).format(n=count)


class _TagDelegate(QStyledItemDelegate):
    """Paints the name (swatch + text, editable) and, right-aligned and dimmed, the count."""

    PAD = 8

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        count = index.data(COUNT_ROLE)
        label = count_text(count) if count is not None else ""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        metrics = opt.fontMetrics
        reserved = metrics.horizontalAdvance(label) + 2 * self.PAD if label else 0
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        opt.text = metrics.elidedText(
            opt.text, Qt.TextElideMode.ElideRight, max(text_rect.width() - reserved, 0)
        )
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if label:
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            role = (
                QPalette.ColorRole.HighlightedText
                if selected
                else QPalette.ColorRole.PlaceholderText
            )
            painter.save()
            painter.setPen(opt.palette.color(role))
            painter.drawText(
                opt.rect.adjusted(0, 0, -self.PAD, 0),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 120, max(size.height() + 8, 26))


class TagsDialog(QDialog):
    def __init__(
        self,
        service: TagService,
        prompter: Prompter,
        colour_picker: ColourPicker | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self._pick_colour = colour_picker or self._ask_colour
        self._reloading = False
        self.setWindowTitle(_("Tags and talent pools"))
        self.resize(540, 460)

        self.intro = QLabel(
            _(
                "Tags group candidates into talent pools. Double-click a tag to rename it; "
                "select several to merge them into one."
            )
        )
        self.intro.setWordWrap(True)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(_("New tag, e.g. Java Pune"))
        self.name_edit.setClearButtonEnabled(True)
        self.name_edit.returnPressed.connect(self.add_tag)
        self.add_button = QPushButton(_("Add tag"))
        self.add_button.clicked.connect(self.add_tag)
        add_row = QHBoxLayout()
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.add_button)

        self.error_label = QLabel()
        self.error_label.setObjectName("tagError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote user text
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setVisible(False)

        self.model = QStandardItemModel(self)
        self.model.setSortRole(SORT_ROLE)
        self.model.itemChanged.connect(self._on_item_changed)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(_TagDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.setIconSize(QSize(14, 14))
        self.list.setUniformItemSizes(True)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty = QLabel(
            _(
                "No tags yet. Tags group candidates into talent pools, "
                "e.g. “Java Pune” or “Alumni 2025”."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setFrameShape(QFrame.Shape.StyledPanel)  # sits where the list would
        self.empty.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty.setAutoFillBackground(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty.setMargin(24)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)

        self.rename_button = QPushButton(_("Rename"))
        self.rename_button.clicked.connect(self.rename_current)
        self.colour_button = QPushButton(_("Colour…"))
        self.colour_button.clicked.connect(self.recolour_current)
        self.merge_button = QPushButton(_("Merge…"))
        self.merge_button.clicked.connect(self.start_merge)
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        side = QVBoxLayout()
        for button in (
            self.rename_button,
            self.colour_button,
            self.merge_button,
            self.delete_button,
        ):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.stack, 1)
        middle.addLayout(side)

        self.merge_row = QWidget()
        self.merge_row.setObjectName("mergeRow")
        self.merge_label = QLabel()
        self.merge_target = QComboBox()
        self.merge_target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.merge_confirm_button = QPushButton(_("Merge"))
        self.merge_confirm_button.clicked.connect(self.merge_selected)
        self.merge_cancel_button = QPushButton(_("Cancel"))
        self.merge_cancel_button.clicked.connect(self.cancel_merge)
        merge_layout = QHBoxLayout(self.merge_row)
        merge_layout.setContentsMargins(0, 0, 0, 0)
        merge_layout.addWidget(self.merge_label)
        merge_layout.addWidget(self.merge_target, 1)
        merge_layout.addWidget(self.merge_confirm_button)
        merge_layout.addWidget(self.merge_cancel_button)
        self.merge_row.setVisible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(add_row)
        layout.addWidget(self.error_label)
        layout.addLayout(middle, 1)
        layout.addWidget(self.merge_row)
        layout.addWidget(buttons)

        # Enter in the name field adds a tag; it must not also "click" a default button.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.reload()

    # --- reading ------------------------------------------------------------------------------
    def reload(self, select: list[int] | None = None) -> None:
        """Re-read the tags; keep (or set) the selection by id."""
        keep = select if select is not None else self.selected_ids()
        self._reloading = True
        try:
            self.model.clear()
            for tag in self._service.all():
                self.model.appendRow(self._item(tag))
        finally:
            self._reloading = False
        has = self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.list if has else self.empty)
        self.intro.setVisible(has)  # the empty state explains tags by itself
        self.cancel_merge()
        self._select(keep)
        self._update_buttons()

    def tag_names(self) -> list[str]:
        return [self.model.item(row).data(NAME_ROLE) for row in range(self.model.rowCount())]

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.list.selectionModel().selectedRows())
        return [self.model.item(row).data(ID_ROLE) for row in rows]

    def select_ids(self, tag_ids: list[int]) -> None:
        self._select(tag_ids)
        self._update_buttons()

    # --- actions ------------------------------------------------------------------------------
    def add_tag(self) -> int | None:
        try:
            tag_id = self._service.create(self.name_edit.text(), self._next_colour())
        except ValidationError as exc:
            self._show_error(exc)
            self.name_edit.setFocus()
            return None
        self.name_edit.clear()
        self._show_error(None)
        self.reload(select=[tag_id])
        return tag_id

    def rename_current(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.list.edit(index)

    def recolour_current(self) -> None:
        item = self._current_item()
        if item is None:
            return
        chosen = self._pick_colour(QColor(item.data(COLOUR_ROLE)))
        if chosen is None or not chosen.isValid():
            return
        tag_id = item.data(ID_ROLE)
        if self._attempt(lambda: self._service.recolour(tag_id, chosen.name())):
            self.reload(select=[tag_id])

    def start_merge(self) -> None:
        """Show the merge row: which of the selected tags survives."""
        if len(self.selected_ids()) < 2:
            return
        self._fill_merge_targets()
        self.merge_row.setVisible(True)
        self.merge_target.setFocus()

    def merging(self) -> bool:
        return not self.merge_row.isHidden()

    def cancel_merge(self) -> None:
        self.merge_row.setVisible(False)
        self.merge_target.clear()

    def merge_selected(self) -> bool:
        target_id = self.merge_target.currentData()
        ids = self.selected_ids()
        sources = [tag_id for tag_id in ids if tag_id != target_id]
        if target_id is None or not sources:
            return False
        target = self._item_of(target_id).data(NAME_ROLE)
        names = ", ".join(f"“{self._item_of(tag_id).data(NAME_ROLE)}”" for tag_id in sources)
        text = _(
            "Merge {sources} into “{target}”? Their candidates will be tagged “{target}”, "
            "and {sources} will be deleted."
        ).format(sources=names, target=target)
        if not self._prompter.confirm(_("Merge tags"), text, _("Merge")):
            return False
        if not self._attempt(lambda: self._service.merge(sources, target_id)):
            return False
        self.cancel_merge()
        self.reload(select=[target_id])
        return True

    def delete_selected(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        items = [self._item_of(tag_id) for tag_id in ids]
        if len(items) == 1:
            count = items[0].data(COUNT_ROLE)
            text = ngettext(
                "Delete the tag “{name}”? It will be removed from {n} candidate; "
                "the candidate is kept.",
                "Delete the tag “{name}”? It will be removed from {n} candidates; "
                "the candidates are kept.",
                count,
            ).format(name=items[0].data(NAME_ROLE), n=count)
        else:
            names = ", ".join(f"“{item.data(NAME_ROLE)}”" for item in items)
            text = _(
                "Delete {k} tags ({names})? They will be removed from their candidates; "
                "the candidates are kept."
            ).format(k=len(items), names=names)
        if not self._prompter.confirm(
            ngettext("Delete tag", "Delete tags", len(items)), text, _("Delete")
        ):
            return False

        def delete_all() -> None:
            for tag_id in ids:
                self._service.delete(tag_id)

        self._attempt(delete_all)
        self.reload(select=[])
        return True

    # --- in-place rename ----------------------------------------------------------------------
    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._reloading:
            return
        old = item.data(NAME_ROLE)
        new = item.text()
        if new == old:
            return
        tag_id = item.data(ID_ROLE)
        if not self._attempt(lambda: self._service.rename(tag_id, new)):
            self._set_name(item, old)  # revert; the error stays visible
            return
        try:
            saved = self._service.get(tag_id).name
        except KeyError:
            self.reload()
            return
        self._set_name(item, saved)
        # Re-sort in place: the row (and the closing editor's index) survive, unlike clear().
        self.model.sort(0)
        self.list.scrollTo(item.index())

    def _set_name(self, item: QStandardItem, name: str) -> None:
        self._reloading = True
        try:
            item.setText(name)
            item.setData(name, NAME_ROLE)
            item.setData(name.casefold(), SORT_ROLE)
        finally:
            self._reloading = False

    # --- helpers ------------------------------------------------------------------------------
    def _attempt(self, action: Callable[[], object]) -> bool:
        """Run a service call; show its validation error (or a vanished tag) in the dialog."""
        try:
            action()
        except ValidationError as exc:
            self._show_error(exc)
            return False
        except KeyError:
            self._show_error(_("That tag no longer exists; the list has been refreshed."))
            self.reload()
            return False
        self._show_error(None)
        return True

    def _show_error(self, error: ValidationError | str | None) -> None:
        if isinstance(error, ValidationError):
            error = "\n".join(error.errors.values())
        self.error_label.setText(error or "")
        self.error_label.setVisible(bool(error))

    def _item(self, tag: TagInfo) -> QStandardItem:
        item = QStandardItem(swatch_icon(tag.colour), tag.name)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        )
        item.setData(tag.id, ID_ROLE)
        item.setData(tag.name, NAME_ROLE)
        item.setData(tag.count or 0, COUNT_ROLE)
        item.setData(tag.colour, COLOUR_ROLE)
        item.setData(tag.name.casefold(), SORT_ROLE)
        item.setToolTip(f"{tag.name} {count_text(tag.count or 0)}")
        item.setData(f"{tag.name} {count_text(tag.count or 0)}", Qt.ItemDataRole.AccessibleTextRole)
        return item

    def _item_of(self, tag_id: int) -> QStandardItem:
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(ID_ROLE) == tag_id:
                return item
        raise KeyError(tag_id)

    def _current_item(self) -> QStandardItem | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        return self._item_of(ids[0])

    def _select(self, tag_ids: list[int]) -> None:
        selection = self.list.selectionModel()
        selection.clearSelection()
        wanted = set(tag_ids)
        first = None
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            if index.data(ID_ROLE) in wanted:
                selection.select(index, selection.SelectionFlag.Select)
                if first is None:
                    first = index
        if first is not None:
            selection.setCurrentIndex(first, selection.SelectionFlag.NoUpdate)
            self.list.scrollTo(first)

    def _update_buttons(self) -> None:
        count = len(self.selected_ids())
        self.rename_button.setEnabled(count == 1)
        self.colour_button.setEnabled(count == 1)
        self.merge_button.setEnabled(count >= 2)
        self.delete_button.setEnabled(count >= 1)
        if self.merging():
            if count < 2:
                self.cancel_merge()
            else:
                self._fill_merge_targets()

    def _fill_merge_targets(self) -> None:
        """The selected tags, one of which survives; keeps the choice while it is selected."""
        ids = self.selected_ids()
        previous = self.merge_target.currentData()
        items = [self._item_of(tag_id) for tag_id in ids]
        self.merge_target.clear()
        for item in items:
            self.merge_target.addItem(
                swatch_icon(item.data(COLOUR_ROLE)), item.data(NAME_ROLE), item.data(ID_ROLE)
            )
        if previous in ids:
            self.merge_target.setCurrentIndex(ids.index(previous))
        else:
            # Suggest keeping the biggest pool: the fewest candidates see their tag change.
            biggest = max(range(len(items)), key=lambda i: items[i].data(COUNT_ROLE))
            self.merge_target.setCurrentIndex(biggest)
        self.merge_label.setText(
            ngettext(
                "Merge {n} selected tag into:", "Merge {n} selected tags into:", len(ids)
            ).format(n=len(ids))
        )

    def _next_colour(self) -> str:
        used: dict[str, int] = {colour: 0 for colour in PALETTE}
        for row in range(self.model.rowCount()):
            colour = self.model.item(row).data(COLOUR_ROLE)
            if colour in used:
                used[colour] += 1
        return min(PALETTE, key=lambda colour: used[colour])

    def _ask_colour(self, initial: QColor) -> QColor | None:
        chosen = QColorDialog.getColor(initial, self, _("Tag colour"))
        return chosen if chosen.isValid() else None
