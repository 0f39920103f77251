"""UI fixtures: the real main window over a real database, with a scripted prompter."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings

from crm_desktop.profile import Profile
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.prompter import ScriptedPrompter


@pytest.fixture
def prompter() -> ScriptedPrompter:
    return ScriptedPrompter()


@pytest.fixture
def make_window(qtbot, profile: Profile, prompter: ScriptedPrompter) -> Callable[[], MainWindow]:
    def build() -> MainWindow:
        settings = QSettings(str(profile.paths.data_dir / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(profile.services, prompter, settings, profile.paths.attachments_dir)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return build


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()
