"""The headless entry points: --version, --self-test, today; clear failures with exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from crm_desktop import __version__
from crm_desktop.cli import main
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import PartialDate
from crm_desktop.profile import open_profile
from crm_desktop.store.migrations import SCHEMA_VERSION


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_self_test_passes_on_a_new_profile_in_a_real_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crm_desktop", "--data-dir", str(tmp_path), "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = f"self-test ok: schema v{SCHEMA_VERSION}, 0 candidates, window with 3 pages"
    assert expected in result.stdout
    assert "de_DE “Di., 3. März”" in result.stdout
    assert (tmp_path / "rapport.sqlite3").exists()


def test_self_test_fails_with_the_reason_on_a_newer_database(tmp_path, capsys):
    db = tmp_path / "rapport.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert main(["--data-dir", str(tmp_path), "--self-test"]) == 1
    assert "newer version of Rapport" in capsys.readouterr().err


def test_today_json_on_a_given_date(paths, clock, capsys):
    profile = open_profile(paths, clock)
    profile.services.candidates.create(
        CandidateInput("Ife", "Adeyemi", birthday=PartialDate(12, 1, 1995))
    )
    profile.close()
    assert (
        main(
            [
                "--data-dir",
                str(paths.data_dir),
                "today",
                "--date",
                "2026-11-30",
                "--days",
                "3",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["date"] == "2026-11-30"
    assert [(i["bucket"], i["kind"], i["candidate"], i["date"]) for i in out["items"]] == [
        ("upcoming", "birthday", "Ife Adeyemi", "2026-12-01")
    ]


def test_today_rejects_a_bad_date(paths, capsys):
    with pytest.raises(SystemExit) as done:
        main(["--data-dir", str(paths.data_dir), "today", "--date", "2026-02-30"])
    assert done.value.code == 2
    assert "2026-02-30" in capsys.readouterr().err
