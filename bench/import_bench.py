"""Benchmark row: importing a 150,000-row CSV into an empty profile (target <= 10 s).

``measure_csv_import(rows)`` writes a LinkedIn/Outlook-like CSV (names with diacritics, one
e-mail, one phone, company, title, city; every 50th row a duplicate of an earlier one, every
500th row with a bad e-mail), imports it through the real importer (the same path as the dialog
and the ``import`` command: sniff, map, validate, match duplicates, one transaction) into a new
profile, and returns the timings, the number of progress callbacks and how much the process's
peak RSS grew during the import, so "memory bounded" is a number too (``tracemalloc`` would
triple the time it measures).

    uv run python -m bench.import_bench [--rows N] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from crm_desktop.clock import SettableClock
from crm_desktop.exchange import csv_import
from crm_desktop.exchange.importer import CandidateImporter
from crm_desktop.paths import resolve_paths
from crm_desktop.profile import open_profile

DEFAULT_ROWS = 150_000
TARGET_SECONDS = 10.0
_FIRST = ("Ada", "Zoë", "José", "Łukasz", "Aiko", "Chinedu", "Søren", "Priya", "Mateo", "Ines")
_LAST = ("Lovelace", "Müller", "García", "Kowalski", "Tanaka", "Okafor", "Berg", "Patel", "Rossi")
_CITIES = ("Berlin", "London", "Lagos", "São Paulo", "Kraków", "Osaka", "Pune", "Madrid")
_TITLES = ("Data engineer", "Site reliability engineer", "Product manager", "UX researcher")


def write_csv(path: Path, rows: int, seed: int = 20261127) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Company", "Job Title",
             "City", "Notes"]
        )  # fmt: skip
        for index in range(rows):
            n = index - 40 if index % 50 == 49 else index  # a duplicate of an earlier row
            email = f"person{n}@example.com" if index % 500 != 499 else "not an e-mail"
            writer.writerow(
                [
                    rng.choice(_FIRST),
                    f"{rng.choice(_LAST)}-{n}",
                    email,
                    f"+49 170 {n:07d}",
                    f"Company {n % 997}",
                    rng.choice(_TITLES),
                    rng.choice(_CITIES),
                    "Met at a meetup; interested in remote roles." if index % 7 == 0 else "",
                ]
            )


def measure_csv_import(rows: int = DEFAULT_ROWS) -> dict[str, Any]:
    """Generate, import, and return the figures (seconds, rows per second, peak MB, ...)."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "candidates.csv"
        write_csv(source, rows)
        clock = SettableClock(datetime(2026, 11, 27, 9, 0), "Europe/London")
        profile = open_profile(resolve_paths(Path(scratch) / "profile"), clock)
        try:
            callbacks = 0

            def progress(_done: int) -> None:
                nonlocal callbacks
                callbacks += 1

            rss_before = _peak_rss_mb()
            started = time.perf_counter()
            layout = csv_import.sniff(source)
            records, _counter = csv_import.read_records(layout, csv_import.guess_mapping(layout))
            report = CandidateImporter(profile.services).run(records, progress=progress)
            seconds = time.perf_counter() - started
            peak_growth = _peak_rss_mb() - rss_before
            fts = profile.database.execute_sql(
                "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
            )
            fts.fetchall()
        finally:
            profile.close()
        return {
            "rows": rows,
            "file_mb": round(source.stat().st_size / 2**20, 1),
            "import_s": round(seconds, 2),
            "rows_per_s": round(rows / seconds),
            "created": report.created,
            "merged_or_unchanged": report.merged + report.unchanged,
            "rejected": len(report.rejected),
            "progress_callbacks": callbacks,
            "peak_rss_growth_mb": round(peak_growth, 1),
            "target_s": TARGET_SECONDS,
            "ok": seconds <= TARGET_SECONDS,
        }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = measure_csv_import(args.rows)
    for key, value in result.items():
        print(f"{key:<22} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
