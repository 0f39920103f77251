"""Shared fixtures: a settable clock, a real SQLite profile in tmp_path, and the main window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.core.services import Services
from crm_desktop.paths import AppPaths, resolve_paths
from crm_desktop.profile import Profile, open_profile

# Offscreen Qt with a 1920x1080 screen (the plugin's default 800x800 clamps window sizes).
_SCREEN = os.path.join(os.path.dirname(__file__), "offscreen_screen.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"


@pytest.fixture
def clock() -> SettableClock:
    """Friday 27 November 2026, 10:00 in Berlin."""
    return SettableClock(datetime(2026, 11, 27, 10, 0), "Europe/Berlin")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "profile")


@pytest.fixture
def profile(paths: AppPaths, clock: SettableClock) -> Iterator[Profile]:
    opened = open_profile(paths, clock)
    yield opened
    opened.close()


@pytest.fixture
def services(profile: Profile) -> Services:
    return profile.services
