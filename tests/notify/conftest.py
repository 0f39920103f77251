"""Fixtures for the notification tests: the real main window over a real database, built the
way the app builds it (``app.build_main_window``)."""

from __future__ import annotations

import pytest

from crm_desktop.app import build_main_window
from crm_desktop.profile import Profile
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.prompter import ScriptedPrompter


@pytest.fixture
def prompter() -> ScriptedPrompter:
    return ScriptedPrompter()


@pytest.fixture
def window(qtbot, profile: Profile, prompter: ScriptedPrompter) -> MainWindow:
    built = build_main_window(profile, prompter)
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    return built
