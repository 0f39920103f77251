"""Reviewing likely duplicates and merging two candidates side by side.

- ``DuplicatesDialog`` lists the groups ``DuplicateFinder.scan`` found over the whole base;
  "Review and merge…" opens a ``MergeDialog`` for the first two members of the selected group.
  After a merge the group is updated in place (the merged record leaves it) instead of
  rescanning the base.
- ``MergeDialog`` shows both records in a grid (field | left | right). Where the values differ,
  a pair of radio buttons picks the one that wins; long texts are combined and every contact
  point moves, so those rows only inform. A switch at the top says which record survives.
- ``confirm_create_despite_duplicates`` is the question the create flow asks when
  ``DuplicateFinder.for_input`` finds a match.

Every value is user text, so every label is plain text. Questions go through the ``Prompter``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QFontMetrics,
    QGuiApplication,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.core.duplicates import DuplicateFinder, DuplicateGroup, DuplicateMatch
from crm_desktop.core.merge import (
    CHOOSABLE_FIELDS,
    CONTACT_FIELDS,
    DUPLICATE,
    SURVIVOR,
    MergeService,
    MergeSide,
    combined_fields,
    default_choice,
)
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import field_label
from crm_desktop.i18n import _, ngettext
from crm_desktop.ui.prompter import Prompter

LEFT, RIGHT = "left", "right"
VALUE_WIDTH = 260  # pixels: values longer than this are elided (full text in the tooltip)
PREVIEW_CHARS = 160  # long texts (notes) are previewed, not shown whole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1

COUNT_LABELS = {
    "timeline": _("Timeline entries"),
    "applications": _("Applications"),
    "reminders": _("Reminders"),
    "tags": _("Tags"),
    "contact_points": _("Contact points"),
    "attachments": _("Attachments"),
    "referrals": _("Referrals"),
}


def confirm_create_despite_duplicates(prompter: Prompter, matches: list[DuplicateMatch]) -> bool:
    """Ask before creating a candidate that looks like existing ones; True means go ahead."""
    if not matches:
        return True
    lines = [
        _("{name} (#{id}): {reasons}").format(
            name=match.name, id=match.candidate_id, reasons=", ".join(match.reasons)
        )
        for match in matches[:5]
    ]
    if len(matches) > 5:
        lines.append(_("…and {n} more").format(n=len(matches) - 5))
    text = ngettext(
        "This candidate may already exist:",
        "This candidate may already exist, as one of these:",
        len(matches),
    )
    text = "\n".join([text, "", *lines, "", _("Create a new candidate anyway?")])
    return prompter.confirm(_("Possible duplicate"), text, _("Create anyway"))


def group_label(group: DuplicateGroup, max_reasons: int = 2) -> str:
    """ "Ana Silva ×2 — same e-mail ana@example.com" """
    reasons = list(group.reasons[:max_reasons])
    if len(group.reasons) > max_reasons:
        reasons.append("…")
    return _("{name} ×{n} — {reasons}").format(
        name=group.names[0], n=group.size, reasons="; ".join(reasons)
    )


def _plain_label(text: str = "", *, wrap: bool = False, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


class MergeDialog(QDialog):
    """Two candidates side by side; merge the one that does not survive into the other.

    Emits ``merged(survivor_id, duplicate_id)`` after a successful merge, then accepts.
    """

    merged = Signal(int, int)

    def __init__(
        self,
        service: MergeService,
        prompter: Prompter,
        left_id: int,
        right_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self.sides = {LEFT: service.side(left_id), RIGHT: service.side(right_id)}
        self._touched: set[str] = set()
        self.setWindowTitle(_("Merge duplicate records"))

        self.left_survivor = QRadioButton(_("Keep left as survivor"))
        self.right_survivor = QRadioButton(_("Keep right as survivor"))
        self.left_survivor.setChecked(True)
        survivor_group = QButtonGroup(self)
        survivor_group.addButton(self.left_survivor)
        survivor_group.addButton(self.right_survivor)
        self.left_survivor.toggled.connect(self._survivor_changed)
        switch = QHBoxLayout()
        switch.addWidget(self.left_survivor)
        switch.addWidget(self.right_survivor)
        switch.addStretch(1)
        self.explanation = _plain_label(wrap=True)

        self.choice_buttons: dict[str, dict[str, QRadioButton]] = {}
        self.headers: dict[str, QLabel] = {}
        self.badges: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self._build_grid(grid)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = QPushButton(_("Merge"))
        self.merge_button.setDefault(True)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.clicked.connect(self.merge)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(switch)
        layout.addWidget(self.explanation)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self._survivor_changed()
        hint = inner.sizeHint()
        self.resize(max(720, hint.width() + 48), min(760, hint.height() + 110))

    # --- public ---------------------------------------------------------------------------
    @property
    def survivor_side(self) -> str:
        return LEFT if self.left_survivor.isChecked() else RIGHT

    @property
    def survivor_id(self) -> int:
        return self.sides[self.survivor_side].candidate_id

    @property
    def duplicate_id(self) -> int:
        other = RIGHT if self.survivor_side == LEFT else LEFT
        return self.sides[other].candidate_id

    def choose(self, key: str, side: str) -> None:
        """Let the value on ``side`` ("left" or "right") win for ``key``."""
        self.choice_buttons[key][side].setChecked(True)
        self._touched.add(key)

    def chosen_side(self, key: str) -> str | None:
        buttons = self.choice_buttons.get(key)
        if buttons is None:
            return None
        return LEFT if buttons[LEFT].isChecked() else RIGHT

    def choices(self) -> dict[str, str]:
        """The radio buttons as ``MergeService.merge`` wants them: field -> survivor/duplicate."""
        return {
            key: SURVIVOR if self.chosen_side(key) == self.survivor_side else DUPLICATE
            for key in self.choice_buttons
        }

    def merge(self) -> bool:
        survivor = self.sides[self.survivor_side]
        duplicate = self.sides[LEFT if self.survivor_side == RIGHT else RIGHT]
        text = _(
            "Merge {duplicate} (#{duplicate_id}) into {survivor} (#{survivor_id})?\n\n"
            "The timeline, applications, reminders, tags and contact points of #{duplicate_id} "
            "move to #{survivor_id}, and record #{duplicate_id} is removed. "
            "This cannot be undone."
        ).format(
            duplicate=duplicate.name,
            duplicate_id=duplicate.candidate_id,
            survivor=survivor.name,
            survivor_id=survivor.candidate_id,
        )
        if not self._prompter.confirm(_("Merge candidates"), text, _("Merge")):
            return False
        try:
            self._service.merge(survivor.candidate_id, duplicate.candidate_id, self.choices())
        except ValidationError as exc:
            self._prompter.error(_("Not merged"), "\n".join(exc.errors.values()))
            return False
        self.merged.emit(survivor.candidate_id, duplicate.candidate_id)
        self.accept()
        return True

    # --- internals ------------------------------------------------------------------------
    def _build_grid(self, grid: QGridLayout) -> None:
        left, right = self.sides[LEFT], self.sides[RIGHT]
        for column, (side, data) in enumerate(((LEFT, left), (RIGHT, right)), start=1):
            header = _plain_label(f"{data.name} (#{data.candidate_id})")
            header.setStyleSheet("font-weight: 600;")
            badge = _plain_label(muted=True)
            self.headers[side], self.badges[side] = header, badge
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(header)
            box.addWidget(badge)
            grid.addLayout(box, 0, column)
        row = 1
        for key in CHOOSABLE_FIELDS:
            row = self._add_field_row(grid, row, key, left, right)
        for key in (*CONTACT_FIELDS, *combined_fields()):
            row = self._add_info_row(grid, row, key, left, right)
        grid.addWidget(self._separator(), row, 0, 1, 4)
        row += 1
        heading = _plain_label(_("Moves to the survivor"))
        heading.setStyleSheet("font-weight: 600;")
        grid.addWidget(heading, row, 0, 1, 3)
        row += 1
        for key, label in COUNT_LABELS.items():
            grid.addWidget(self._field_label(label), row, 0)
            for column, data in ((1, left), (2, right)):
                grid.addWidget(_plain_label(str(data.counts.get(key, 0))), row, column)
            row += 1
        grid.setRowStretch(row, 1)

    def _add_field_row(
        self, grid: QGridLayout, row: int, key: str, left: MergeSide, right: MergeSide
    ) -> int:
        texts = {LEFT: left.values.get(key, ""), RIGHT: right.values.get(key, "")}
        if not texts[LEFT] and not texts[RIGHT]:
            return row  # nothing on either side: nothing to show or choose
        grid.addWidget(self._field_label(field_label(key), top=False), row, 0)
        if texts[LEFT] == texts[RIGHT]:
            grid.addWidget(self._value_label(texts[LEFT]), row, 1)
            grid.addWidget(self._value_label(texts[RIGHT]), row, 2)
            return row + 1
        group = QButtonGroup(self)
        buttons = {}
        for column, side in ((1, LEFT), (2, RIGHT)):
            button = QRadioButton(self._elide(texts[side] or _("(empty)")))
            button.setObjectName(f"{key}_{side}")
            button.setToolTip(texts[side][:1000])
            button.setAccessibleName(f"{field_label(key)}: {texts[side]}")
            button.clicked.connect(lambda _checked=False, k=key: self._touched.add(k))
            group.addButton(button)
            buttons[side] = button
            grid.addWidget(button, row, column)
        self.choice_buttons[key] = buttons
        return row + 1

    def _add_info_row(
        self, grid: QGridLayout, row: int, key: str, left: MergeSide, right: MergeSide
    ) -> int:
        texts = (left.values.get(key, ""), right.values.get(key, ""))
        if not any(texts):
            return row
        grid.addWidget(self._field_label(field_label(key)), row, 0)
        top = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        for column, text in enumerate(texts, start=1):
            label = self._value_label(_preview(text), wrap=True)
            label.setAlignment(top)
            grid.addWidget(label, row, column)
        note = _("all kept") if key in CONTACT_FIELDS else _("combined")
        if (all(texts) and texts[0] != texts[1]) or key in CONTACT_FIELDS:
            note_label = _plain_label(note, muted=True)
            note_label.setAlignment(top)
            grid.addWidget(note_label, row, 3)
        return row + 1

    def _survivor_changed(self, *_args) -> None:
        survivor = self.survivor_side
        for side in (LEFT, RIGHT):
            self.badges[side].setText(
                _("survives") if side == survivor else _("merged in, then removed")
            )
        duplicate = RIGHT if survivor == LEFT else LEFT
        for key, buttons in self.choice_buttons.items():
            if key in self._touched:
                continue
            winner = default_choice(
                key, self.sides[survivor].values[key], self.sides[duplicate].values[key]
            )
            buttons[survivor if winner == SURVIVOR else duplicate].setChecked(True)
        self.explanation.setText(
            _(
                "Where the values differ, pick the one to keep. Notes are combined, and the "
                "timeline, applications, tags and contact points of #{duplicate} move to "
                "#{survivor}."
            ).format(
                duplicate=self.sides[duplicate].candidate_id,
                survivor=self.sides[survivor].candidate_id,
            )
        )

    def _elide(self, text: str) -> str:
        flat = " ".join(text.split())
        return QFontMetrics(self.font()).elidedText(flat, Qt.TextElideMode.ElideRight, VALUE_WIDTH)

    def _value_label(self, text: str, wrap: bool = False) -> QLabel:
        if not text:
            return _plain_label("—", muted=True)
        label = _plain_label(text if wrap else self._elide(text), wrap=wrap)
        if not wrap:
            label.setToolTip(text[:1000])
        label.setMaximumWidth(VALUE_WIDTH + 40)
        label.setMinimumWidth(0)
        return label

    @staticmethod
    def _field_label(text: str, top: bool = True) -> QLabel:
        label = _plain_label(text)
        vertical = Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter
        label.setAlignment(Qt.AlignmentFlag.AlignRight | vertical)
        return label

    @staticmethod
    def _separator() -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line


class DuplicatesDialog(QDialog):
    """Likely duplicates over the whole base, a group per row; merge them two at a time."""

    def __init__(
        self,
        finder: DuplicateFinder,
        merge_service: MergeService,
        prompter: Prompter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._finder = finder
        self._merge_service = merge_service
        self._prompter = prompter
        self.groups: list[DuplicateGroup] = []
        self.merge_dialog: MergeDialog | None = None
        self.setWindowTitle(_("Likely duplicates"))
        self.resize(640, 420)

        intro = _plain_label(
            _("Candidates that share an e-mail address, a phone number or a name."), wrap=True
        )
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.doubleClicked.connect(lambda _index: self.review_selected())
        self.list.selectionModel().currentChanged.connect(self._show_details)
        self.empty = _plain_label(_("No likely duplicates found."))
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = _plain_label(wrap=True)
        self.status = _plain_label(wrap=True, muted=True)

        self.review_button = QPushButton(_("Review and merge…"))
        self.review_button.clicked.connect(self.review_selected)
        self.rescan_button = QPushButton(_("Scan again"))
        self.rescan_button.clicked.connect(self.reload)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.rescan_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Scan the base again (about a second for 150,000 candidates)."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.groups = self._finder.scan()
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._fill()

    def selected_group(self) -> DuplicateGroup | None:
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        return self.groups[index.data(GROUP_ROLE)]

    def review_selected(self) -> MergeDialog | None:
        """Open the merge dialog (window-modal, not blocking) for the selected group's first two."""
        group = self.selected_group()
        if group is None or group.size < 2:
            return None
        first, second = group.candidate_ids[:2]
        dialog = MergeDialog(self._merge_service, self._prompter, first, second, self)
        dialog.merged.connect(self._on_merged)
        dialog.finished.connect(dialog.deleteLater)
        self.merge_dialog = dialog
        dialog.open()
        return dialog

    def _fill(self, keep_row: int = 0) -> None:
        self.model.clear()
        for position, group in enumerate(self.groups):
            item = QStandardItem(group_label(group))
            item.setData(position, GROUP_ROLE)
            item.setToolTip("\n".join(group.reasons[:20]))
            self.model.appendRow(item)
        has = bool(self.groups)
        self.list.setVisible(has)
        self.empty.setVisible(not has)
        self.details.setVisible(has)
        self.review_button.setEnabled(has)
        if has:
            self.list.setCurrentIndex(self.model.index(min(keep_row, len(self.groups) - 1), 0))
        self._show_details()

    def _show_details(self, *_args) -> None:
        group = self.selected_group()
        if group is None:
            self.details.clear()
            return
        members = " · ".join(
            f"{name} (#{cid})" for name, cid in zip(group.names, group.candidate_ids, strict=True)
        )
        self.details.setText(f"{members}\n{'; '.join(group.reasons)}")

    def _on_merged(self, survivor_id: int, duplicate_id: int) -> None:
        """Take the merged record out of its group without rescanning the whole base."""
        row = next((i for i, g in enumerate(self.groups) if duplicate_id in g.candidate_ids), None)
        names = {}
        if row is not None:
            group = self.groups[row]
            names = dict(zip(group.candidate_ids, group.names, strict=True))
            # The survivor may have taken the other record's name.
            names[survivor_id] = self._merge_service.side(survivor_id).name
            kept = [(cid, names[cid]) for cid in group.candidate_ids if cid != duplicate_id]
            if len(kept) >= 2:
                self.groups[row] = DuplicateGroup(
                    candidate_ids=tuple(cid for cid, _name in kept),
                    names=tuple(name for _cid, name in kept),
                    reasons=group.reasons,
                    score=group.score,
                )
            else:
                del self.groups[row]
        self._fill(keep_row=row or 0)
        self.status.setText(
            _("Merged {duplicate} (#{duplicate_id}) into #{survivor_id}.").format(
                duplicate=names.get(duplicate_id, ""),
                duplicate_id=duplicate_id,
                survivor_id=survivor_id,
            )
        )
