"""A small, Qt-free observer hub: core announces what changed, the UI refreshes just that."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """``entity`` ("candidate", "interaction", "reminder", ...) ``ids`` were ``action``-ed."""

    entity: str
    action: str
    ids: tuple[int, ...] = ()
    candidate_ids: tuple[int, ...] = ()


Listener = Callable[[Change], None]


class EventHub:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register ``listener``; returns a function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, change: Change) -> None:
        # A failing listener must not undo or block a write that has already committed.
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("Change listener failed for %s", change)
