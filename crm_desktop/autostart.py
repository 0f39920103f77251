"""Start Rapport when the user logs in, so alerts keep coming without remembering to open it.

Each system has its own per-user mechanism, all of which need no administrator rights:

- **Linux** (and other XDG desktops): a desktop entry in ``$XDG_CONFIG_HOME/autostart``
  (``~/.config/autostart/rapport.desktop``), per the XDG Autostart specification. GNOME, KDE,
  Xfce, Cinnamon and MATE honour it.
- **macOS**: a LaunchAgent, ``~/Library/LaunchAgents/app.rapport.Rapport.plist`` with
  ``RunAtLoad``; launchd starts it at login. (Removing the file stops it from the next login.)
- **Windows**: a value named ``Rapport`` under
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` holding the quoted
  command line; it is what Task Manager's "Startup apps" lists and can disable.

The command is the running program itself: the frozen executable in a packaged build, or
``python -m crm_desktop`` from a checkout or wheel, plus any arguments that select the profile
(``--data-dir``), so the app that starts at login opens the same data.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import appdirs

from crm_desktop import APP_AUTHOR, APP_NAME

DESKTOP_FILE = "rapport.desktop"
LAUNCH_AGENT_LABEL = "app.rapport.Rapport"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = APP_NAME


def launch_command(extra_args: Sequence[str] = ()) -> list[str]:
    """How to start this Rapport again: the bundle's executable, or this interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *extra_args]
    return [sys.executable, "-m", "crm_desktop", *extra_args]


def profile_args(data_dir: Path, demo: bool = False) -> list[str]:
    """The arguments that reopen this profile: ``--data-dir`` unless it is the default folder
    (the login session may not have the ``RAPPORT_DATA_DIR`` this session has), ``--demo``
    for the demo profile (which lives in ``<data dir>/demo``)."""
    base = data_dir.parent if demo else data_dir
    default = Path(appdirs.user_data_dir(APP_NAME, APP_AUTHOR)).resolve()
    args = [] if base.resolve() == default else ["--data-dir", str(base)]
    return [*args, "--demo"] if demo else args


class Autostart(Protocol):
    """One system's way of starting a program at login."""

    def where(self) -> str:
        """Where the entry lives, to tell the user."""
        ...

    def is_enabled(self) -> bool: ...

    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/rapport.desktop``."""

    def __init__(self, environ: Mapping[str, str] | None = None, home: Path | None = None) -> None:
        environ = os.environ if environ is None else environ
        home = Path.home() if home is None else home
        config = environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        self.path = Path(config) / "autostart" / DESKTOP_FILE

    def where(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        if not self.path.exists():
            return False
        text = self.path.read_text(encoding="utf-8")
        return "Hidden=true" not in text and "X-GNOME-Autostart-enabled=false" not in text

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_NAME}",
                "Comment=Alerts for reminders, birthdays and anniversaries",
                f"Exec={desktop_exec(command)}",
                "Icon=rapport",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )
        _write_atomically(self.path, entry.encode("utf-8"))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


class LaunchAgent:
    """``~/Library/LaunchAgents/app.rapport.Rapport.plist``."""

    def __init__(self, home: Path | None = None) -> None:
        home = Path.home() if home is None else home
        self.path = home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    def where(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        return self.path.exists()

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
        _write_atomically(self.path, plistlib.dumps(agent))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


class Registry(Protocol):
    """The few registry calls the Run key needs (``WinRegistry`` is the real one)."""

    def get(self, key: str, name: str) -> str | None: ...

    def set(self, key: str, name: str, value: str) -> None: ...

    def delete(self, key: str, name: str) -> None: ...


class WinRegistry:
    """``HKEY_CURRENT_USER`` through ``winreg`` (imported only on Windows)."""

    def get(self, key: str, name: str) -> str | None:
        import winreg  # Windows only

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                value, _kind = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, key: str, name: str, value: str) -> None:
        import winreg  # Windows only

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete(self, key: str, name: str) -> None:
        import winreg  # Windows only

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass


class WindowsRunKey:
    """The ``Rapport`` value of the current user's ``Run`` key."""

    def __init__(self, registry: Registry | None = None) -> None:
        self._registry = registry if registry is not None else WinRegistry()

    def where(self) -> str:
        return rf"HKEY_CURRENT_USER\{RUN_KEY}\{RUN_VALUE}"

    def is_enabled(self) -> bool:
        return bool(self._registry.get(RUN_KEY, RUN_VALUE))

    def enable(self, command: Sequence[str]) -> None:
        self._registry.set(RUN_KEY, RUN_VALUE, subprocess.list2cmdline(list(command)))

    def disable(self) -> None:
        self._registry.delete(RUN_KEY, RUN_VALUE)


def for_this_system(platform: str | None = None) -> Autostart:
    """The autostart mechanism of the system Rapport runs on."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()


def desktop_exec(command: Sequence[str]) -> str:
    """A command line for a desktop entry's ``Exec`` key (XDG Desktop Entry spec, "The Exec
    key"): arguments with reserved characters are double-quoted, with ``"`` `` ` `` ``$`` and
    ``\\`` escaped inside; ``%`` is doubled because it starts field codes. The whole value then
    gets the general string escaping (backslashes doubled)."""
    quoted = []
    for arg in command:
        arg = arg.replace("%", "%%")
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            quoted.append(arg)
            continue
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        quoted.append(f'"{escaped}"')
    return " ".join(quoted).replace("\\", "\\\\")


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
