"""Every directory Rapport uses, in one place.

Resolution order for the data directory: ``--data-dir`` > ``RAPPORT_DATA_DIR`` > the platform's
per-user data directory (appdirs). The demo database lives in its own ``demo`` sub-directory so
``--demo`` can never touch the user's real data. Nothing here touches the disk at import time;
``AppPaths.ensure()`` creates the directories, readable by the owner only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import appdirs

from crm_desktop import APP_AUTHOR, APP_NAME

DATA_DIR_ENV = "RAPPORT_DATA_DIR"
DB_FILENAME = "rapport.sqlite3"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class AppPaths:
    """The directories of one Rapport profile (real or demo)."""

    data_dir: Path
    logs_dir: Path

    @property
    def db_file(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def log_file(self) -> Path:
        return self.logs_dir / "rapport.log"

    def ensure(self) -> None:
        """Create the directories (owner-only) if they are missing."""
        for directory in (self.data_dir, self.backups_dir, self.attachments_dir, self.logs_dir):
            make_private_dir(directory)


def resolve_paths(data_dir: str | os.PathLike[str] | None = None, demo: bool = False) -> AppPaths:
    """Work out the profile's directories without creating anything."""
    explicit = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or None
    if explicit is not None:
        base = Path(explicit).expanduser().resolve()
        logs = base / "logs"
    else:
        base = Path(appdirs.user_data_dir(APP_NAME, APP_AUTHOR))
        logs = Path(appdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    if demo:
        base = base / "demo"
        logs = base / "logs"
    return AppPaths(data_dir=base, logs_dir=logs)


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) and make it readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if os.name == "posix":
        os.chmod(directory, PRIVATE_DIR_MODE)


def touch_private_file(path: Path) -> None:
    """Create ``path`` empty with owner-only permissions if it does not exist yet."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE)
        os.close(fd)
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE_MODE)
