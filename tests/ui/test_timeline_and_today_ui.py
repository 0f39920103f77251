"""The timeline tab and the Today panel, driven through their widgets."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import PartialDate
from crm_desktop.ui.timeline_delegate import ENTRY_ROLE, HEADING_ROLE


def _rows(model):
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_quick_log_adds_newest_first_under_day_headings(window, qtbot, services, clock):
    cid = services.candidates.create(CandidateInput("Mei", "Chen"))
    services.timeline.add(cid, "call", "Old call", occurred_at=clock.now() - timedelta(days=1))
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.kind.setCurrentIndex(timeline.kind.findData("call"))
    qtbot.keyClicks(timeline.summary, "Discussed the offer")
    qtbot.keyClick(timeline.summary, Qt.Key.Key_Return)

    rows = _rows(timeline.model)
    assert rows[0] == "Today"
    assert rows[1].endswith("Call · Discussed the offer")
    assert rows[2] == "Yesterday"
    assert rows[3].endswith("Call · Old call")
    assert timeline.model.index(0, 0).data(HEADING_ROLE)
    assert timeline.summary.text() == ""
    # Logging a call moved "Last contact" in the list and in the header.
    assert window.list_model.index(0, 5).data() == "27 Nov"
    assert "Last contact 27 Nov" in window.detail.contact_label.text()


def test_markup_in_a_note_is_shown_literally(window, services):
    payload = "<b>bold</b><script>alert(1)</script><img src=x onerror=alert(2)>"
    cid = services.candidates.create(CandidateInput("Eve", "<i>Hacker</i>"))
    services.timeline.add(cid, "note", payload)
    window.open_candidate(cid)
    entry_row = window.detail.timeline.model.index(1, 0)
    assert entry_row.data().endswith(payload)
    assert entry_row.data(ENTRY_ROLE).summary == payload
    assert window.detail.name_label.text() == "Eve <i>Hacker</i>"
    assert window.detail.name_label.textFormat() == Qt.TextFormat.PlainText


def test_empty_log_shows_why_and_saves_nothing(window, qtbot, services):
    cid = services.candidates.create(CandidateInput("Empty"))
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.log_entry()
    assert timeline.error.isVisibleTo(timeline)
    assert "empty" in timeline.error.text()
    assert services.timeline.count(cid) == 0


def test_delete_entry_at_once_and_undo_it(window, qtbot, services, prompter):
    cid = services.candidates.create(CandidateInput("Del"))
    entry = services.timeline.add(cid, "note", "remove me")
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.list.setCurrentIndex(timeline.model.index(1, 0))
    timeline.list.setFocus()
    qtbot.keyClick(timeline.list, Qt.Key.Key_Delete)
    assert prompter.asked == []  # undo instead of a confirmation
    assert services.timeline.count(cid) == 0
    assert timeline.empty.isVisibleTo(timeline)
    assert timeline.undo_bar.isVisibleTo(timeline)
    assert timeline.undo_label.full_text() == "Deleted “remove me”."
    qtbot.mouseClick(timeline.undo_button, Qt.MouseButton.LeftButton)
    assert [e.id for e in services.timeline.entries(cid)] == [entry]
    assert timeline.current_entry().id == entry
    assert not timeline.undo_bar.isVisibleTo(timeline)


def test_today_panel_lists_groups_and_marks_done(window, qtbot, services, clock):
    cid = services.candidates.create(
        CandidateInput("Sofia", "Rossi", birthday=PartialDate(11, 27, 1994))
    )
    services.reminders.create("Call Sofia about the offer", clock.now(), candidate_id=cid)
    services.reminders.create("Send invoice", clock.now() + timedelta(days=2))
    panel = window.today
    headers = _rows(panel.model)
    assert headers == ["Today (2)", "Next 7 days (1)"]
    today_group = panel.model.item(0)
    lines = [today_group.child(r).text() for r in range(today_group.rowCount())]
    assert any("Sofia Rossi's birthday\nTurns 32" in line for line in lines)

    panel.tree.setCurrentIndex(today_group.child(0).index())
    first = panel.current_item()
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    remaining = [i.key for i in panel.items()]
    assert first.key not in remaining
    assert len(remaining) == 2


def test_opening_an_item_selects_its_candidate(window, services, clock):
    services.candidates.create(CandidateInput("Aaron", "First"))
    cid = services.candidates.create(CandidateInput("Zed", "Last"))
    services.reminders.create("Ping Zed", clock.now(), candidate_id=cid)
    group = window.today.model.item(0)
    window.today.tree.setCurrentIndex(group.child(0).index())
    window.today.open_button.click()
    assert window.candidate_list.current_id() == cid
    assert window.detail.name_label.text() == "Zed Last"


def test_panel_rolls_over_at_midnight(window, services, clock):
    services.reminders.create("Tomorrow's call", clock.now() + timedelta(days=1))
    assert [i.title for i in window.today.view_data.upcoming] == ["Tomorrow's call"]
    clock.advance(timedelta(days=1))
    window.check_day_rollover()
    assert [i.title for i in window.today.view_data.today] == ["Tomorrow's call"]


def test_uncaught_exception_is_logged_and_shown(qtbot, prompter, tmp_path, caplog):
    from crm_desktop.ui.crash_handler import CrashHandler

    handler = CrashHandler(prompter, str(tmp_path / "rapport.log"))
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        handler.handle(type(exc), exc, exc.__traceback__)
    kind, _title, text = prompter.asked[-1]
    assert kind == "error"
    assert "RuntimeError: boom" in text
    assert "Uncaught exception" in caplog.text
