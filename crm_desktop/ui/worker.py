"""Long work (import, export, backup) off the UI thread, with progress and cancel.

``Task`` runs a plain function on a ``QThread``. The function receives a ``TaskControl``: it
reports progress through it (thread-safe: a Qt signal, queued to the UI thread) and polls
``cancelled`` to stop early. The result or the exception comes back as a signal on the UI thread.

Database work in the function uses the worker thread's own SQLite connection: peewee keeps one
connection per thread, and ``Task`` closes the worker's connection when the function returns, so
no connection outlives its thread. (SQLite in WAL mode lets the UI thread keep reading while the
worker writes.)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from crm_desktop.i18n import _

log = logging.getLogger(__name__)


class TaskControl:
    """Handed to the work function: report progress, and learn about a cancel request."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._task.progressed.emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class Task(QObject):
    """One run of ``work(control)`` on a worker thread."""

    progressed = Signal(int, int, str)  # done, total, text
    succeeded = Signal(object)  # the function's result
    failed = Signal(object)  # the exception
    finished = Signal()  # after succeeded or failed

    def __init__(
        self,
        work: Callable[[TaskControl], Any],
        release_connection: Callable[[], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._release_connection = release_connection
        self.control = TaskControl(self)
        self._thread = _Thread(self)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self.control.cancel()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread.wait(ms)

    def _run(self) -> None:
        try:
            result = self._work(self.control)
        except Exception as exc:  # reported to the UI thread, which shows it
            log.info("Background task ended with %s: %s", type(exc).__name__, exc)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            if self._release_connection is not None:
                self._release_connection()  # this thread's connection only
            self.finished.emit()


class _Thread(QThread):
    def __init__(self, task: Task) -> None:
        super().__init__(task)
        self._task = task

    def run(self) -> None:
        self._task._run()


def progress_dialog(task: Task, title: str, parent: QWidget | None) -> QProgressDialog:
    """A window-modal progress dialog bound to ``task``: Cancel cancels, finishing closes it."""
    dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def show(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    task.progressed.connect(show)
    dialog.canceled.connect(task.cancel)
    task.finished.connect(dialog.close)
    return dialog
