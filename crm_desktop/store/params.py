"""Bound parameters for ``IN (...)`` lists: SQLite limits how many one statement may bind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

CHUNK = 500  # values per ``IN (...)``, well under SQLite's limit on bound parameters


def chunks(values: Sequence[T], size: int = CHUNK) -> list[list[T]]:
    """``values`` in consecutive lists of at most ``size``."""
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


def placeholders(count: int) -> str:
    """ "?, ?, ?" for ``count`` parameters."""
    return ", ".join("?" * count)
