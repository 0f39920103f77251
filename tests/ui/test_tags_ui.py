"""The tags dialog and tag chips, through the real widgets over a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.tags import TagInfo, TagService
from crm_desktop.ui.tag_chips import TagChips, chip_style, chip_text_colour
from crm_desktop.ui.tags_dialog import COLOUR_ROLE, TagsDialog


@pytest.fixture
def tags(services, clock) -> TagService:
    return TagService(clock, services.hub, services.database)


@pytest.fixture
def colours() -> dict[str, list[QColor]]:
    """The fake colour picker's ``answers`` (none left: cancelled) and what it was ``offered``."""
    return {"answers": [], "offered": []}


@pytest.fixture
def make_dialog(qtbot, tags, prompter, colours):
    def build() -> TagsDialog:
        def picker(initial: QColor) -> QColor | None:
            colours["offered"].append(initial)
            return colours["answers"].pop(0) if colours["answers"] else None

        dialog = TagsDialog(tags, prompter, colour_picker=picker)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return build


def _candidates(services, count: int) -> list[int]:
    with services.database.atomic():
        return [services.candidates.create(CandidateInput(f"C{i}")) for i in range(count)]


def _edit_in_place(qtbot, dialog: TagsDialog, text: str) -> None:
    """Press Rename, type into the in-place editor, press Enter."""
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    editor = dialog.list.indexWidget(dialog.list.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: dialog.list.state() != QAbstractItemView.State.EditingState)


def test_empty_state_then_add_through_the_name_field(make_dialog, qtbot, tags):
    dialog = make_dialog()
    assert dialog.stack.currentWidget() is dialog.empty
    assert "No tags yet" in dialog.empty.text()
    assert not dialog.delete_button.isEnabled()

    qtbot.keyClicks(dialog.name_edit, "  Java Pune ")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert [t.name for t in tags.all()] == ["Java Pune"]
    assert dialog.stack.currentWidget() is dialog.list
    assert dialog.tag_names() == ["Java Pune"]
    assert dialog.name_edit.text() == ""
    assert dialog.selected_ids() == [tags.all()[0].id]

    qtbot.keyClicks(dialog.name_edit, "JAVA pune")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisible()
    assert "“Java Pune” already exists" in dialog.error_label.text()
    assert dialog.name_edit.text() == "JAVA pune"  # kept for correcting
    assert len(tags.all()) == 1

    dialog.name_edit.setText("Alumni 2025")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.isVisible()
    assert dialog.tag_names() == ["Alumni 2025", "Java Pune"]
    assert len({t.colour for t in tags.all()}) == 2  # new tags get distinct colours


def test_rename_in_place_rejects_a_duplicate_and_reverts(make_dialog, qtbot, tags):
    java = tags.create("Java")
    tags.create("Python")
    dialog = make_dialog()
    dialog.select_ids([java])

    _edit_in_place(qtbot, dialog, "python")
    assert dialog.error_label.isVisible()
    assert "“Python” already exists" in dialog.error_label.text()
    assert dialog.tag_names() == ["Java", "Python"]
    assert dialog.model.item(0).text() == "Java"
    assert tags.get(java).name == "Java"

    _edit_in_place(qtbot, dialog, "  Zig   Berlin ")
    assert not dialog.error_label.isVisible()
    assert tags.get(java).name == "Zig Berlin"
    assert dialog.tag_names() == ["Python", "Zig Berlin"]  # re-sorted
    assert dialog.model.item(1).text() == "Zig Berlin"
    assert dialog.selected_ids() == [java]


def test_colour_comes_from_the_picker(make_dialog, qtbot, tags, colours):
    java = tags.create("Java", "#607d8b")
    dialog = make_dialog()
    dialog.select_ids([java])

    colours["answers"].append(QColor("#E53935"))
    qtbot.mouseClick(dialog.colour_button, Qt.MouseButton.LeftButton)
    assert tags.get(java).colour == "#e53935"
    assert colours["offered"][-1].name() == "#607d8b"  # it started from the current colour
    assert dialog.model.item(0).data(COLOUR_ROLE) == "#e53935"

    qtbot.mouseClick(dialog.colour_button, Qt.MouseButton.LeftButton)  # cancelled
    assert colours["offered"][-1].name() == "#e53935"
    assert tags.get(java).colour == "#e53935"


