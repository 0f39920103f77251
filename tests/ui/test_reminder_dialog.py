"""The reminder dialog: write, validate, edit; times typed in the app clock's zone."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone

from crm_desktop.clock import SettableClock
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.profile import open_profile
from crm_desktop.ui.reminder_dialog import PickTimeDialog, ReminderDialog, from_editor, to_editor


def _local(clock, when):
    return when.astimezone(clock.tz()).replace(tzinfo=None)


def _dialog(qtbot, services, clock, **kwargs):
    dialog = ReminderDialog(
        services.reminders,
        clock,
        candidates=services.candidate_list,
        jobs=services.jobs,
        **kwargs,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_write_a_reminder(qtbot, services, clock):
    cid = services.candidates.create(CandidateInput("Nadia", "Haddad"))
    job = services.jobs.create_job(JobInput("Data Engineer"))
    dialog = _dialog(qtbot, services, clock)
    assert _local(clock, dialog.due_at()) == datetime(2026, 11, 27, 11, 0)  # next whole hour
    qtbot.keyClicks(dialog.title, "Ask about the notice period")
    [tomorrow] = [
        b
        for b in dialog.findChildren(type(dialog.clear_candidate))
        if b.text() == "Tomorrow morning"
    ]
    qtbot.mouseClick(tomorrow, Qt.MouseButton.LeftButton)
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("weekly"))
    dialog.picker.setText("Nadia")
    dialog.picker.refresh_suggestions()
    dialog.picker.returnPressed.emit()
    assert dialog.candidate_label.text() == "Nadia Haddad"
    dialog.job.setCurrentIndex(dialog.job.findData(job))
    dialog.notes.setPlainText("They start in March")
    assert dialog.save()
    record = services.reminders.get(dialog.saved_id)
    assert record.title == "Ask about the notice period"
    assert _local(clock, record.due_at) == datetime(2026, 11, 28, 8, 30)
    assert (record.recurrence, record.candidate_id, record.job_id) == ("weekly", cid, job)
    assert record.notes == "They start in March"


def test_problems_are_shown_and_nothing_is_saved(qtbot, services, clock):
    dialog = _dialog(qtbot, services, clock)
    dialog.show()
    assert not dialog.save()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "A reminder needs a title"
    assert dialog.saved_id is None
    assert services.today.compute().total == 0


def test_edit_loads_the_reminder_and_can_unlink_the_candidate(qtbot, services, clock):
    cid = services.candidates.create(CandidateInput("Omar"))
    rid = services.reminders.create(
        "Call", clock.now() + timedelta(days=1), candidate_id=cid, recurrence="monthly"
    )
    dialog = _dialog(qtbot, services, clock, record=services.reminders.get(rid))
    assert dialog.windowTitle() == "Edit reminder"
    assert (dialog.title.text(), dialog.repeat.currentData()) == ("Call", "monthly")
    assert dialog.candidate_label.text() == "Omar"
    dialog.clear_candidate.click()
    assert dialog.candidate_label.text() == "Not linked"
    assert dialog.save()
    assert services.reminders.get(rid).candidate_id is None


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
def test_times_are_typed_in_the_app_zone_not_the_systems(qtbot, tmp_path, zone):
    from crm_desktop.paths import resolve_paths

    clock = SettableClock(datetime(2027, 3, 13, 20, 0), zone)  # New York: DST starts tomorrow
    profile = open_profile(resolve_paths(tmp_path / "p"), clock)
    try:
        services = profile.services
        dialog = ReminderDialog(services.reminders, clock)
        qtbot.addWidget(dialog)
        dialog.title.setText("Early call")
        dialog.due.setDateTime(QDateTime(QDate(2027, 3, 14), QTime(9, 0), QTimeZone.utc()))
        assert dialog.save()
        due = services.reminders.get(dialog.saved_id).due_at
        assert _local(clock, due) == datetime(2027, 3, 14, 9, 0)
    finally:
        profile.close()


def test_editor_round_trip_keeps_the_wall_time(clock):
    when = clock.now() + timedelta(days=120)  # across a DST change
    assert from_editor(to_editor(when, clock.tz()), clock.tz()) == when.replace(second=0)


def test_pick_time_dialog(qtbot, clock):
    dialog = PickTimeDialog("Call", clock.now() + timedelta(hours=2), clock)
    qtbot.addWidget(dialog)
    assert dialog.chosen() == clock.now() + timedelta(hours=2)
    dialog.editor.setDateTime(to_editor(clock.now() - timedelta(days=1), clock.tz()))
    assert dialog.chosen() >= clock.now()  # no snoozing into the past


def test_written_from_a_job_the_job_is_preset(qtbot, services, clock):
    job = services.jobs.create_job(JobInput("Nurse"))
    dialog = _dialog(qtbot, services, clock, job_id=job)
    assert dialog.job.currentData() == job
    dialog.title.setText("Post the role")
    assert dialog.save()
    assert services.reminders.get(dialog.saved_id).job_id == job
