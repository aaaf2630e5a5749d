"""The sync's trust settings (issue #13) are checked when the site starts: a value that
would disable a guard by accident, or free a live sync's lock, stops the start."""

from __future__ import annotations

import pytest

from tests.test_settings import _run_manage


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FEEDS_WITHDRAWAL_GUARD_PERCENT", "-5", "between 0 and 100"),
        ("FEEDS_WITHDRAWAL_GUARD_PERCENT", "150", "between 0 and 100"),
        ("FEEDS_WITHDRAWAL_GUARD_PERCENT", "30%", "must be an integer"),
        ("FEEDS_WITHDRAWAL_GUARD_FLOOR", "-1", "0 or more"),
        ("FEEDS_CONFIRMATION_LIMIT", "-1", "0 or more"),
        ("FEEDS_LOCK_HEARTBEAT_SECONDS", "0", "1 or more"),
        ("FEEDS_LOCK_STALE_HEARTBEATS", "1", "2 or more"),
    ],
)
def test_an_out_of_range_sync_trust_setting_stops_the_start(name, value, message):
    result = _run_manage("check", env={"DEBUG": "1", name: value})
    assert result.returncode != 0
    assert name in result.stderr and message in result.stderr


def test_the_sync_trust_settings_accept_their_bounds():
    result = _run_manage(
        "check",
        env={
            "DEBUG": "1",
            "FEEDS_WITHDRAWAL_GUARD_PERCENT": "0",
            "FEEDS_WITHDRAWAL_GUARD_FLOOR": "0",
            "FEEDS_CONFIRMATION_LIMIT": "0",
            "FEEDS_LOCK_STALE_HEARTBEATS": "2",
        },
    )
    assert result.returncode == 0, result.stderr
    result = _run_manage("check", env={"DEBUG": "1", "FEEDS_WITHDRAWAL_GUARD_PERCENT": "100"})
    assert result.returncode == 0, result.stderr
