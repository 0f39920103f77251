"""The Today panel driven from the keyboard: done/undo, snooze, new, edit, delete, compose."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.reminders import SNOOZE_HOUR, SNOOZE_TOMORROW
from crm_desktop.core.today import TodayItem
from crm_desktop.core.validation import PartialDate
from crm_desktop.ui.prompter import ScriptedPrompter
from crm_desktop.ui.today_delegate import ITEM_ROLE
from crm_desktop.ui.today_panel import MORE_ROLE, ROWS_PER_PAGE, TodayPanel


class ScriptedAsker:
    """Answers the panel's reminder questions; records them."""

    def __init__(self, services) -> None:
        self.services = services
        self.asked: list[tuple] = []
        self.times: list[datetime | None] = []

    def new_reminder(self, candidate_id=None, candidate_name=""):
        self.asked.append(("new", candidate_id, candidate_name))
        now = self.services.clock.now()
        return self.services.reminders.create("Written", now, candidate_id=candidate_id)

    def edit_reminder(self, reminder_id):
        self.asked.append(("edit", reminder_id))
        record = self.services.reminders.get(reminder_id)
        self.services.reminders.update(reminder_id, "Edited", record.due_at)
        return True

    def pick_time(self, title, suggested):
        self.asked.append(("pick", title))
        return self.times.pop(0)


@pytest.fixture
def asker(services):
    return ScriptedAsker(services)


@pytest.fixture
def prompter():
    return ScriptedPrompter()


@pytest.fixture
def panel(qtbot, services, clock, asker, prompter):
    built = TodayPanel(services.today, services.reminders, clock, prompter=prompter, asker=asker)
    qtbot.addWidget(built)
    built.resize(340, 700)
    built.show()
    qtbot.waitExposed(built)
    built.activateWindow()
    built.tree.setFocus()
    return built


def _select(panel, key):
    assert panel.select_key(key), key
    panel.tree.setFocus()


def _keys(panel):
    return [i.key for i in panel.items()]


