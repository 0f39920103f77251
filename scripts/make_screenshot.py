"""Render the README screenshot: the main window over the demo data on a fixed date.

    uv run python scripts/make_screenshot.py [OUTPUT.png]

Runs offscreen (no display needed). The date is fixed so the picture only changes when the UI
or the demo data does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from crm_desktop.app import build_main_window, ensure_qapplication
from crm_desktop.clock import SettableClock
from crm_desktop.paths import resolve_paths
from crm_desktop.profile import open_profile
from crm_desktop.ui.prompter import ScriptedPrompter

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1440, 860)


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"
    clock = SettableClock(datetime(2026, 11, 27, 9, 30), "Europe/London")
    with tempfile.TemporaryDirectory() as tmp:
        profile = open_profile(resolve_paths(tmp), clock, demo=True)
        try:
            app = ensure_qapplication()
            window = build_main_window(profile, ScriptedPrompter())
            window.resize(*SIZE)
            window.show()
            # Show a candidate with a lively timeline, as a recruiter would on a first look.
            busiest = max(
                profile.services.candidate_list.ids(window.list_model.query)[:40],
                key=profile.services.timeline.count,
            )
            window.open_candidate(busiest)
            for _ in range(3):  # Today fills in after the first paint; let layouts settle
                app.processEvents()
            output.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(output))
            window.close()
        finally:
            profile.close()
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
