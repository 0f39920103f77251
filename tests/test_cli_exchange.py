"""Headless import, export and restore: exit codes, one-line reasons, stdout by default."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import icalendar
import vobject

from crm_desktop.cli import main
from crm_desktop.exchange.json_backup import table_dump
from crm_desktop.profile import open_profile

CSV = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nBad,Row,nope\n"


def run(*args: str) -> int:
    return main([*args])


def test_import_dry_run_then_import(tmp_path, capsys, paths, clock):
    source = tmp_path / "people.csv"
    source.write_text(CSV, encoding="utf-8")
    data = str(paths.data_dir)
    assert run("--data-dir", data, "import", str(source), "--dry-run") == 0
    out, err = capsys.readouterr()
    assert "would be imported: 1 new candidate" in out
    assert "line 3:" in err
    profile = open_profile(paths, clock)
    assert table_dump(profile.database)["candidate"] == []
    profile.close()
    assert run("--data-dir", data, "import", str(source)) == 0
    assert "were imported: 1 new candidate" in capsys.readouterr().out
    assert run("--data-dir", data, "import", str(source)) == 0
    assert "0 new candidates" in capsys.readouterr().out


def test_import_failures_exit_non_zero_with_one_line(tmp_path, capsys, paths):
    data = str(paths.data_dir)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert run("--data-dir", data, "import", str(binary)) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "PNG picture" in err
    assert run("--data-dir", data, "import", str(tmp_path / "missing.csv")) == 1
    assert "could not be read" in capsys.readouterr().err
    rejected = tmp_path / "bad.csv"
    rejected.write_text("First Name,Email\nA,nope\n", encoding="utf-8")
    assert run("--data-dir", data, "import", str(rejected)) == 1
    assert "no row" in capsys.readouterr().err


def test_export_every_format_to_stdout_and_to_a_file(tmp_path, capfd, paths):
    data = str(paths.data_dir)
    source = tmp_path / "people.csv"
    source.write_text(CSV, encoding="utf-8")
    assert run("--data-dir", data, "import", str(source)) == 0
    capfd.readouterr()
    assert run("--data-dir", data, "export", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capfd.readouterr().out.lstrip("\ufeff"))))
    assert [r["emails"] for r in rows] == ["ada@example.com"]
    assert run("--data-dir", data, "export", "--format", "vcf") == 0
    card = vobject.readOne(capfd.readouterr().out)
    assert card.fn.value == "Ada Lovelace"
    assert run("--data-dir", data, "export", "--format", "ics") == 0
    assert icalendar.Calendar.from_ical(capfd.readouterr().out)
    target = tmp_path / "backup.json"
    assert run("--data-dir", data, "export", "--format", "json", "-o", str(target)) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "rapport-backup"
    assert not (tmp_path / "backup.json.part").exists()


def test_restore_into_an_empty_profile_only(tmp_path, capsys, paths):
    data = str(paths.data_dir)
    source = tmp_path / "people.csv"
    source.write_text(CSV, encoding="utf-8")
    run("--data-dir", data, "import", str(source))
    backup = tmp_path / "backup.json"
    run("--data-dir", data, "export", "--format", "json", "-o", str(backup))
    capsys.readouterr()
    assert run("--data-dir", data, "restore", str(backup)) == 1
    assert "already holds data" in capsys.readouterr().err
    assert run("--data-dir", data, "restore", str(backup), "--replace") == 0
    fresh = str(tmp_path / "fresh")
    assert run("--data-dir", fresh, "restore", str(backup)) == 0
    assert "Restored 1 candidates" in capsys.readouterr().out
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run("--data-dir", fresh, "restore", str(broken)) == 1
    assert "not valid JSON" in capsys.readouterr().err


def test_export_to_stdout_in_a_real_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crm_desktop", "--data-dir", str(tmp_path), "export",
         "--format", "ics"],
        capture_output=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"BEGIN:VCALENDAR")
    bad = subprocess.run(
        [sys.executable, "-m", "crm_desktop", "--data-dir", str(tmp_path), "export",
         "--format", "pdf"],
        capture_output=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert bad.returncode == 2
