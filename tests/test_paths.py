"""Where data lives: overrides, a separate demo profile, owner-only files, no side effects."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crm_desktop.paths import DATA_DIR_ENV, resolve_paths


def test_explicit_dir_beats_environment_which_beats_platform_default(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert resolve_paths(tmp_path / "arg").data_dir == tmp_path / "arg"
    assert resolve_paths().data_dir == tmp_path / "env"
    monkeypatch.delenv(DATA_DIR_ENV)
    assert "rapport" in str(resolve_paths().data_dir).lower()


def test_demo_profile_is_separate(tmp_path):
    real = resolve_paths(tmp_path)
    demo = resolve_paths(tmp_path, demo=True)
    assert demo.db_file != real.db_file
    assert demo.data_dir == tmp_path / "demo"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_directories_and_database_are_owner_only(profile, paths):
    for directory in (paths.data_dir, paths.backups_dir, paths.attachments_dir, paths.logs_dir):
        assert directory.stat().st_mode & 0o777 == 0o700
    assert paths.db_file.stat().st_mode & 0o777 == 0o600


def test_importing_the_package_creates_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    code = "import crm_desktop.cli, crm_desktop.app, crm_desktop.paths"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    env.pop(DATA_DIR_ENV, None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert list(home.iterdir()) == []
