"""The measurements: cold start (child processes) and the UI paths (in one offscreen process).

Cold start
    ``python -m crm_desktop --data-dir DIR --quit-after-first-paint`` is spawned and timed until
    it prints ``first-paint`` (its window's first Paint event); the baseline is the same for
    ``bench/baseline_window.py``, an empty QMainWindow. Runs are interleaved (baseline, app,
    baseline, app, ...) so machine noise hits both alike, after one untimed warm-up of each so
    the OS file cache holds the interpreter, Qt and the database for every timed run.

UI paths
    ``python -m bench.measure --profile DIR ...`` opens the profile with the benchmark's fixed
    clock, builds the real main window offscreen and times what a user does: search through the
    list's search box, sort every column, open the candidate with 2000 timeline entries and
    scroll to the oldest, compute Today. Every timed section ends with ``processEvents()``
    (which paints offscreen) and reads a visible row, so lazy page fetches are included.
    It runs in its own process, and reports its own VmHWM, so its peak RSS is the UI's alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BASELINE_SCRIPT = Path(__file__).resolve().parent / "baseline_window.py"
FIRST_PAINT = "first-paint"
COMPLETE = "complete"  # Rapport only: every part of the window built, Today listed
START_TIMEOUT_S = 300
PYCACHE_DIR = Path(__file__).resolve().parent / ".cache" / "pycache"


# --- cold start -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartSample:
    """One timed start: milliseconds to the first paint (and, for Rapport, to the complete
    window), the child's peak RSS and exit code."""

    ms: float
    peak_rss_mb: float
    exit_code: int
    complete_ms: float | None = None


def offscreen_env() -> dict[str, str]:
    """The environment for child processes: ours, with Qt's offscreen platform.

    Bytecode is cached (under ``bench/.cache/pycache``, never beside the sources) even where
    ``PYTHONDONTWRITEBYTECODE`` is set, as in some CI and sandbox shells: an installed wheel or
    the PyInstaller bundle starts from compiled bytecode, so compiling peewee and Rapport on
    every start would time something no user waits for. The untimed warm-up fills the cache.
    """
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE_DIR)
    return env


def app_command(data_dir: Path) -> list[str]:
    """Rapport, started as a user would, quitting after its first paint."""
    return [
        sys.executable,
        "-m",
        "crm_desktop",
        "--data-dir",
        str(data_dir),
        "--quit-after-first-paint",
    ]


def baseline_command() -> list[str]:
    """The empty-window baseline."""
    return [sys.executable, str(BASELINE_SCRIPT)]


def gnu_time() -> str | None:
    """GNU time (``/usr/bin/time``), to read a child's own peak RSS, or None when missing.

    Linux folds the spawning parent's peak RSS into a child's ``ru_maxrss`` at ``exec`` (the
    child starts as a copy of the parent), so ``wait4`` on a child spawned by a big parent
    reports the parent's size. GNU time forks the command from its own tiny process.
    """
    path = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if path is None:
        return None
    probe = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return path if "GNU" in probe.stdout + probe.stderr else None


def time_first_paint(command: Sequence[str], timeout_s: float = START_TIMEOUT_S) -> StartSample:
    """Spawn ``command`` and time it until it prints ``first-paint`` (and ``complete``, when it
    does); wait for it to exit.

    A process that never paints is an error. One that paints and then fails on its way out
    still gave a valid time: its exit code is returned for the report to flag. The command runs
    under GNU time when available (about a millisecond, for the app and the baseline alike) so
    its peak RSS is its own.
    """
    timer = gnu_time()
    with (
        tempfile.TemporaryFile(mode="w+") as stderr,
        tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss_file,
    ):
        argv = list(command)
        if timer is not None:
            argv = [timer, "-q", "-f", "%M %x", "-o", rss_file.name, *argv]
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=offscreen_env(),
            cwd=REPO_ROOT,
            text=True,
        )
        killer = threading.Timer(timeout_s, proc.kill)
        killer.start()
        elapsed = complete = None
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.strip() == FIRST_PAINT:
                    elapsed = (time.perf_counter() - started) * 1000
                elif line.strip() == COMPLETE:
                    complete = (time.perf_counter() - started) * 1000
                    break
            proc.stdout.read()  # let it quit without blocking on a full pipe
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            killer.cancel()
            if proc.stdout is not None:
                proc.stdout.close()
        peak_kib, exit_code = usage.ru_maxrss, proc.returncode
        if timer is not None:
            peak_kib, exit_code = _gnu_time_report(rss_file.read(), exit_code)
        if elapsed is None:
            stderr.seek(0)
            tail = stderr.read()[-2000:]
            raise RuntimeError(
                f"{' '.join(command)} exited with {exit_code} before painting:\n{tail}"
            )
    return StartSample(elapsed, peak_kib / 1024, exit_code, complete)


