"""Filling the search index from a helper thread while a bulk write goes on (large imports).

Indexing a new candidate is one ``INSERT INTO candidate_fts ... SELECT ... FROM
candidate_search_source``: the work (building the document, tokenising it, writing the index) is
all inside SQLite, which releases the GIL for it. So while the importing thread parses and checks
the next rows in Python, a helper thread indexes the rows already written, on the same
connection and inside the same transaction (the connection is opened with
``check_same_thread=False``; SQLite serialises the two threads' calls on it). A cancel or a
failure stops the helper before the transaction rolls back, so the index is rolled back with the
rows, and other connections never see an index that disagrees with its content.

Two rules keep it correct:

- no Python function may run inside these statements: a thread blocked in SQLite while holding
  the GIL and a callback that needs the GIL would deadlock. The v8 search view is plain SQL;
- removing a document must read the text that was indexed, so ``remove`` first waits until
  every queued ``add`` is written, then runs on the caller's thread, before the caller changes
  the rows.

The helper takes ids in runs of ``RUN`` (one statement each): long enough that the GIL is
reacquired once per few milliseconds of SQLite work, short enough that a cancel waits little.
"""

from __future__ import annotations

import queue
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import peewee

from crm_desktop.store.params import placeholders
from crm_desktop.store.search import SEARCH_COLUMNS, SEARCH_SOURCE

RUN = 500
# While the helper runs, Python hands the GIL over every millisecond instead of every 5: back
# from SQLite, the helper waits for the GIL before it can take its next run, and at 5 ms those
# waits left it idle for ~1 s of a 150,000-row import (8.0 s instead of 9.1 s, alternated runs).
SWITCH_INTERVAL_S = 0.001

_ADD = (
    f"INSERT INTO candidate_fts(rowid, {SEARCH_COLUMNS}) "
    f"SELECT id, {SEARCH_COLUMNS} FROM {SEARCH_SOURCE} WHERE id IN ({{}})"
)
_REMOVE = (
    f"INSERT INTO candidate_fts(candidate_fts, rowid, {SEARCH_COLUMNS}) "
    f"SELECT 'delete', id, {SEARCH_COLUMNS} FROM {SEARCH_SOURCE} WHERE id IN ({{}})"
)
_STOP = None


class BackgroundSearchIndex:
    """Queues candidates to index and indexes them on a helper thread; see the module docstring.

    Use through ``search_indexed_in_background``, which starts the thread and always stops it.
    """

    def __init__(self, connection: sqlite3.Connection, run: int = RUN) -> None:
        self._connection = connection
        self._run = run
        self._waiting: list[int] = []
        self._queue: queue.Queue[list[int] | None] = queue.Queue()
        self._error: BaseException | None = None
        self._abandon = threading.Event()
        # One writer at a time on the connection (see ``writing``): the lock, and a turn that
        # makes the helper let a waiting writer go before its next run.
        self._statement = threading.Lock()
        self._no_writer_waiting = threading.Event()
        self._no_writer_waiting.set()
        self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the helper off while the caller writes on the shared connection.

        A failed statement (a full disk) can make SQLite end the whole transaction; a write
        made after that would be saved on its own. So the helper's statement in progress ends
        first, and its failure, or a transaction that is gone, is raised here instead.
        """
        self._no_writer_waiting.clear()
        try:
            with self._statement:
                self._raise_error()
                if not self._connection.in_transaction:
                    raise peewee.OperationalError("the import's transaction has ended")
                yield
        finally:
            self._no_writer_waiting.set()

    def add(self, candidate_ids: Sequence[int]) -> None:
        """Index these candidates (written and final for now) on the helper thread."""
        self._raise_error()
        self._waiting.extend(candidate_ids)
        while len(self._waiting) >= self._run:
            self._queue.put(self._waiting[: self._run])
            del self._waiting[: self._run]

    def remove(self, candidate_ids: Sequence[int]) -> None:
        """Take these candidates' documents out, now, before their rows change."""
        self.wait()
        for start in range(0, len(candidate_ids), self._run):
            chunk = list(candidate_ids[start : start + self._run])
            self._connection.execute(_REMOVE.format(placeholders(len(chunk))), chunk)

    def wait(self) -> None:
        """Return when everything added so far is in the index (or raise what went wrong)."""
        if self._waiting:
            self._queue.put(self._waiting)
            self._waiting = []
        self._queue.join()
        self._raise_error()

    def _start(self) -> None:
        self._thread.start()

    def _stop(self, abandon: bool) -> None:
        if abandon:
            self._abandon.set()
        self._queue.put(_STOP)
        self._thread.join()

    def _work(self) -> None:
        while True:
            ids = self._queue.get()
            try:
                if ids is _STOP:
                    return
                if self._error is None and not self._abandon.is_set():
                    self._no_writer_waiting.wait()
                    with self._statement:
                        if not self._connection.in_transaction:  # it failed on the other side
                            raise peewee.OperationalError("the import's transaction has ended")
                        self._connection.execute(_ADD.format(placeholders(len(ids))), ids)
            except sqlite3.Error as exc:  # handed to the importing thread, as peewee raises it
                try:
                    with peewee.__exception_wrapper__:
                        raise exc
                except peewee.PeeweeException as wrapped:
                    self._error = wrapped
            except BaseException as exc:
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error


@contextmanager
def search_indexed_in_background(
    database: peewee.Database, run: int = RUN
) -> Iterator[BackgroundSearchIndex]:
    """A ``BackgroundSearchIndex`` on ``database``'s connection, for the length of the block.

    Must be entered inside the transaction and with the search triggers paused
    (``store.search.search_triggers_paused``). Leaving the block normally writes what is still
    queued and re-raises a failure of the helper; leaving it with an exception abandons the
    queue. Either way the helper has stopped when the block ends, before any rollback.
    """
    if not database.in_transaction():
        raise RuntimeError("search_indexed_in_background needs a transaction")
    index = BackgroundSearchIndex(database.connection(), run)
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(min(switch_interval, SWITCH_INTERVAL_S))
    index._start()
    try:
        yield index
        index.wait()
    except BaseException:
        index._stop(abandon=True)
        raise
    else:
        index._stop(abandon=False)
    finally:
        sys.setswitchinterval(switch_interval)
