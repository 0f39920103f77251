"""Preferences: the morning digest, default follow-up cadences, the tray, start at login."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.autostart import Autostart
from crm_desktop.core.preferences import (
    CLOSE_TO_TRAY,
    DIGEST_ENABLED,
    DIGEST_TIME,
    FOLLOW_UP_DAYS,
    FOLLOW_UP_STATUSES,
    MAX_CADENCE_DAYS,
    START_AT_LOGIN,
    Preferences,
)
from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.i18n import _
from crm_desktop.ui.prompter import Prompter


class PreferencesDialog(QDialog):
    """Edits the declared preferences; "Start at login" writes or removes the system's entry.

    ``tray_available`` greys out close-to-tray where there is no tray to close to.
    """

    def __init__(
        self,
        preferences: Preferences,
        autostart: Autostart,
        launch_command: Sequence[str],
        prompter: Prompter,
        *,
        tray_available: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._autostart = autostart
        self._command = list(launch_command)
        self._prompter = prompter
        self.setWindowTitle(_("Preferences"))

        self.digest_enabled = QCheckBox(_("Show a digest of the day at"))
        self.digest_enabled.setChecked(preferences.get(DIGEST_ENABLED))
        at = preferences.get(DIGEST_TIME)
        self.digest_time = QTimeEdit(QTime(at.hour, at.minute))
        self.digest_time.setDisplayFormat("HH:mm")
        self.digest_enabled.toggled.connect(self.digest_time.setEnabled)
        self.digest_time.setEnabled(self.digest_enabled.isChecked())
        digest_row = QHBoxLayout()
        digest_row.addWidget(self.digest_enabled)
        digest_row.addWidget(self.digest_time)
        digest_row.addStretch(1)
        digest_note = QLabel(
            _(
                "Birthdays, anniversaries and follow-ups are announced at this time; "
                "reminders at their own time."
            )
        )
        digest_note.setWordWrap(True)
        alerts = QGroupBox(_("Alerts"))
        alerts_layout = QVBoxLayout(alerts)
        alerts_layout.addLayout(digest_row)
        alerts_layout.addWidget(digest_note)

        cadences = preferences.get(FOLLOW_UP_DAYS)
        self.cadence: dict[str, QSpinBox] = {}
        follow = QGroupBox(_("Follow up after no contact for"))
        follow_form = QFormLayout(follow)
        for status in FOLLOW_UP_STATUSES:
            spin = QSpinBox()
            spin.setRange(0, MAX_CADENCE_DAYS)
            spin.setSpecialValueText(_("Never"))
            spin.setSuffix(_(" days"))
            spin.setValue(cadences.get(status) or 0)
            spin.setAccessibleName(
                _("Follow-up cadence for {status} candidates").format(
                    status=STATUS_LABELS[status].lower()
                )
            )
            self.cadence[status] = spin
            follow_form.addRow(STATUS_LABELS[status], spin)
        follow_note = QLabel(_("A candidate's own cadence, set on their profile, comes first."))
        follow_note.setWordWrap(True)
        follow_form.addRow(follow_note)

        self.close_to_tray = QCheckBox(
            _("Keep running in the system tray when the window is closed")
        )
        self.close_to_tray.setChecked(preferences.get(CLOSE_TO_TRAY) and tray_available)
        self.close_to_tray.setEnabled(tray_available)
        if not tray_available:
            self.close_to_tray.setToolTip(_("This desktop has no system tray."))
        self.start_at_login = QCheckBox(_("Start Rapport when I log in"))
        self.start_at_login.setChecked(autostart.is_enabled())
        self.start_at_login.setToolTip(autostart.where())
        window = QGroupBox(_("Window"))
        window_layout = QVBoxLayout(window)
        window_layout.addWidget(self.close_to_tray)
        window_layout.addWidget(self.start_at_login)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(alerts)
        layout.addWidget(follow)
        layout.addWidget(window)
        layout.addWidget(buttons)

    def save(self) -> bool:
        prefs = self._preferences
        at = self.digest_time.time()
        prefs.set(DIGEST_ENABLED, self.digest_enabled.isChecked())
        prefs.set(DIGEST_TIME, DIGEST_TIME.decode(f"{at.hour():02d}:{at.minute():02d}"))
        prefs.set(FOLLOW_UP_DAYS, {s: (spin.value() or None) for s, spin in self.cadence.items()})
        if self.close_to_tray.isEnabled():
            prefs.set(CLOSE_TO_TRAY, self.close_to_tray.isChecked())
        wanted = self.start_at_login.isChecked()
        if wanted != self._autostart.is_enabled():
            try:
                if wanted:
                    self._autostart.enable(self._command)
                else:
                    self._autostart.disable()
            except OSError as exc:
                self._prompter.error(
                    _("Cannot change start at login"),
                    _("Rapport could not write {where}.").format(where=self._autostart.where()),
                    str(exc),
                )
                return False
        prefs.set(START_AT_LOGIN, wanted)
        self.accept()
        return True