def _press(qtbot, panel, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(panel.tree, key, modifier)


def test_groups_counts_and_summary(panel, services, clock):
    services.reminders.create("Overdue", clock.now() - timedelta(days=2))
    services.reminders.create("Today", clock.now() + timedelta(hours=1))
    services.candidates.create(CandidateInput("Kim", birthday=PartialDate(11, 29)))
    panel.refresh()
    headers = [panel.model.item(r).text() for r in range(panel.model.rowCount())]
    assert headers == ["Overdue (1)", "Today (1)", "Next 7 days (1)"]
    assert panel.date_label.text() == "1 overdue · 1 today · 1 coming up"
    assert panel.day_label.text() == "Friday 27 November"
    lines = [panel.model.item(g).child(0).text() for g in range(3)]
    assert lines == [
        "Overdue\n2 days ago · Reminder",
        "Today\n11:00 · Reminder",
        "Kim's birthday\nSun · Birthday",
    ]


def test_empty_state(panel):
    assert panel.empty.isVisible()
    assert not panel.tree.isVisible()
    assert "all caught up" in panel.empty.text()
    assert panel.date_label.text() == "Nothing due"


def test_space_marks_done_moves_on_and_ctrl_z_undoes(qtbot, panel, services, clock):
    first = services.reminders.create("First", clock.now() + timedelta(minutes=5))
    services.reminders.create("Second", clock.now() + timedelta(minutes=10))
    panel.refresh()
    _select(panel, f"reminder:{first}")
    _press(qtbot, panel, Qt.Key.Key_Space)
    assert [i.title for i in panel.items()] == ["Second"]
    assert panel.current_item().title == "Second"  # ready for the next Space
    assert panel.undo_bar.isVisible()
    assert panel.undo_label.text() == "Done: First"
    _press(qtbot, panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [i.title for i in panel.items()] == ["First", "Second"]
    assert not panel.undo_bar.isVisible()


# A popup menu offscreen: the platform cannot raise it or grab the keyboard for it.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_s_opens_the_snooze_menu_with_its_times(qtbot, panel, services, clock):
    rid = services.reminders.create("Call", clock.now())
    panel.refresh()
    _select(panel, f"reminder:{rid}")
    _press(qtbot, panel, Qt.Key.Key_S)
    assert panel.snooze_menu.isVisible()
    labels = [a.text() for a in panel.snooze_menu.actions() if a.text()]
    assert labels == [
        "For 1 hour (11:00)",
        "Until tomorrow morning (Sat 08:30)",
        "Until next week (Mon 08:30)",
        "Pick a time…",
    ]
    panel.snooze_actions[SNOOZE_HOUR].trigger()
    panel.snooze_menu.hide()
    [item] = panel.items()
    assert item.due_at == clock.now() + timedelta(hours=1)


def test_snoozing_a_birthday_makes_a_reminder_for_tomorrow(panel, services, clock):
    cid = services.candidates.create(CandidateInput("Lena", birthday=PartialDate(11, 27)))
    panel.refresh()
    _select(panel, f"birthday:{cid}:2026-11-27")
    panel.snooze_current(SNOOZE_TOMORROW)
    [item] = panel.items()
    assert (item.kind, item.title, item.candidate_id) == ("reminder", "Lena's birthday", cid)
    assert item.on == clock.today() + timedelta(days=1)


def test_pick_a_time(panel, services, clock, asker):
    rid = services.reminders.create("Call", clock.now())
    panel.refresh()
    _select(panel, f"reminder:{rid}")
    asker.times.append(clock.now() + timedelta(days=3))
    panel.pick_time_action.trigger()
    assert asker.asked == [("pick", "Call")]
    [item] = panel.items()
    assert item.on == clock.today() + timedelta(days=3)
    asker.times.append(None)  # cancelled: nothing moves
    panel.pick_time_action.trigger()
    assert panel.items() == [item]


def test_n_writes_a_reminder_about_the_selected_candidate(qtbot, panel, services, asker):
    cid = services.candidates.create(CandidateInput("Ravi", birthday=PartialDate(11, 27)))
    panel.refresh()
    _select(panel, f"birthday:{cid}:2026-11-27")
    _press(qtbot, panel, Qt.Key.Key_N)
    assert asker.asked == [("new", cid, "Ravi")]
    assert panel.current_item().title == "Written"


def test_e_edits_and_delete_asks_first(qtbot, panel, services, clock, asker, prompter):
    rid = services.reminders.create("Call", clock.now())
    panel.refresh()
    _select(panel, f"reminder:{rid}")
    _press(qtbot, panel, Qt.Key.Key_E)
    assert asker.asked == [("edit", rid)]
    assert panel.current_item().title == "Edited"
    prompter.answers.append(False)
    _press(qtbot, panel, Qt.Key.Key_Delete)
    assert _keys(panel) == [f"reminder:{rid}"]
    prompter.answers.append(True)
    _press(qtbot, panel, Qt.Key.Key_Delete)
    assert panel.items() == []
    assert [q[1] for q in prompter.asked] == ["Delete reminder", "Delete reminder"]


def test_delete_leaves_derived_items_alone(qtbot, panel, services, prompter):
    cid = services.candidates.create(CandidateInput("Una", birthday=PartialDate(11, 27)))
    panel.refresh()
    _select(panel, f"birthday:{cid}:2026-11-27")
    _press(qtbot, panel, Qt.Key.Key_Delete)  # nothing to delete: it is derived from the data
    assert prompter.asked == []
    assert len(panel.items()) == 1


def test_enter_opens_and_c_composes(qtbot, panel, services, clock):
    cid = services.candidates.create(CandidateInput("Vera", birthday=PartialDate(11, 27)))
    services.reminders.create("Unlinked", clock.now())
    panel.refresh()
    _select(panel, f"birthday:{cid}:2026-11-27")
    with qtbot.waitSignal(panel.open_candidate) as opened:
        _press(qtbot, panel, Qt.Key.Key_Return)
    assert opened.args == [cid]
    with qtbot.waitSignal(panel.compose_requested) as composed:
        _press(qtbot, panel, Qt.Key.Key_C)
    assert composed.args[0].kind == "birthday"
    _select(panel, "reminder:1")
    assert not panel.compose_button.isEnabled()  # nobody to write to
    with qtbot.assertNotEmitted(panel.compose_requested):
        _press(qtbot, panel, Qt.Key.Key_C)


def test_long_groups_show_a_page_then_more(panel, services, clock):
    for n in range(ROWS_PER_PAGE + 5):
        services.reminders.create(f"Task {n:03}", clock.now() - timedelta(days=1, minutes=n))
    panel.refresh()
    group = panel.model.item(0)
    assert group.text() == f"Overdue ({ROWS_PER_PAGE + 5})"
    assert group.rowCount() == ROWS_PER_PAGE + 1
    more = group.child(ROWS_PER_PAGE)
    assert more.text() == "Show 5 more…"
    panel.tree.activated.emit(more.index())
    group = panel.model.item(0)
    assert group.rowCount() == ROWS_PER_PAGE + 5
    assert group.child(ROWS_PER_PAGE + 4).data(MORE_ROLE) is None


def test_rows_paint_two_lines_and_elide(panel, services, clock):
    services.reminders.create("A very long reminder title " * 5, clock.now())
    panel.refresh()
    index = panel.model.item(0).child(0).index()
    assert isinstance(index.data(ITEM_ROLE), TodayItem)
    height = panel.tree.sizeHintForIndex(index).height()
    assert height >= 2 * panel.tree.fontMetrics().height()
    image = panel.grab().toImage()  # paints every visible row through the delegate
    assert not image.isNull()


def test_midnight_moves_items_between_groups(panel, services, clock):
    services.reminders.create("Tomorrow's call", clock.now() + timedelta(days=1))
    panel.refresh()
    assert [panel.model.item(r).text() for r in range(panel.model.rowCount())] == [
        "Next 7 days (1)"
    ]
    clock.set(datetime(2026, 11, 28, 0, 0, 30))
    panel.refresh()
    assert [panel.model.item(r).text() for r in range(panel.model.rowCount())] == ["Today (1)"]
    assert panel.day_label.text() == "Saturday 28 November"


def test_thousands_of_follow_ups_come_a_page_at_a_time(panel, services, clock):
    """The service lists only a page of follow-ups; the panel counts the rest in the heading
    and fetches the next page on "Show more"."""
    when = clock.local_now() - timedelta(days=31)
    for n in range(ROWS_PER_PAGE + 3):
        cid = services.candidates.create(CandidateInput(f"Cand{n:03}"))
        services.timeline.add(cid, "call", "Caught up", occurred_at=when)
    panel.refresh()
    assert panel.view_data.more_overdue == 3
    group = panel.model.item(0)
    assert group.text() == f"Overdue ({ROWS_PER_PAGE + 3})"
    assert panel.date_label.text().startswith(f"{ROWS_PER_PAGE + 3} overdue")
    more = group.child(ROWS_PER_PAGE)
    assert more.text() == "Show 3 more…"
    panel.tree.activated.emit(more.index())
    group = panel.model.item(0)
    assert panel.view_data.more_overdue == 0
    assert group.rowCount() == ROWS_PER_PAGE + 3
    assert group.child(ROWS_PER_PAGE + 2).data(MORE_ROLE) is None
