"""Errors the store raises, each with a message a recruiter can act on."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A problem with the database file itself."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{message} ({path})")
        self.path = path
        self.message = message


class DatabaseTooNewError(StoreError):
    """The file was written by a newer Rapport; we refuse to touch it."""


class DatabaseCorruptError(StoreError):
    """The file is not a SQLite database or fails the integrity check."""


class NotRapportDatabaseError(StoreError):
    """A SQLite file of another program: we refuse to add our tables to it."""


class DatabaseLockedError(StoreError):
    """Another program holds a lock on the file for longer than the busy timeout."""


class MigrationError(StoreError):
    """A schema upgrade failed; the file was rolled back to its previous version."""