def _gnu_time_report(text: str, time_exit: int) -> tuple[int, int]:
    """(peak KiB, the command's exit code) from GNU time's ``%M %x`` line and its own exit.

    With ``-q`` GNU time reports ``%x`` 0 for a command killed by a signal and exits with
    128 + signal: that becomes -signal, as ``subprocess`` reports it.
    """
    for line in reversed(text.splitlines()):
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            code = int(parts[1])
            if code == 0 and time_exit > 128:
                code = 128 - time_exit
            elif code == 0:
                code = time_exit
            return int(parts[0]), code
    return 0, time_exit


def measure_cold_start(
    data_dir: Path, runs: int = 5, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Median start-to-first-paint of Rapport and of the baseline, interleaved."""
    time_first_paint(baseline_command())  # warm-ups: load the OS file cache, not timed
    time_first_paint(app_command(data_dir))
    app: list[StartSample] = []
    base: list[StartSample] = []
    for run in range(runs):
        base.append(time_first_paint(baseline_command()))
        app.append(time_first_paint(app_command(data_dir)))
        log(
            f"  start {run + 1}/{runs}: app {app[-1].ms:.0f} ms (complete "
            f"{app[-1].complete_ms or 0:.0f} ms), baseline {base[-1].ms:.0f} ms"
        )
    return {
        "cold_start_ms": round(statistics.median(s.ms for s in app), 1),
        "baseline_start_ms": round(statistics.median(s.ms for s in base), 1),
        "complete_start_ms": round(statistics.median(s.complete_ms or 0.0 for s in app), 1),
        "cold_start_runs_ms": [round(s.ms, 1) for s in app],
        "baseline_start_runs_ms": [round(s.ms, 1) for s in base],
        "cold_start_peak_rss_mb": round(max(s.peak_rss_mb for s in app), 1),
        "baseline_peak_rss_mb": round(max(s.peak_rss_mb for s in base), 1),
        "start_rss_source": "GNU time" if gnu_time() else "wait4 (includes the parent's RSS)",
        "cold_start_exit_codes": [s.exit_code for s in app],
        "baseline_exit_codes": [s.exit_code for s in base],
    }


# --- UI paths (in-process) --------------------------------------------------------------------


def none_refs_lost_per_call() -> float:
    """None references lost per void PySide call (must be 0; needs a QApplication).

    PySide6 6.12.0 on Python 3.11 returns ``None`` from every void method without a new
    reference, so each call such as ``QStandardItem.setText`` takes one reference from None;
    once they run out, Python aborts ("none_dealloc: deallocating None").
    """
    from PySide6.QtGui import QStandardItem

    item = QStandardItem()
    calls = 200
    before = sys.getrefcount(None)
    for _ in range(calls):
        item.setText("x")
    return (before - sys.getrefcount(None)) / calls


def shield_none_refcount(extra: int = 1 << 40) -> None:
    """Give None ``extra`` references so the leak above cannot abort the measuring process.

    A benchmark-only workaround: it changes no timing, only stops the measurement from dying
    before it can report. The app itself is not shielded (the cold-start runs show its exit).
    """
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += extra


def search_queries(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(what it exercises, what the user types): 20 realistic searches for this dataset."""
    phone = str(meta["sample_phone"])
    national = phone.split(" ", 1)[1] if phone.startswith("+") and " " in phone else phone
    local, _at, domain = str(meta["sample_email"]).partition("@")
    return [
        ("first name", "Priya"),
        ("surname prefix, umlaut", "mül"),
        ("surname prefix, folded", "mul"),
        ("skill prefix", "pyth"),
        ("two words", "java pune"),
        ("three words", "senior react berlin"),
        ("quoted phrase", '"notice period"'),
        ("exclusion only", "-java"),
        ("word and exclusion", "python -django"),
        ("e-mail fragment", f"{local}@{domain[:3]}"),
        ("phone, spaced, no country code", national),
        ("city", "bengaluru"),
        ("city, accent-folded", "zurich"),
        ("rare word", str(meta["rare_word"])),
        ("one-letter prefix", "a"),
        ("name, accent-folded", "jose"),
        ("surname, accent-folded", "nguyen"),
        ("full name", "ananya iyer"),
        ("client company", "quillfern"),
        ("no match", "zzyzxq"),
    ]


def nearest_rank(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * fraction))
    return ordered[rank - 1]


