"""Notifications: the QTimer that drives ``core.alerts``, and where alerts are shown (the system
tray, or a banner in the window where there is no tray)."""
