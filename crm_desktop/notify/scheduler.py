"""The thin Qt driver of ``core.alerts``: one single-shot QTimer, armed for what falls due next.

The timer is armed for the next wake-up ``AlertEngine.next_wakeup`` reports, but never for longer
than ``RESYNC_MS``: the periodic re-sync catches what a timer cannot see (the clock changed, the
data was edited by another window) and bounds how late a wake from sleep is noticed. The cap
also keeps the interval inside QTimer's signed 32-bit milliseconds (about 24.8 days), which it
would otherwise overflow for a reminder set months ahead.

Each firing first asks ``WakeDetector`` whether the machine slept (wall time ran ahead of
monotonic time, both read from the app's Clock); if so, what fell due meanwhile comes as one
digest. Data changes re-check after a short pause, so a bulk edit costs one check, not hundreds.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from crm_desktop.clock import Clock
from crm_desktop.core.alerts import START, TICK, WAKE, Alert, AlertEngine, WakeDetector
from crm_desktop.core.events import Change, EventHub
from crm_desktop.ui.change_bridge import ChangeBridge

log = logging.getLogger(__name__)

RESYNC_MS = 5 * 60 * 1000  # look again at least every five minutes
QTIMER_MAX_MS = 2**31 - 1  # QTimer's interval is a signed 32-bit count of milliseconds
CHANGE_PAUSE_MS = 400  # after an edit, wait for the rest of a burst before checking
MIN_DELAY_MS = 50  # never spin: a wake-up "now" is taken a moment later


def delay_ms(now: datetime, wakeup: datetime | None, cap_ms: int = RESYNC_MS) -> int:
    """Milliseconds to arm the timer for: until ``wakeup``, at most ``cap_ms`` (itself kept
    inside QTimer's range), at least ``MIN_DELAY_MS``. Rounded up, so the timer never fires
    just before the moment and finds nothing due."""
    cap = min(cap_ms, QTIMER_MAX_MS)
    if wakeup is None:
        return cap
    wanted = math.ceil((wakeup - now).total_seconds() * 1000)
    return max(MIN_DELAY_MS, min(cap, wanted))


class AlertScheduler(QObject):
    """Emits ``alert(Alert)`` for each alert to raise, and ``woke`` after a sleep."""

    alert = Signal(object)
    woke = Signal()
    checked = Signal()  # after every check: the tray's tooltip and the like refresh

    def __init__(
        self,
        engine: AlertEngine,
        clock: Clock,
        hub: EventHub,
        parent: QObject | None = None,
        resync_ms: int = RESYNC_MS,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._clock = clock
        self._resync_ms = resync_ms
        self._detector = WakeDetector()
        self._started = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self._after_change = QTimer(self)
        self._after_change.setSingleShot(True)
        self._after_change.setInterval(CHANGE_PAUSE_MS)
        self._after_change.timeout.connect(self.tick)
        self._bridge = ChangeBridge(hub, self)
        self._bridge.changed.connect(self._on_change)

    def start(self) -> list[Alert]:
        """Raise what fell due while the app was closed, then keep watching."""
        self._started = True
        self._detector.observe(self._clock.now(), self._clock.monotonic())
        return self._run(START)

    def stop(self) -> None:
        self._started = False
        self.timer.stop()
        self._after_change.stop()

    def tick(self) -> list[Alert]:
        """The timer fired (or the data changed): raise what is due now."""
        if not self._started:
            return []
        slept = self._detector.observe(self._clock.now(), self._clock.monotonic())
        if slept:
            log.info("The machine slept; catching up")
            self.woke.emit()
        return self._run(WAKE if slept else TICK)

    def _run(self, why: str) -> list[Alert]:
        alerts: list[Alert] = []
        try:
            alerts = self._engine.check(why)
        except Exception:
            # A locked or failing database must not stop the alerts for good: try again later.
            log.exception("Alert check failed")
        for alert in alerts:
            self.alert.emit(alert)
        self.arm()
        self.checked.emit()
        return alerts

    def arm(self) -> None:
        now = self._clock.now()
        try:
            wakeup = self._engine.next_wakeup()
        except Exception:
            log.exception("Could not work out the next alert time")
            wakeup = None
        self.timer.start(delay_ms(now, wakeup, self._resync_ms))

    def _on_change(self, change: Change) -> None:
        """Any edit may add, move or settle something due (or change the digest time)."""
        if self._started:
            self._after_change.start()
