"""The real system tray: Xvfb plus a tray host (Debian's ``trayer``), Qt's xcb platform.

The suite runs offscreen, where no tray exists, so this test starts its own X server on a free
display, a tray host on it, and runs the Qt part in a child process (``tray_probe.py``). It
checks that Qt sees the tray, that the morning digest went out through
``QSystemTrayIcon.showMessage`` (the notifier's ``alerted`` signal), that clicking the message
opens the item, and it keeps a screenshot of the whole screen with the alert showing.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("tray_probe.py")
SCREENSHOT = Path("/tmp/rapport-tray-alert.png")
REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.tray,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("trayer")),
        reason="needs Xvfb and a tray host (apt-get install xvfb trayer)",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 tray test (Linux)"),
]


def _start_xvfb() -> tuple[subprocess.Popen, int]:
    """Start an Xvfb of our own on a display number nobody uses (other test runs or desktops on
    the machine may hold some), confirmed ready (``-displayfd``). Returns it and its number."""
    for number in random.sample(range(100, 1000), 25):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        read_end, write_end = os.pipe()
        xvfb = subprocess.Popen(
            [
                *("Xvfb", f":{number}", "-displayfd", str(write_end)),
                *("-screen", "0", "1280x800x24", "-nolisten", "tcp"),
            ],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        try:
            ready, _, _ = select.select([read_end], [], [], 15)
            text = os.read(read_end, 64).decode().strip() if ready else ""
        finally:
            os.close(read_end)
        if text == str(number) and _serving(xvfb, number):
            return xvfb, number
        _stop(xvfb)  # lost a race for that display: try another
    pytest.skip("could not start an Xvfb on a free display")


def _serving(xvfb: subprocess.Popen, number: int) -> bool:
    """Whether our Xvfb is up on ``number``. (With ``-displayfd`` Xvfb writes no lock file, so
    two servers left to choose their own number can both take :0; hence explicit numbers.)"""
    return xvfb.poll() is None and Path(f"/tmp/.X11-unix/X{number}").exists()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def x_display(tmp_path) -> Iterator[dict[str, str]]:
    """An Xvfb with trayer on it; yields the environment for programs to use it."""
    xvfb, number = _start_xvfb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")}
    # No session bus: Qt then uses the XEmbed tray (trayer) rather than a D-Bus watcher.
    env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=str(tmp_path / "c"))
    trayer = None
    try:
        trayer = subprocess.Popen(
            [
                *("trayer", "--edge", "top", "--align", "right", "--widthtype", "request"),
                *("--height", "28", "--SetDockType", "true", "--tint", "0x303030"),
                *("--transparent", "true", "--alpha", "0"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        yield env
    finally:
        if trayer is not None:
            _stop(trayer)
        _stop(xvfb)


def test_alerts_go_through_the_real_tray_and_clicking_opens(tmp_path):
    shot = tmp_path / "tray.png"
    for attempt in range(3):
        # A loaded machine can leave a fresh Xvfb unreachable: that is the display, not
        # Rapport, so start a new one (with its tray host) and try again before judging.
        with x_display(tmp_path) as env:
            done = subprocess.run(
                [sys.executable, str(PROBE), str(tmp_path / f"profile{attempt}"), str(shot)],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        if "could not connect to display" not in done.stderr:
            break
        time.sleep(2)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["tray_available"] is True
    assert result["notifier"] == "TrayNotifier"
    assert result["tray_visible"] is True
    assert result["alerted"] == [
        {"kind": "digest", "title": "Today: 1 reminder, 1 birthday"},
    ]
    assert result["selected"] == f"birthday:{result['expected_candidate']}:2026-11-27"
    assert result["current_candidate"] == result["expected_candidate"]
    assert shot.stat().st_size > 10_000  # a real picture of the screen, not an empty file
    shutil.copyfile(shot, SCREENSHOT)