class UiBench:
    """The real main window over a profile, offscreen, and the timed user actions."""

    def __init__(self, profile_dir: Path, meta: dict[str, Any]) -> None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        # Imported here: Qt must see the platform variable, and the cold-start parent never
        # needs these modules.
        from bench.generate import bench_clock
        from crm_desktop.app import build_main_window, ensure_qapplication
        from crm_desktop.paths import resolve_paths
        from crm_desktop.profile import open_profile
        from crm_desktop.ui.prompter import ScriptedPrompter

        self.meta = meta
        self.app = ensure_qapplication()
        self.none_refs_lost_per_call = none_refs_lost_per_call()
        if self.none_refs_lost_per_call > 0.5:
            shield_none_refcount()
        started = time.perf_counter()
        self.profile = open_profile(resolve_paths(profile_dir), bench_clock())
        self.window = build_main_window(self.profile, ScriptedPrompter())
        self.window.show()
        self.app.processEvents()
        self.window_ready_ms = (time.perf_counter() - started) * 1000

    def close(self) -> None:
        """Close the window and the profile (checkpoints the WAL)."""
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()
        self.profile.close()

    # -- helpers -------------------------------------------------------------------------------

    def _read_first_visible_row(self) -> object:
        table = self.window.candidate_list.table
        model = self.window.candidate_list.model
        row = table.rowAt(0)
        if row < 0:
            return None
        return model.index(row, 0).data()

    def _set_search(self, text: str) -> None:
        """Type into the search box without arming the 150 ms debounce (we call the slot)."""
        search = self.window.candidate_list.search
        blocked = search.blockSignals(True)
        search.setText(text)
        search.blockSignals(blocked)

    def clear_search(self) -> None:
        """Back to the unfiltered list (untimed, between searches)."""
        self._set_search("")
        self.window.candidate_list.apply_filters()
        self.app.processEvents()

    # -- measurements --------------------------------------------------------------------------

    def search(self, text: str) -> tuple[float, int]:
        """One search as the debounce timer runs it: (milliseconds, result count)."""
        lv = self.window.candidate_list
        self._set_search(text)
        started = time.perf_counter()
        lv.apply_filters()
        self.app.processEvents()
        count = lv.model.rowCount()
        self._read_first_visible_row()
        elapsed = (time.perf_counter() - started) * 1000
        self.clear_search()
        return elapsed, count

    def searches(self, repeat: int, log: Callable[[str], None]) -> dict[str, Any]:
        """Every query ``repeat`` times (in rounds); per query the median; then median and p95."""
        queries = search_queries(self.meta)
        runs: dict[str, list[float]] = {text: [] for _label, text in queries}
        counts: dict[str, int] = {}
        for _round in range(repeat):
            for _label, text in queries:
                ms, counts[text] = self.search(text)
                runs[text].append(ms)
        per_query = []
        for label, text in queries:
            median = statistics.median(runs[text])
            per_query.append(
                {
                    "label": label,
                    "query": text,
                    "ms": round(median, 2),
                    "runs_ms": [round(ms, 2) for ms in runs[text]],
                    "results": counts[text],
                }
            )
            log(f"  search {text!r}: {median:.1f} ms, {counts[text]:,} results")
        medians = [q["ms"] for q in per_query]
        return {
            "search_median_ms": round(statistics.median(medians), 2),
            "search_p95_ms": round(nearest_rank(medians, 0.95), 2),
            "search_max_ms": round(max(medians), 2),
            "search_queries": per_query,
        }

    def sorts(self, log: Callable[[str], None]) -> dict[str, Any]:
        """Every column descending then ascending (so no click is the no-op re-sort)."""
        from PySide6.QtCore import Qt

        from crm_desktop.core.candidate_list import COLUMNS

        table = self.window.candidate_list.table
        per_column = []
        for column, spec in enumerate(COLUMNS):
            timings = {}
            for name, order in (
                ("desc", Qt.SortOrder.DescendingOrder),
                ("asc", Qt.SortOrder.AscendingOrder),
            ):
                started = time.perf_counter()
                table.sortByColumn(column, order)
                self.app.processEvents()
                self._read_first_visible_row()
                timings[name] = round((time.perf_counter() - started) * 1000, 2)
            per_column.append(
                {"column": spec.key, "asc_ms": timings["asc"], "desc_ms": timings["desc"]}
            )
            log(f"  sort {spec.key}: asc {timings['asc']:.1f} ms, desc {timings['desc']:.1f} ms")
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.app.processEvents()
        worst = max(max(c["asc_ms"], c["desc_ms"]) for c in per_column)
        return {"sort_max_ms": worst, "sort_columns": per_column}

    def detail(self) -> dict[str, Any]:
        """Open the 2000-entry candidate, then scroll its timeline to the oldest entry."""
        window = self.window
        big_id = int(self.meta["big_candidate_id"])
        model = window.list_model
        # Start from another candidate so the open is a real change of candidate.
        other = next(model.candidate_id(r) for r in range(2) if model.candidate_id(r) != big_id)
        window.open_candidate(other)
        self.app.processEvents()

        started = time.perf_counter()
        window.open_candidate(big_id)
        self.app.processEvents()
        opened_ms = (time.perf_counter() - started) * 1000
        tl = window.detail.timeline
        from crm_desktop.ui.timeline_model import PAGE_SIZE as TIMELINE_PAGE_SIZE

        if window.detail.candidate_id != big_id:
            raise RuntimeError(f"open_candidate({big_id}) showed {window.detail.candidate_id}")
        first_page = tl.model.rowCount()

        started = time.perf_counter()
        while tl.model.canFetchMore():
            tl.model.fetchMore()
            tl.list.scrollToBottom()  # the view may fetch the next page itself, as on a wheel
            self.app.processEvents()
        tl.list.scrollToBottom()
        self.app.processEvents()
        scroll_ms = (time.perf_counter() - started) * 1000
        return {
            "detail_2000_ms": round(opened_ms, 2),
            "detail_2000_scroll_ms": round(scroll_ms, 2),
            "detail_2000_entries": tl.model.entry_count(),
            "detail_2000_first_page_rows": first_page,
            "detail_2000_rows": tl.model.rowCount(),
            "detail_2000_pages": math.ceil(tl.model.entry_count() / TIMELINE_PAGE_SIZE),
        }

    def today(self, runs: int = 5) -> dict[str, Any]:
        """``TodayService.compute()`` on the fixed date, median of ``runs``: as the panel asks
        for it (a page of each group's follow-ups, the rest counted), and every item listed (as
        the alerts and the ``today`` command take it)."""
        from crm_desktop.ui.today_panel import ROWS_PER_PAGE, UPCOMING_DAYS

        service = self.profile.services.today

        def timed(limit: int | None) -> tuple[list[float], Any]:
            timings, view = [], None
            for _ in range(runs):
                started = time.perf_counter()
                view = service.compute(days=UPCOMING_DAYS, limit=limit)
                timings.append((time.perf_counter() - started) * 1000)
            return timings, view

        timings, view = timed(ROWS_PER_PAGE)
        every, _view = timed(None)
        return {
            "today_ms": round(statistics.median(timings), 2),
            "today_runs_ms": [round(ms, 2) for ms in timings],
            "today_all_items_ms": round(statistics.median(every), 2),
            "today_items": {
                "overdue": len(view.overdue) + view.more_overdue,
                "today": len(view.today) + view.more_today,
                "upcoming": len(view.upcoming),
                "listed": len(view.all()),
            },
        }


