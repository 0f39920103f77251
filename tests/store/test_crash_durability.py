"""A committed edit survives the app being killed at any moment.

``crash_writer.py`` writes in a loop and acknowledges each candidate on stdout only after its
commits returned. We SIGKILL it at a random moment, many times over the same file, and after
every kill check that each acknowledged candidate is there with its contact point and timeline
entry, and that the file passes ``integrity_check``.

This covers process crashes (the OS still holds the written pages). Power loss is what
``synchronous=FULL`` is for; simulating it needs a VM or a fault-injecting file system, which is
out of reach of a unit test.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import peewee
import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.store.database import close_database, integrity_ok, open_database

WRITER = Path(__file__).resolve().with_name("crash_writer.py")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUNS = 20
FIRST_ACK_TIMEOUT_S = 20.0
SEED = 20261127


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw)
    lines.put(None)


def _writer_env() -> dict[str, str]:
    """The writer imports ``crm_desktop`` from this checkout whatever the install mode."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    return env


def run_writer_and_kill(
    db_path: Path, backups_dir: Path, first_index: int, delay: float, log: Path
) -> list[int]:
    """Start the writer, SIGKILL it ``delay`` seconds after its first ACK; return the acked ids."""
    command = [sys.executable, str(WRITER), str(db_path), str(backups_dir), str(first_index)]
    with (
        log.open("wb") as stderr,
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=_writer_env()) as proc,
    ):
        assert proc.stdout is not None
        lines: queue.Queue[bytes | None] = queue.Queue()
        reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            first = lines.get(timeout=FIRST_ACK_TIMEOUT_S)
        except queue.Empty:
            first = None
        if first is None:
            proc.kill()
            proc.wait()
            reader.join()
            pytest.fail(f"the writer never acknowledged a write:\n{log.read_text()}")
        time.sleep(delay)
        proc.kill()  # SIGKILL on POSIX: no cleanup, no checkpoint, no atexit
        proc.wait()
        reader.join(timeout=10)
    if os.name == "posix":
        assert proc.returncode == -signal.SIGKILL, (
            f"the writer stopped on its own before the kill:\n{log.read_text()}"
        )
    raw_lines = [first]
    while (item := lines.get_nowait()) is not None:
        raw_lines.append(item)
    # A line cut short by the kill was never fully acknowledged.
    return [int(raw.split()[1]) for raw in raw_lines if raw.endswith(b"\n")]


def check_survivors(database: peewee.SqliteDatabase, acknowledged: set[int]) -> None:
    assert integrity_ok(database)
    emails = dict(
        database.execute_sql(
            "SELECT c.id, group_concat(cp.value) FROM candidate c "
            "LEFT JOIN contact_point cp ON cp.candidate_id = c.id AND cp.kind = 'email' "
            "WHERE c.first_name LIKE 'W%' GROUP BY c.id"
        ).fetchall()
    )
    names = dict(database.execute_sql("SELECT id, first_name FROM candidate").fetchall())
    entries = dict(
        database.execute_sql(
            "SELECT candidate_id, count(*) FROM interaction GROUP BY candidate_id"
        ).fetchall()
    )
    missing = sorted(acknowledged - names.keys())
    assert not missing, f"acknowledged candidates lost: {missing}"
    for candidate_id in acknowledged:
        expected = f"w{names[candidate_id][1:]}@example.com"
        assert emails.get(candidate_id) == expected, f"candidate {candidate_id} lost its e-mail"
        assert entries.get(candidate_id) == 1, f"candidate {candidate_id} lost its timeline entry"
    # Creating a candidate is one transaction: even the in-flight one is all or nothing.
    assert all(emails.values()), "a candidate was committed without its contact point"


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill(
    tmp_path: Path, db_path: Path, backups_dir: Path, clock: SettableClock
) -> None:
    rng = random.Random(SEED)
    close_database(open_database(db_path, backups_dir, clock))  # the writers find an existing file
    acknowledged: set[int] = set()
    for run in range(RUNS):
        delay = rng.uniform(0.05, 0.6)
        acked = run_writer_and_kill(
            db_path, backups_dir, run * 1_000_000, delay, tmp_path / f"writer-{run}.log"
        )
        assert acked, f"run {run}: no acknowledged writes"
        acknowledged.update(acked)

        database = open_database(db_path, backups_dir, clock)
        try:
            check_survivors(database, acknowledged)
        finally:
            close_database(database)
