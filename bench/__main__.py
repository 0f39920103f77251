"""``uv run python -m bench [--candidates N] [--json FILE]``: generate (or reuse), measure, report.

Prints a table of every metric against the targets of the performance issue and, with
``--json``, writes all numbers (including per-query and per-column detail and the machine) to
FILE. A failed target is a finding, not an error: the exit code is 0 whenever the measurements
ran, and non-zero only when something broke.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.generate import (
    DEFAULT_CANDIDATES,
    DEFAULT_SEED,
    META_FILENAME,
    Dataset,
    cached_dataset,
)
from bench.measure import REPO_ROOT, copy_profile, measure_cold_start, run_ui_child

# metric key -> (label, target text, check(value, result) -> bool or None for "no target")
TARGETS: dict[str, tuple[str, str, Any]] = {
    "cold_start_ms": (
        "cold start, median of runs",
        "<= 2 x baseline",
        lambda v, r: v <= 2 * r["baseline_start_ms"],
    ),
    "baseline_start_ms": ("baseline empty window start", "-", None),
    "complete_start_ms": ("start until window complete", "-", None),
    "search_median_ms": ("search, median of queries", "<= 30 ms", lambda v, r: v <= 30),
    "search_p95_ms": ("search, p95 of queries", "<= 60 ms", lambda v, r: v <= 60),
    "sort_max_ms": ("sort, slowest column/order", "<= 100 ms", lambda v, r: v <= 100),
    "detail_2000_ms": ("open candidate, 2000 entries", "<= 150 ms", lambda v, r: v <= 150),
    "detail_2000_scroll_ms": ("scroll its timeline to oldest", "-", None),
    "today_ms": ("compute Today (panel), median of 5", "<= 50 ms", lambda v, r: v <= 50),
    "today_all_items_ms": ("compute Today, every item listed", "-", None),
    "peak_rss_mb": ("peak RSS, in-process UI bench", "<= 300 MB", lambda v, r: v <= 300),
    "cold_start_peak_rss_mb": ("peak RSS, cold-start app", "<= 300 MB", lambda v, r: v <= 300),
    "window_ready_ms": ("in-process open + build + show", "-", None),
}


def machine() -> dict[str, Any]:
    """Where the numbers were taken."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pyside6": pyside_version,
        "qt": qVersion(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def render_table(result: dict[str, Any]) -> str:
    """The human-readable report: headline metrics, then searches and sorts in detail."""
    m = result["machine"]
    lines = [
        f"Rapport benchmark: {result['candidates']:,} candidates, "
        f"{result['interactions']:,} interactions, DB {result['db_mb']:,.0f} MB "
        f"({m['cpu_count']} CPUs, Python {m['python']}, SQLite {m['sqlite']}, Qt {m['qt']})",
        "",
        f"{'metric':<34} {'value':>12}  {'target':<18} result",
        f"{'-' * 34} {'-' * 12}  {'-' * 18} ------",
    ]
    for key, (label, target, check) in TARGETS.items():
        if key not in result:
            continue
        value = result[key]
        unit = "MB" if key.endswith("_mb") else "ms"
        verdict = "-" if check is None else ("PASS" if check(value, result) else "FAIL")
        if key == "cold_start_ms":
            target = f"<= {2 * result['baseline_start_ms']:.0f} ms (2x)"
        lines.append(f"{label:<34} {value:>9,.1f} {unit}  {target:<18} {verdict}")
    lines += ["", f"{'search query':<30} {'what':<32} {'ms':>8} {'results':>9}"]
    for q in result["search_queries"]:
        lines.append(f"{q['query']:<30} {q['label']:<32} {q['ms']:>8.1f} {q['results']:>9,}")
    lines += ["", f"{'sort column':<16} {'asc ms':>9} {'desc ms':>9}"]
    for c in result["sort_columns"]:
        lines.append(f"{c['column']:<16} {c['asc_ms']:>9.1f} {c['desc_ms']:>9.1f}")
    items = result["today_items"]
    lines += [
        "",
        f"Today: {items['overdue']} overdue, {items['today']} today, {items['upcoming']} upcoming"
        f" ({items.get('listed', '?')} listed by the panel)."
        f" Timeline of candidate {result['big_candidate_id']}: "
        f"{result['detail_2000_entries']} entries, {result['detail_2000_pages']} pages "
        f"({result['detail_2000_rows']} rows with day headings).",
    ]
    lines += warnings(result)
    return "\n".join(lines)


def warnings(result: dict[str, Any]) -> list[str]:
    """Problems seen while measuring that are not timings (crashes, refcount leaks)."""
    found = []
    codes = result.get("cold_start_exit_codes", [])
    failed = [code for code in codes if code != 0]
    if failed:
        found.append(
            f"WARNING: the app exited with {sorted(set(failed))} after its first paint in "
            f"{len(failed)} of {len(codes)} timed cold starts (negative = killed by signal)."
        )
    lost = result.get("none_refs_lost_per_void_call", 0)
    if lost > 0.5:  # a real leak loses ~1 per call; noise from other threads is ~0
        found.append(
            f"WARNING: PySide loses {lost:.2f} reference(s) to None per void call: a long session "
            "aborts with 'none_dealloc'. The in-process bench shielded None to finish."
        )
    return ["", *found] if found else []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the whole benchmark; 0 when it ran (whatever the verdicts), 1 on an error."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES)
    parser.add_argument("--json", type=Path, metavar="FILE", help="write all numbers here")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--runs", type=int, default=5, help="cold starts to take the median of")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each search query")
    parser.add_argument("--regenerate", action="store_true", help="ignore the cached dataset")
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except Exception as exc:
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print()
    print(render_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nJSON written to {args.json}")
    return 0


def _dataset(candidates: int, seed: int, regenerate: bool) -> Dataset:
    """The cached dataset, generated first in a child process when missing.

    A separate process, so the generator's memory never inflates this one (and the children
    it spawns, whose peak RSS Linux seeds with the parent's).
    """
    found = None if regenerate else cached_dataset(candidates, seed)
    if found is not None:
        return found
    command = [sys.executable, "-m", "bench.generate", "--candidates", str(candidates)]
    command += ["--seed", str(seed), "--quiet"]
    if regenerate:
        command.append("--force")
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    found = cached_dataset(candidates, seed)
    if found is None:
        raise RuntimeError("the generator finished but left no dataset in bench/.cache")
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Generate or reuse the dataset, then take every measurement on a private copy."""
    started = time.perf_counter()
    dataset = _dataset(args.candidates, args.seed, args.regenerate)
    meta = dataset.meta
    result: dict[str, Any] = {
        "candidates": meta["candidates"],
        "interactions": meta["interactions"],
        "big_candidate_id": meta["big_candidate_id"],
        "db_mb": round(meta["db_bytes"] / 2**20, 1),
        "dataset": {k: v for k, v in meta.items() if k not in ("candidates", "interactions")},
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        profile = copy_profile(dataset.profile_dir, Path(tmp) / "profile")
        print(f"Cold start, {args.runs} runs each (interleaved with the baseline)…")
        result |= measure_cold_start(profile, args.runs)
        print("In-process UI measurements…")
        result |= run_ui_child(profile, dataset.root / META_FILENAME, args.repeat)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    return result


if __name__ == "__main__":
    sys.exit(main())
