"""Preferences: digest time, default cadences, close-to-tray, start at login."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime

from crm_desktop.autostart import XdgAutostart
from crm_desktop.core.preferences import (
    CLOSE_TO_TRAY,
    DIGEST_ENABLED,
    DIGEST_TIME,
    FOLLOW_UP_DAYS,
    START_AT_LOGIN,
)
from crm_desktop.ui.preferences_dialog import PreferencesDialog
from crm_desktop.ui.prompter import ScriptedPrompter

COMMAND = ["/usr/bin/python3", "-m", "crm_desktop"]


def _dialog(qtbot, services, entry, prompter, tray=True):
    dialog = PreferencesDialog(services.preferences, entry, COMMAND, prompter, tray_available=tray)
    qtbot.addWidget(dialog)
    return dialog


def test_shows_and_saves_every_preference(qtbot, services, tmp_path):
    entry = XdgAutostart(environ={"XDG_CONFIG_HOME": str(tmp_path)}, home=tmp_path)
    dialog = _dialog(qtbot, services, entry, ScriptedPrompter())
    assert dialog.digest_time.time() == QTime(8, 30)
    assert {s: spin.value() for s, spin in dialog.cadence.items()} == {
        "active": 30,
        "passive": 90,
        "placed": 90,
    }
    assert dialog.close_to_tray.isChecked()
    assert not dialog.start_at_login.isChecked()

    dialog.digest_time.setTime(QTime(7, 45))
    dialog.cadence["active"].setValue(14)
    dialog.cadence["passive"].setValue(0)
    assert dialog.cadence["passive"].text() == "Never"
    dialog.close_to_tray.setChecked(False)
    dialog.start_at_login.setChecked(True)
    assert dialog.save()

    prefs = services.preferences
    assert prefs.get(DIGEST_TIME) == time(7, 45)
    assert prefs.get(FOLLOW_UP_DAYS) == {"active": 14, "passive": None, "placed": 90}
    assert prefs.get(CLOSE_TO_TRAY) is False
    assert prefs.get(START_AT_LOGIN) is True
    assert entry.is_enabled()
    assert "crm_desktop" in entry.path.read_text()

    again = _dialog(qtbot, services, entry, ScriptedPrompter())
    assert again.start_at_login.isChecked()
    again.start_at_login.setChecked(False)
    again.digest_enabled.setChecked(False)
    assert not again.digest_time.isEnabled()
    assert again.save()
    assert not entry.is_enabled()
    assert prefs.get(DIGEST_ENABLED) is False


def test_without_a_tray_close_to_tray_is_off_and_left_alone(qtbot, services, tmp_path):
    entry = XdgAutostart(environ={"XDG_CONFIG_HOME": str(tmp_path)}, home=tmp_path)
    dialog = _dialog(qtbot, services, entry, ScriptedPrompter(), tray=False)
    assert not dialog.close_to_tray.isEnabled()
    assert not dialog.close_to_tray.isChecked()
    assert dialog.save()
    assert services.preferences.get(CLOSE_TO_TRAY) is True  # kept for a desktop with a tray


def test_an_unwritable_autostart_folder_is_reported(qtbot, services, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    entry = XdgAutostart(environ={"XDG_CONFIG_HOME": str(blocked)}, home=tmp_path)
    prompter = ScriptedPrompter()
    dialog = _dialog(qtbot, services, entry, prompter)
    dialog.start_at_login.setChecked(True)
    assert not dialog.save()
    [(kind, title, _text)] = prompter.asked
    assert (kind, title) == ("error", "Cannot change start at login")
    assert services.preferences.get(START_AT_LOGIN) is False
