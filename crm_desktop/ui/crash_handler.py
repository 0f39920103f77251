"""Uncaught exceptions: logged with the traceback, shown in a dialog, and the app keeps running.

Qt calls Python slots from its event loop; an exception there would otherwise only print to a
console nobody sees. The hook logs it, then shows the message with details to copy.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter

log = logging.getLogger("crm_desktop.crash")


class CrashHandler:
    def __init__(self, prompter: Prompter, log_path: str) -> None:
        self._prompter = prompter
        self._log_path = log_path
        self._showing = False
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("Uncaught exception\n%s", details)
        if self._showing:  # an error while showing the error dialog: log only
            return
        self._showing = True
        try:
            self._prompter.error(
                _("Something went wrong"),
                _(
                    "Rapport hit an unexpected error: {error}\n\nYour saved data is safe. "
                    "The details are also in the log file: {log}"
                ).format(error=f"{exc_type.__name__}: {exc}", log=self._log_path),
                details,
            )
        finally:
            self._showing = False
