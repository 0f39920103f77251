"""Opening a file somebody hands us: size limit, binary and wrong-format detection, encoding.

Every importer reads through ``open_text``: it refuses, with a sentence the recruiter can act on,
files that are too large, empty, binary (a spreadsheet, a PDF, a picture) or in an encoding we
cannot tell; and it returns a text stream that counts the bytes consumed, so progress can be shown
without knowing the number of rows in advance.

Encodings: a byte-order mark decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is recognised by
its zero bytes, then the whole file is checked as UTF-8 in one streaming pass (about 10 ms for
15 MB), and anything that is not valid UTF-8 is read as Windows-1252, what Excel and Outlook on
Windows write. (Windows-1252 decodes every byte but five; those become U+FFFD rather than fail.)
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from crm_desktop.i18n import _

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # 200 MB: ~2 million CSV rows; larger files: split them
SAMPLE_BYTES = 64 * 1024
_CHUNK = 1024 * 1024

# Leading bytes of formats people mistake for CSV or vCard, with what to do instead.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive or an Excel/Numbers workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or another Office file"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
    (b"SQLite format 3\x00", "a database file (use Restore for Rapport backups)"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
)


class UnreadableFileError(Exception):
    """The file cannot be imported at all; ``str(exc)`` is one sentence for the recruiter."""


@dataclass(frozen=True)
class TextFile:
    """What ``inspect`` found out about a file."""

    path: Path
    size: int
    encoding: str  # a Python codec name
    sample: str  # the first ~64 KB, decoded (may end mid-line)


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for progress)."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def inspect(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> TextFile:
    """Check that ``path`` is a readable text file and work out its encoding."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnreadableFileError(_("{name} is a folder, not a file.").format(name=path.name))
        if size > max_bytes:
            raise UnreadableFileError(
                _(
                    "{name} is {size} MB; Rapport imports files of up to {limit} MB. "
                    "Split it into smaller files and import them one after the other."
                ).format(name=path.name, size=size // (1024 * 1024), limit=max_bytes // 2**20)
            )
        if size == 0:
            raise UnreadableFileError(_("{name} is empty.").format(name=path.name))
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
            encoding = _encoding(head, handle)
    except OSError as exc:
        raise UnreadableFileError(
            _("{name} could not be read: {reason}").format(name=path.name, reason=exc.strerror)
        ) from exc
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    sample = sample.removeprefix("\ufeff")
    return TextFile(path, size, encoding, sample)


def open_text(info: TextFile) -> tuple[io.TextIOWrapper, CountingReader]:
    """The decoded text (newlines untranslated, as ``csv`` wants) and its byte counter."""
    counter = CountingReader(info.path.open("rb"))
    buffered = io.BufferedReader(counter, buffer_size=_CHUNK)
    return io.TextIOWrapper(buffered, encoding=info.encoding, errors="replace", newline=""), counter


def _encoding(head: bytes, rest: BinaryIO) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise UnreadableFileError(
                _("This file is {what}, not a text file. Export it as CSV or vCard first.").format(
                    what=what
                )
            )
    bom_less = _utf16_without_bom(head)
    if bom_less:
        return bom_less
    if b"\x00" in head or _control_share(head) > 0.05:
        raise UnreadableFileError(
            _(
                "This file holds binary data, not text. Rapport imports CSV files (.csv) "
                "and address cards (.vcf)."
            )
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head)
        while chunk := rest.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _utf16_without_bom(head: bytes) -> str | None:
    """Text of mostly Latin letters in UTF-16 has a zero in every other byte."""
    pairs = head[: len(head) - len(head) % 2]
    if len(pairs) < 4:
        return None
    even_zero = pairs[0::2].count(0) / (len(pairs) / 2)
    odd_zero = pairs[1::2].count(0) / (len(pairs) / 2)
    guess = None
    if odd_zero > 0.4 and even_zero < 0.05:
        guess = "utf-16-le"
    elif even_zero > 0.4 and odd_zero < 0.05:
        guess = "utf-16-be"
    if guess is None:
        return None
    text = pairs.decode(guess, errors="replace")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f")
    return guess if controls <= len(text) * 0.05 else None


def _control_share(head: bytes) -> float:
    """The share of bytes that never appear in text files (controls other than tab/CR/LF/FF)."""
    if not head:
        return 0.0
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head)