def test_merge_asks_which_survives_and_confirms(make_dialog, qtbot, tags, services, prompter):
    a, b, c = _candidates(services, 3)
    java = tags.create("Java")
    java_dev = tags.create("Java developers")
    other = tags.create("Alumni")
    tags.add([a, b], java)
    tags.add([b, c], java_dev)
    tags.add([c], other)
    tags.add([a], other)
    tags.create("Tiny")
    dialog = make_dialog()

    dialog.select_ids([java])
    assert not dialog.merge_button.isEnabled()
    dialog.select_ids([java, java_dev])
    assert dialog.merge_button.isEnabled()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.merge_row.isVisible()
    assert [dialog.merge_target.itemText(i) for i in range(2)] == ["Java", "Java developers"]
    dialog.merge_target.setCurrentIndex(1)

    prompter.answers.extend([False, True])
    qtbot.mouseClick(dialog.merge_confirm_button, Qt.MouseButton.LeftButton)
    assert len(tags.all()) == 4  # declined: nothing happened
    kind, title, text = prompter.asked[-1]
    assert (kind, title) == ("confirm", "Merge tags")
    assert "“Java” into “Java developers”" in text

    qtbot.mouseClick(dialog.merge_confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.tag_names() == ["Alumni", "Java developers", "Tiny"]
    assert tags.get(java_dev).count == 3
    assert not dialog.merge_row.isVisible()
    assert dialog.selected_ids() == [java_dev]


def test_delete_confirms_with_the_candidate_count(make_dialog, qtbot, tags, services, prompter):
    ids = _candidates(services, 3)
    pool = tags.create("Pune relocation")
    tags.add(ids, pool)
    dialog = make_dialog()
    dialog.select_ids([pool])

    prompter.answers.extend([False, True])
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert tags.all() != []
    assert "“Pune relocation”" in prompter.asked[-1][2]
    assert "3 candidates" in prompter.asked[-1][2]

    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert tags.all() == []
    assert services.candidate_list.count() == 3
    assert dialog.stack.currentWidget() is dialog.empty


def test_html_in_a_tag_name_is_shown_literally(qtbot, make_dialog, tags, services):
    name = "<b>VIP</b> & <i>co</i>"
    tag_id = tags.create(name, "#fdd835")
    [cid] = _candidates(services, 1)
    tags.add([cid], tag_id)
    chips = TagChips(max_chips=1)
    qtbot.addWidget(chips)
    chips.set_tags(tags.tags_of(cid))
    [chip] = chips.chips()
    assert chip.textFormat() == Qt.TextFormat.PlainText
    assert chip.text() == name
    assert "#000000" in chip.styleSheet()  # dark text on yellow

    dialog = make_dialog()
    assert dialog.tag_names() == [name]
    assert dialog.model.item(0).text() == name


def test_chips_overflow_into_a_count_whose_tooltip_is_escaped(qtbot):
    chips = TagChips(max_chips=2)
    qtbot.addWidget(chips)
    assert chips.isHidden()  # no tags: takes no room
    chips.set_tags(
        [
            TagInfo(1, "Alumni", "#1e88e5"),
            TagInfo(2, "Java", "#283593"),
            TagInfo(3, "<script>x</script>", "#43a047"),
            TagInfo(4, "Pune", "#e53935"),
        ]
    )
    labels = chips.chips()
    assert [label.text() for label in labels] == ["Alumni", "Java", "+2"]
    assert "&lt;script&gt;x&lt;/script&gt;" in labels[-1].toolTip()
    assert "color: #ffffff" in labels[1].styleSheet()  # white on dark indigo
    chips.set_tags([])
    assert chips.chips() == []
    assert chips.isHidden()


@pytest.mark.parametrize(
    ("colour", "text"),
    [
        ("#000000", "#ffffff"),
        ("#ffffff", "#000000"),
        ("#fdd835", "#000000"),
        ("#3949ab", "#ffffff"),
    ],
)
def test_chip_text_contrasts_with_its_colour(colour, text):
    assert chip_text_colour(colour) == text


def test_a_bad_colour_falls_back_to_the_default():
    assert chip_text_colour("not a colour") == chip_text_colour("#607d8b")
    assert "background-color: #607d8b;" in chip_style("red; image: url(x)")
