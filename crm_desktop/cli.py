"""Command line: the GUI by default; headless subcommands for scripting and the packaged app.

crm-desktop [--data-dir DIR] [--demo]            start the app
crm-desktop --version
crm-desktop [--data-dir DIR] --self-test         open DB, migrate, build window offscreen
crm-desktop [--data-dir DIR] today [--date YYYY-MM-DD] [--days N] [--json]
crm-desktop [--data-dir DIR] import FILE [--dry-run] [--duplicates merge|skip|create]
crm-desktop [--data-dir DIR] export --format csv|vcf|ics|json [-o FILE]
crm-desktop [--data-dir DIR] restore FILE [--replace]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from crm_desktop import APP_NAME, __version__
from crm_desktop.clock import Clock, SettableClock, SystemClock
from crm_desktop.logs import setup_logging
from crm_desktop.paths import DATA_DIR_ENV, resolve_paths
from crm_desktop.profile import open_profile
from crm_desktop.store.errors import StoreError

if TYPE_CHECKING:
    from crm_desktop.core.today import TodayItem, TodayView

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-desktop",
        description=f"{APP_NAME}: an offline candidate-relationship manager for recruiters.",
        epilog=f"The data directory can also be set with the {DATA_DIR_ENV} environment variable.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="keep the database and files in DIR")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use a separate demo database filled with sample candidates (never your real one)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the database, build the window offscreen, compute Today, print a summary",
    )
    parser.add_argument("--verbose", action="store_true", help="log debug detail")
    # Used by bench/ to time a cold start to the first painted window.
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    today = sub.add_parser("today", help="print what the Today panel shows")
    today.add_argument("--date", type=_parse_day, help="as on this day (YYYY-MM-DD)")
    today.add_argument("--days", type=int, default=7, help="upcoming days to include (7)")
    today.add_argument("--json", action="store_true", help="machine-readable output")
    _add_exchange_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = resolve_paths(args.data_dir, demo=args.demo)
    try:
        paths.ensure()
        setup_logging(paths.log_file, args.verbose)
    except OSError as exc:
        print(f"{APP_NAME}: cannot use the data directory {paths.data_dir}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        if args.self_test:
            return _self_test(paths, args.demo)
        if args.command == "today":
            return _today(paths, args)
        if args.command in EXCHANGE_COMMANDS:
            return EXCHANGE_COMMANDS[args.command](paths, args)
        return _gui(paths, args.demo, args.quit_after_first_paint)
    except StoreError as exc:
        log.error("%s", exc)
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


def _gui(paths, demo: bool, quit_after_first_paint: bool = False) -> int:
    # The Qt-free modules the first paint needs come before PySide6: once imported, PySide6's
    # import hook makes every later import slower (about 15 ms of start-up in all).
    import crm_desktop.core.formatting  # noqa: F401
    from crm_desktop.core.candidate_list import ListQuery

    try:
        profile = open_profile(paths, SystemClock(), demo)
    except StoreError as exc:
        from crm_desktop.app import show_startup_error

        # Started from a menu there is no terminal: say it in a window as well.
        show_startup_error(exc.message, str(exc.path))
        raise
    # The list's first page and total are read while Qt loads (the window's first query).
    profile.services.candidate_list.prefetch(ListQuery())
    from crm_desktop.app import run_gui

    try:
        return run_gui(profile, quit_after_first_paint)
    finally:
        profile.close()


def _self_test(paths, demo: bool) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from crm_desktop.app import build_main_window, ensure_qapplication
        from crm_desktop.core.formatting import day_heading
        from crm_desktop.store.database import integrity_ok
        from crm_desktop.store.migrations import SCHEMA_VERSION
        from crm_desktop.ui.prompter import ScriptedPrompter

        clock = SystemClock()
        profile = open_profile(paths, clock, demo)
        try:
            app = ensure_qapplication()
            window = build_main_window(profile, ScriptedPrompter())
            window.show()
            app.processEvents()
            pages = window.pages.count()
            # Proves babel's locale data is present (it must be bundled when frozen).
            german = day_heading(date(2026, 3, 3), date(2026, 1, 1), "de_DE")
            rows = window.list_model.rowCount()
            view = profile.services.today.compute()
            ok = integrity_ok(profile.database)
            window.close()
            window.deleteLater()
            app.processEvents()
        finally:
            profile.close()
    except Exception as exc:
        log.exception("Self-test failed")
        print(f"{APP_NAME} self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if not ok:
        print(f"{APP_NAME} self-test FAILED: integrity check of {paths.db_file}", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{APP_NAME} {__version__} self-test ok: schema v{SCHEMA_VERSION}, {rows} candidates, "
        f"window with {pages} pages, Today: {view.summary()}, de_DE “{german}” "
        f"({paths.db_file})"
    )
    return EXIT_OK


def _today(paths, args: argparse.Namespace) -> int:
    if args.days < 0 or args.days > 366:
        print(f"{APP_NAME}: --days must be between 0 and 366, not {args.days}", file=sys.stderr)
        return EXIT_USAGE
    clock: Clock = SystemClock()
    if args.date is not None:
        clock = SettableClock(datetime.combine(args.date, time(12)), SystemClock().tz())
    profile = open_profile(paths, clock, demo=args.demo)
    try:
        view = profile.services.today.compute(clock.today(), args.days)
    finally:
        profile.close()
    print(_today_json(view) if args.json else _today_text(view))
    return EXIT_OK


def _today_rows(view: TodayView) -> list[tuple[str, TodayItem]]:
    return [
        *(("overdue", i) for i in view.overdue),
        *(("today", i) for i in view.today),
        *(("upcoming", i) for i in view.upcoming),
    ]


def _today_json(view: TodayView) -> str:
    items = [
        {
            "bucket": bucket,
            "kind": item.kind,
            "date": item.on.isoformat(),
            "due_at": item.due_at.isoformat() if item.due_at else None,
            "candidate_id": item.candidate_id,
            "candidate": item.candidate_name,
            "title": item.title,
            "reason": item.reason,
        }
        for bucket, item in _today_rows(view)
    ]
    return json.dumps({"date": view.on.isoformat(), "items": items}, ensure_ascii=False, indent=2)


def _today_text(view: TodayView) -> str:
    lines = [f"Today {view.on.isoformat()}: {view.summary()}"]
    for bucket, item in _today_rows(view):
        who = item.candidate_name or "-"
        lines.append(
            f"{bucket:<8}  {item.on.isoformat()}  {item.kind:<11}  {who:<24}  "
            f"{item.title} ({item.reason})"
        )
    return "\n".join(lines)


# --- import, export, restore ------------------------------------------------------------------


def _add_exchange_commands(sub) -> None:
    imp = sub.add_parser("import", help="import candidates from a CSV or vCard file")
    imp.add_argument("file", help="a .csv (LinkedIn, Google, Outlook, spreadsheet) or .vcf file")
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would happen, change nothing"
    )
    imp.add_argument(
        "--duplicates",
        choices=("merge", "skip", "create"),
        default="merge",
        help="rows matching a candidate by e-mail, phone or profile URL (default: merge)",
    )
    exp = sub.add_parser("export", help="export candidates, the calendar or a full backup")
    exp.add_argument("--format", required=True, choices=("csv", "vcf", "ics", "json"))
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    res = sub.add_parser("restore", help="restore a JSON backup into an empty profile")
    res.add_argument("file", help="a backup written by export --format json")
    res.add_argument("--replace", action="store_true", help="erase everything in the profile first")


def _import(paths, args: argparse.Namespace) -> int:
    from pathlib import Path

    from crm_desktop.exchange.files import UnreadableFileError
    from crm_desktop.exchange.importer import CandidateImporter, DuplicatePolicy
    from crm_desktop.exchange.sources import open_source

    try:
        source = open_source(Path(args.file))
        records, _counter = source.records()
    except UnreadableFileError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    profile = open_profile(paths, SystemClock())
    try:
        importer = CandidateImporter(profile.services)
        report = importer.run(records, DuplicatePolicy(args.duplicates), dry_run=args.dry_run)
    finally:
        profile.close()
    for rejection in report.rejected:
        print(f"{args.file}: {rejection}", file=sys.stderr)
    print(f"{source.format_name}: {report.summary()}")
    if report.processed and len(report.rejected) == report.processed:
        print(f"{APP_NAME}: no row of {args.file} could be imported", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _export(paths, args: argparse.Namespace) -> int:
    import contextlib
    import io
    from pathlib import Path

    from crm_desktop.exchange.exports import ENCODINGS, export

    profile = open_profile(paths, SystemClock())
    try:
        if args.output is None:
            out = io.TextIOWrapper(
                sys.stdout.buffer, encoding=ENCODINGS[args.format], newline="", write_through=True
            )
            try:
                export(args.format, profile.services, out, attachments_dir=paths.attachments_dir)
                out.flush()
            finally:
                out.detach()
            return EXIT_OK
        target = Path(args.output)
        temporary = target.with_name(target.name + ".part")
        try:
            with temporary.open("w", encoding=ENCODINGS[args.format], newline="") as handle:
                count = export(
                    args.format, profile.services, handle, attachments_dir=paths.attachments_dir
                )
            temporary.replace(target)
        except OSError as exc:
            print(f"{APP_NAME}: cannot write {target}: {exc.strerror}", file=sys.stderr)
            return EXIT_FAILURE
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
    finally:
        profile.close()
    print(f"{APP_NAME}: wrote {count} {args.format} records to {target}", file=sys.stderr)
    return EXIT_OK


def _restore(paths, args: argparse.Namespace) -> int:
    from pathlib import Path

    from crm_desktop.exchange.json_backup import RestoreError, read_backup, restore_backup

    try:
        document = read_backup(Path(args.file))
    except RestoreError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    clock = SystemClock()
    profile = open_profile(paths, clock)
    try:
        report = restore_backup(
            profile.database, document, paths.attachments_dir, clock, replace=args.replace
        )
    except RestoreError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        profile.close()
    print(report.summary())
    return EXIT_OK


EXCHANGE_COMMANDS = {"import": _import, "export": _export, "restore": _restore}


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date (YYYY-MM-DD)") from None
