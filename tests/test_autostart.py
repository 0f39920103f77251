"""Start at login: the XDG autostart entry, the macOS LaunchAgent and the Windows Run key."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import appdirs
import pytest

from crm_desktop import autostart
from crm_desktop.autostart import (
    LaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    desktop_exec,
    for_this_system,
    launch_command,
    profile_args,
)

COMMAND = ["/opt/My Apps/python3", "-m", "crm_desktop", "--data-dir", "/home/ann/Rapport 100%"]


def test_xdg_entry_is_written_where_the_desktop_looks_and_removed(tmp_path):
    entry = XdgAutostart(environ={"XDG_CONFIG_HOME": str(tmp_path / "cfg")}, home=tmp_path)
    assert entry.path == tmp_path / "cfg" / "autostart" / "rapport.desktop"
    assert not entry.is_enabled()
    entry.enable(COMMAND)
    assert entry.is_enabled()
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.optionxform = str
    parsed.read(entry.path, encoding="utf-8")
    section = parsed["Desktop Entry"]
    assert (section["Type"], section["Name"], section["Terminal"]) == (
        "Application",
        "Rapport",
        "false",
    )
    exec_line = section["Exec"].replace("\\\\", "\\").replace("%%", "%")
    assert shlex.split(exec_line) == COMMAND
    entry.disable()
    assert not entry.path.exists()
    entry.disable()  # twice is fine


def test_xdg_defaults_to_dot_config(tmp_path):
    assert XdgAutostart(environ={}, home=tmp_path).path == (
        tmp_path / ".config" / "autostart" / "rapport.desktop"
    )


def test_a_disabled_entry_left_by_the_desktop_counts_as_off(tmp_path):
    entry = XdgAutostart(environ={}, home=tmp_path)
    entry.enable(COMMAND)
    entry.path.write_text(entry.path.read_text() + "Hidden=true\n")
    assert not entry.is_enabled()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/usr/bin/rapport"], "/usr/bin/rapport"),
        (["/a b/c", "x"], '"/a b/c" x'),
        (['say "hi"', "$HOME"], '"say \\\\"hi\\\\"" "\\\\$HOME"'),
        (["50%"], "50%%"),
    ],
)
def test_desktop_exec_quoting(command, expected):
    assert desktop_exec(command) == expected


def test_launch_agent_plist(tmp_path):
    agent = LaunchAgent(home=tmp_path)
    assert agent.path == tmp_path / "Library/LaunchAgents/app.rapport.Rapport.plist"
    agent.enable(COMMAND)
    data = plistlib.loads(agent.path.read_bytes())
    assert data == {
        "Label": "app.rapport.Rapport",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert agent.is_enabled()
    agent.disable()
    assert not agent.is_enabled()


class MemoryRegistry:
    """Stands in for HKEY_CURRENT_USER, which only exists on Windows."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get(self, key, name):
        return self.values.get((key, name))

    def set(self, key, name, value):
        self.values[(key, name)] = value

    def delete(self, key, name):
        self.values.pop((key, name), None)


def test_windows_run_key_holds_the_quoted_command():
    registry = MemoryRegistry()
    run = WindowsRunKey(registry)
    assert not run.is_enabled()
    command = [r"C:\Program Files\Rapport\rapport.exe", "--data-dir", r"D:\My data"]
    run.enable(command)
    key = (r"Software\Microsoft\Windows\CurrentVersion\Run", "Rapport")
    assert registry.values[key] == subprocess.list2cmdline(command)
    assert registry.values[key].startswith('"C:\\Program Files\\Rapport\\rapport.exe"')
    assert run.is_enabled()
    assert run.where().endswith(r"CurrentVersion\Run\Rapport")
    run.disable()
    assert not run.is_enabled()


def test_the_mechanism_follows_the_platform():
    assert isinstance(for_this_system("linux"), XdgAutostart)
    assert isinstance(for_this_system("darwin"), LaunchAgent)
    assert isinstance(for_this_system("win32"), WindowsRunKey)


def test_launch_command_is_this_program(monkeypatch):
    assert launch_command(["--data-dir", "/d"]) == [
        sys.executable,
        "-m",
        "crm_desktop",
        "--data-dir",
        "/d",
    ]
    monkeypatch.setattr(autostart.sys, "frozen", True, raising=False)
    assert launch_command() == [sys.executable]


def test_profile_args_reopen_the_same_profile(tmp_path):
    default = Path(appdirs.user_data_dir("Rapport", "Rapport"))
    assert profile_args(default) == []
    assert profile_args(tmp_path / "work") == ["--data-dir", str(tmp_path / "work")]
    assert profile_args(tmp_path / "work" / "demo", demo=True) == [
        "--data-dir",
        str(tmp_path / "work"),
        "--demo",
    ]
