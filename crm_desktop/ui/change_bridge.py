"""Carries core's change announcements into Qt as a signal.

Core's ``EventHub`` is plain Python; a write on a worker thread must not touch widgets directly,
so every change is re-emitted as a Qt signal, which Qt queues onto the UI thread when needed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from crm_desktop.core.events import Change, EventHub


class ChangeBridge(QObject):
    changed = Signal(object)  # Change

    def __init__(self, hub: EventHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = hub.subscribe(self._forward)
        self.destroyed.connect(lambda *_: self._unsubscribe())

    def _forward(self, change: Change) -> None:
        self.changed.emit(change)
