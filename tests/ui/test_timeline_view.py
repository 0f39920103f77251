"""The timeline tab: day grouping in the user's zone, paging, filtering, painting plain text,
editing with a promise, delete and undo, keyboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem

from crm_desktop.clock import SettableClock
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.timeline import PromiseInput
from crm_desktop.ui.entry_dialog import EntryDialog, from_qdatetime, to_qdatetime
from crm_desktop.ui.timeline_delegate import ENTRY_ROLE, HEADING_ROLE, TimelineDelegate
from crm_desktop.ui.timeline_model import PAGE_SIZE, TimelineModel

PAYLOAD = '<b>bold</b><script>alert("x")</script><img src=x onerror=alert(2)>&amp;'


def _rows(model) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _headings(model) -> list[str]:
    return [
        model.index(r, 0).data()
        for r in range(model.rowCount())
        if model.index(r, 0).data(HEADING_ROLE)
    ]


@pytest.fixture
def cid(services) -> int:
    return services.candidates.create(CandidateInput("Mei", "Chen", emails=("mei@example.com",)))


# --- grouping ------------------------------------------------------------------------------------


def test_days_are_grouped_in_the_users_time_zone(qtbot, services, cid):
    # Now: Friday 27 November 2026, 09:00 UTC (10:00 Berlin, 04:00 New York).
    at = [
        datetime(2026, 11, 26, 23, 30, tzinfo=UTC),  # Berlin 27th 00:30 | New York 26th 18:30
        datetime(2026, 11, 26, 22, 30, tzinfo=UTC),  # Berlin 26th 23:30 | New York 26th 17:30
        datetime(2026, 11, 24, 12, 0, tzinfo=UTC),  # Tuesday 24th everywhere
        datetime(2025, 3, 4, 12, 0, tzinfo=UTC),  # last year: the heading carries the year
    ]
    for number, when in enumerate(at):
        services.timeline.add(cid, "call", f"call {number}", occurred_at=when)
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    berlin = TimelineModel(services.timeline, SettableClock(now, "Europe/Berlin"))
    berlin.load(cid)
    assert _rows(berlin) == [
        "Today",
        "00:30  Call · call 0",
        "Yesterday",
        "23:30  Call · call 1",
        "Tuesday 24 November",
        "13:00  Call · call 2",
        "Tuesday, 4 March 2025",
        "13:00  Call · call 3",
    ]
    new_york = TimelineModel(services.timeline, SettableClock(now, "America/New_York"))
    new_york.load(cid)
    assert _headings(new_york) == ["Yesterday", "Tuesday 24 November", "Tuesday, 4 March 2025"]
    assert _rows(new_york)[1:3] == ["18:30  Call · call 0", "17:30  Call · call 1"]


def test_headings_follow_the_date_past_midnight(qtbot, services, cid, clock):
    services.timeline.add(cid, "note", "x", occurred_at=clock.now())
    model = TimelineModel(services.timeline, clock)
    model.load(cid)
    assert _headings(model) == ["Today"]
    clock.advance(timedelta(days=1))
    assert _headings(model) == ["Yesterday"]


def test_headings_use_the_locale(qtbot, services, cid, clock):
    services.timeline.add(cid, "note", "x", occurred_at=clock.now() - timedelta(days=3))
    model = TimelineModel(services.timeline, clock, locale="de_DE")
    model.load(cid)
    assert _headings(model) == ["Di., 24. November"]


# --- paging --------------------------------------------------------------------------------------


def test_pages_are_appended_not_reset_and_days_are_not_repeated(qtbot, services, cid, clock):
    total = PAGE_SIZE * 2 + 50
    base = clock.now()
    rows = [
        {"kind": "note", "summary": f"n{i}", "occurred_at": base - timedelta(hours=i)}
        for i in range(total)
    ]
    for row in rows:
        services.timeline.add(cid, row["kind"], row["summary"], occurred_at=row["occurred_at"])
    model = TimelineModel(services.timeline, clock)
    resets, inserts = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    model.load(cid)
    assert model.loaded_count() == PAGE_SIZE
    assert model.entry_count() == total
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert len(resets) == 1
    assert len(inserts) == 2
    entries = [model.index(r).data(ENTRY_ROLE) for r in range(model.rowCount())]
    summaries = [e.summary for e in entries if e is not None]
    assert summaries == [f"n{i}" for i in range(total)]
    headings = _headings(model)
    assert len(headings) == len(set(headings))  # a day split by a page boundary: one heading


def test_reload_keeps_the_loaded_pages_and_the_selection(window, services, cid, clock):
    for i in range(PAGE_SIZE + 10):
        services.timeline.add(cid, "note", f"n{i}", occurred_at=clock.now() - timedelta(hours=i))
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.model.fetchMore(QModelIndex())
    oldest = services.timeline.entries(cid, 1, PAGE_SIZE + 9)[0]
    assert timeline.select_entry(oldest.id)
    services.timeline.add(cid, "call", "a new call")  # the main window reloads the timeline
    assert timeline.model.loaded_count() == PAGE_SIZE + 11  # not back to the first page
    assert timeline.current_entry().id == oldest.id


def test_scrolling_to_the_end_fetches_the_next_page(window, qtbot, services, cid, clock):
    for i in range(PAGE_SIZE + 5):
        services.timeline.add(cid, "note", f"n{i}", occurred_at=clock.now() - timedelta(hours=i))
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.list.scrollToBottom()
    qtbot.waitUntil(lambda: timeline.model.loaded_count() == PAGE_SIZE + 5)


# --- filter --------------------------------------------------------------------------------------


def test_filter_by_kind(window, qtbot, services, cid, clock):
    services.timeline.add(cid, "call", "a call")
    services.timeline.add(cid, "note", "a note")
    services.timeline.add(cid, "advice", "some advice")
    window.open_candidate(cid)
    timeline = window.detail.timeline
    assert timeline.count_label.text() == "3 entries"
    timeline.filter.setCurrentIndex(timeline.filter.findData("advice"))
    assert _rows(timeline.model)[1].endswith("Advice · some advice")
    assert timeline.model.rowCount() == 2
    assert timeline.count_label.text() == "1 matching entry"
    timeline.filter.setCurrentIndex(timeline.filter.findData("talk"))
    assert [r.split(" · ")[-1] for r in _rows(timeline.model)[1:]] == ["a call"]
    timeline.filter.setCurrentIndex(timeline.filter.findData("referral"))
    assert timeline.empty.isVisibleTo(timeline)
    assert "No entries of this kind" in timeline.empty.text()


# --- plain text ----------------------------------------------------------------------------------


class RecordingPainter(QPainter):
    """A painter that remembers every string drawn (the delegate calls it from Python)."""

    def __init__(self, device) -> None:
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args) -> None:
        self.texts.append(next(a for a in args if isinstance(a, str)))
        super().drawText(*args)


def test_markup_in_an_entry_is_painted_literally(window, services, cid):
    services.timeline.add(cid, "note", PAYLOAD, f"line one {PAYLOAD}\n<i>second</i>")
    window.open_candidate(cid)
    timeline = window.detail.timeline
    index = timeline.model.index(1, 0)
    delegate = timeline.list.itemDelegate()
    assert isinstance(delegate, TimelineDelegate)

    option = QStyleOptionViewItem()
    option.initFrom(timeline.list)
    option.rect = QRect(QPoint(0, 0), QSize(4000, 200))  # wide: nothing is elided
    option.font = timeline.list.font()
    image = QImage(4000, 200, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    try:
        delegate.paint(painter, option, index)
    finally:
        painter.end()
    assert PAYLOAD in painter.texts
    assert f"line one {PAYLOAD}" in painter.texts
    assert "<i>second</i>" in painter.texts
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).count(PAYLOAD) == 2
    # The tooltip is rich text by construction, with the payload escaped inside it.
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("<qt>")
    assert "<script>" not in tooltip
    assert "&lt;script&gt;" in tooltip
    # No label in the tab may interpret text as markup.
    for label in timeline.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


# --- quick log and keyboard ----------------------------------------------------------------------


def test_ctrl_number_picks_the_kind_and_enter_logs(window, qtbot, services, cid):
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.summary.setFocus()
    qtbot.keyClick(timeline.summary, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert timeline.kind.currentData() == "call"
    qtbot.keyClicks(timeline.summary, "Quick chat about notice period")
    qtbot.keyClick(timeline.summary, Qt.Key.Key_Return)
    (entry,) = services.timeline.entries(cid)
    assert (entry.kind, entry.direction, entry.summary) == (
        "call",
        "both",
        "Quick chat about notice period",
    )


def test_ctrl_z_undoes_the_last_delete(window, qtbot, services, cid, clock):
    first = services.timeline.add(cid, "call", "first", occurred_at=clock.now() - timedelta(1))
    second = services.timeline.add(cid, "call", "second")
    window.open_candidate(cid)
    timeline = window.detail.timeline
    assert timeline.select_entry(second)
    timeline.delete_current()
    assert "Last contact 26 Nov" in window.detail.contact_label.text()
    assert timeline.select_entry(first)
    timeline.delete_current()
    assert "Never contacted" in window.detail.contact_label.text()
    assert timeline.undo_button.hasFocus()  # the list is empty and hidden: focus stays here
    qtbot.keyClick(timeline.undo_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.id for e in services.timeline.entries(cid)] == [first]
    assert timeline.list.hasFocus()
    qtbot.keyClick(timeline.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.id for e in services.timeline.entries(cid)] == [second, first]
    assert "Last contact 27 Nov" in window.detail.contact_label.text()
    assert not timeline.undo_action.isEnabled()


def test_switching_candidate_clears_the_undo_bar(window, services, cid):
    entry = services.timeline.add(cid, "note", "x")
    other = services.candidates.create(CandidateInput("Other"))
    window.open_candidate(cid)
    timeline = window.detail.timeline
    timeline.select_entry(entry)
    timeline.delete_current()
    window.open_candidate(other)
    assert not timeline.undo_bar.isVisibleTo(timeline)
    assert not timeline.undo_action.isEnabled()


# --- the entry dialog ----------------------------------------------------------------------------


def test_dialog_back_dates_links_a_job_and_makes_a_promise(window, qtbot, services, cid, clock):
    job = services.jobs.create_job(JobInput("Platform Lead"))
    services.pipeline.attach(cid, job, "contacted")
    dialog = EntryDialog(services.timeline, clock, cid, kind="call", summary="Pitched the role")
    qtbot.addWidget(dialog)
    tz = clock.tz()
    three_days_ago = datetime(2026, 11, 24, 16, 15, tzinfo=tz)
    dialog.when.setDateTime(to_qdatetime(three_days_ago, tz))
    dialog.duration.setValue(35)
    dialog.job.setCurrentIndex(dialog.job.findData(job))
    dialog.body.setPlainText("Interested; wants the salary band first.")
    dialog.promise_box.setChecked(True)
    dialog.promise_text.setText("Send the salary band")
    due = datetime(2026, 11, 30, 9, 0, tzinfo=tz)
    dialog.promise_due.setDateTime(to_qdatetime(due, tz))
    assert dialog.save()

    entry = services.timeline.get(dialog.entry_id)
    assert entry.occurred_at == three_days_ago
    assert (entry.kind, entry.duration_minutes, entry.job_id) == ("call", 35, job)
    assert (entry.promise.text, entry.promise.due_at) == ("Send the salary band", due)
    assert services.candidates.get(cid).last_contacted_at == three_days_ago
    titles = [item.title for item in window.today.items()]
    assert "Send the salary band" in titles


def test_dialog_shows_errors_and_keeps_the_text(qtbot, services, cid, clock):
    dialog = EntryDialog(services.timeline, clock, cid, kind="note")
    qtbot.addWidget(dialog)
    dialog.promise_box.setChecked(True)
    assert not dialog.save()
    assert dialog._errors["summary"].isVisibleTo(dialog)
    assert "empty" in dialog._errors["summary"].text()
    assert "promised" in dialog._errors["promise"].text()
    assert services.timeline.count(cid) == 0


def test_editing_drops_a_promise_and_duration_only_for_calls(qtbot, services, cid, clock):
    entry_id = services.timeline.add(
        cid, "call", "x", duration_minutes=10, promise=PromiseInput("Call back", clock.now())
    )
    dialog = EntryDialog(services.timeline, clock, cid, entry=services.timeline.get(entry_id))
    qtbot.addWidget(dialog)
    assert dialog.promise_box.isChecked()
    assert dialog.duration.value() == 10
    dialog.kind.setCurrentIndex(dialog.kind.findData("note"))
    assert not dialog.duration.isEnabled()
    assert dialog.direction.currentData() == "both"  # an edit keeps the chosen direction
    dialog.promise_box.setChecked(False)
    assert dialog.save()
    entry = services.timeline.get(entry_id)
    assert (entry.kind, entry.duration_minutes, entry.promise) == ("note", None, None)


def test_wall_clock_round_trip_through_the_editor(clock):
    tz = clock.tz()
    when = datetime(2026, 3, 29, 2, 30, tzinfo=UTC)  # the night Berlin skips 02:00-03:00
    assert from_qdatetime(to_qdatetime(when, tz), tz) == when.astimezone(tz).replace(second=0)


# --- promises kept elsewhere ---------------------------------------------------------------------


def test_keeping_a_promise_on_today_updates_the_entry(window, services, cid, clock):
    entry = services.timeline.add(
        cid, "call", "x", promise=PromiseInput("Send feedback", clock.now() + timedelta(hours=1))
    )
    window.open_candidate(cid)
    model = window.detail.timeline.model
    row = model.row_of(entry)
    assert "⚑ Promised: Send feedback" in model.entry_text(model.index(row)).promise
    reminder_id = services.timeline.get(entry).promise.reminder_id
    services.reminders.complete(reminder_id)  # as the Today panel's Done button does
    assert model.entry_text(model.index(model.row_of(entry))).promise == (
        "✓ Promise kept: Send feedback"
    )
