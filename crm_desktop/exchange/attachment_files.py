"""Where an attachment's bytes live: content-addressed files under the attachments directory.

``attachments/<first two hex digits>/<sha256>``: the same file attached twice is stored once,
and the ``attachment`` rows point at it by hash. The backup, the candidate's data export and the
erasure all find files through ``attachment_path`` so they agree with each other (and with the
screen that adds attachments, which must store them the same way).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from crm_desktop.paths import make_private_dir

_SHA256 = re.compile(r"[0-9a-f]{64}")


def attachment_path(attachments_dir: Path, sha256: str) -> Path:
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256[:80]!r}")
    return attachments_dir / sha256[:2] / sha256


def write_attachment(attachments_dir: Path, content: bytes) -> str:
    """Store ``content`` (atomically, owner-only) and return its sha256."""
    sha = hashlib.sha256(content).hexdigest()
    target = attachment_path(attachments_dir, sha)
    if target.is_file():
        return sha
    make_private_dir(target.parent)
    temporary = target.with_name(target.name + ".part")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(temporary, target)
    return sha
