"""Logging to a rotating file in the profile's logs directory (and stderr for warnings)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from crm_desktop.paths import make_private_dir

MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path, verbose: bool = False) -> logging.Handler:
    """Send records to ``log_file`` (rotated at 1 MB, 5 kept). Returns the file handler."""
    make_private_dir(log_file.parent)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_rapport", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    file_handler._rapport = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return file_handler
