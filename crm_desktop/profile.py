"""Opening a profile (real or demo): paths, database, services. Qt-free, shared by the GUI and
the headless commands."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.services import Services, build_services
from crm_desktop.paths import AppPaths
from crm_desktop.store.database import close_database, open_database
from crm_desktop.store.models import Candidate, Setting

log = logging.getLogger(__name__)
DEMO_STAMP_KEY = "demo.generated_on"


@dataclass
class Profile:
    paths: AppPaths
    database: peewee.SqliteDatabase
    services: Services
    demo: bool

    def close(self) -> None:
        close_database(self.database)


def open_profile(paths: AppPaths, clock: Clock, demo: bool = False) -> Profile:
    """Open the profile's database (creating and migrating it as needed)."""
    paths.ensure()
    if demo:
        _discard_stale_demo(paths, clock)
    database = open_database(paths.db_file, paths.backups_dir, clock)
    services = build_services(database, clock)
    if demo and not Candidate.select().exists():
        from crm_desktop.demo_data import populate_demo

        summary = populate_demo(services)
        with database.atomic():
            Setting.replace(
                key=DEMO_STAMP_KEY, value=json.dumps(clock.today().isoformat())
            ).execute()
        log.info("Demo database generated: %s", summary)
    return Profile(paths, database, services, demo)


def _discard_stale_demo(paths: AppPaths, clock: Clock) -> None:
    """The demo is placed relative to *today*: rebuild it when it was made on another day."""
    if not paths.db_file.exists():
        return
    database = open_database(paths.db_file, paths.backups_dir, clock)
    try:
        row = Setting.get_or_none(Setting.key == DEMO_STAMP_KEY)
        fresh = row is not None and json.loads(row.value) == clock.today().isoformat()
    finally:
        close_database(database)
    if not fresh:
        for suffix in ("", "-wal", "-shm"):
            path = paths.db_file.with_name(paths.db_file.name + suffix)
            path.unlink(missing_ok=True)