def measure_ui(
    profile_dir: Path, meta: dict[str, Any], repeat: int = 3, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """All in-process UI measurements on ``profile_dir`` (which it may write to)."""
    bench = UiBench(profile_dir, meta)
    try:
        result: dict[str, Any] = {
            "window_ready_ms": round(bench.window_ready_ms, 1),
            "none_refs_lost_per_void_call": bench.none_refs_lost_per_call,
        }
        log(f"  window ready in {bench.window_ready_ms:.0f} ms")
        result |= bench.today()
        result |= bench.searches(repeat, log)
        result |= bench.sorts(log)
        result |= bench.detail()
    finally:
        bench.close()
    result["peak_rss_mb"] = round(peak_rss_kib() / 1024, 1)
    return result


def peak_rss_kib() -> int:
    """This process's own peak RSS in KiB: VmHWM (per address space) where /proc has it.

    ``ru_maxrss`` also counts the parent's size at spawn (see :func:`gnu_time`), so it is only
    the fallback (it is KiB on Linux too).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_ui_child(
    profile_dir: Path,
    meta_file: Path,
    repeat: int,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run :func:`measure_ui` in a fresh process (so its peak RSS is the UI's alone)."""
    with tempfile.TemporaryDirectory(prefix="rapport-bench-ui-") as tmp:
        out = Path(tmp) / "ui.json"
        command = [
            sys.executable,
            "-m",
            "bench.measure",
            "--profile",
            str(profile_dir),
            "--meta",
            str(meta_file),
            "--repeat",
            str(repeat),
            "--out",
            str(out),
        ]
        proc = subprocess.run(command, cwd=REPO_ROOT, env=offscreen_env(), check=False)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"the UI measurement process failed (exit {proc.returncode})")
        return json.loads(out.read_text(encoding="utf-8"))


def copy_profile(source: Path, target: Path) -> Path:
    """A private copy of a cached profile directory (the app writes to its profile)."""
    shutil.copytree(source, target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.measure``: the in-process UI measurements, as JSON into ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("--profile", type=Path, required=True, help="profile dir (is written)")
    parser.add_argument("--meta", type=Path, required=True, help="the dataset's meta.json")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each search query")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    meta = json.loads(args.meta.read_text(encoding="utf-8"))
    result = measure_ui(args.profile, meta, args.repeat, log=lambda m: print(m, flush=True))
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
