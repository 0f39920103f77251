"""Writer process for the crash-durability test (``test_crash_durability.py``).

Usage: ``python crash_writer.py DB_PATH BACKUPS_DIR FIRST_INDEX``

Opens the database the way the app does and, in a loop, creates a candidate (with an e-mail
contact point) and a timeline entry through the core services. Only after both commits have
returned does it print ``ACK <candidate id>`` and flush: every acknowledged id is a promise the
file must keep when the test kills this process with SIGKILL at a random moment.

It stops by itself after ``MAX_SECONDS`` so an orphan (the test itself crashed) cannot run on.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crm_desktop.clock import SystemClock
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.services import build_services
from crm_desktop.store.database import close_database, open_database

MAX_SECONDS = 30.0


def main(argv: list[str]) -> int:
    db_path, backups_dir, first_index = Path(argv[1]), Path(argv[2]), int(argv[3])
    clock = SystemClock()
    database = open_database(db_path, backups_dir, clock)
    services = build_services(database, clock)
    deadline = time.monotonic() + MAX_SECONDS
    i = first_index
    while time.monotonic() < deadline:
        candidate_id = services.candidates.create(
            CandidateInput(first_name=f"W{i}", emails=(f"w{i}@example.com",))
        )
        services.timeline.add(candidate_id, "note", f"Timeline entry for W{i}")
        sys.stdout.write(f"ACK {candidate_id}\n")
        sys.stdout.flush()
        i += 1
    close_database(database)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
