"""Preferences declared in code, stored as JSON in the setting table."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

from crm_desktop.core.events import Change
from crm_desktop.core.preferences import (
    DIGEST_SENT_ON,
    DIGEST_TIME,
    FOLLOW_UP_DAYS,
    Preferences,
)
from crm_desktop.store.models import Setting


def test_defaults_until_set_then_stored_as_json(services):
    prefs = services.preferences
    assert prefs.get(DIGEST_TIME) == time(8, 30)
    prefs.set(DIGEST_TIME, time(6, 5))
    assert json.loads(Setting.get_by_id("notify.digest_time").value) == "06:05"
    fresh = Preferences(services.hub, services.database)  # another process, say
    assert fresh.get(DIGEST_TIME) == time(6, 5)


def test_an_unreadable_stored_value_falls_back_to_the_default(services, caplog):
    Setting.replace(key="notify.digest_time", value='"half past eight"').execute()
    Setting.replace(key="follow_up.default_days", value='{"active": -3}').execute()
    fresh = Preferences(services.hub, services.database)
    assert fresh.get(DIGEST_TIME) == time(8, 30)
    assert fresh.get(FOLLOW_UP_DAYS) == {"active": 30, "passive": 90, "placed": 90}
    assert "Ignoring unreadable preference notify.digest_time" in caplog.text


def test_invalid_values_are_refused(services):
    with pytest.raises(ValueError, match="bad cadence"):
        services.preferences.set(FOLLOW_UP_DAYS, {"active": 0})
    with pytest.raises(ValueError, match="bad cadence"):
        services.preferences.set(FOLLOW_UP_DAYS, {"active": True})
    assert services.preferences.get(FOLLOW_UP_DAYS)["active"] == 30


def test_writes_are_announced_unless_bookkeeping(services):
    seen: list[Change] = []
    services.hub.subscribe(seen.append)
    services.preferences.set(DIGEST_TIME, time(9, 0))
    services.preferences.set(DIGEST_SENT_ON, date(2026, 11, 27), announce=False)
    assert seen == [Change("preference", "updated")]
    assert services.preferences.get(DIGEST_SENT_ON) == date(2026, 11, 27)
