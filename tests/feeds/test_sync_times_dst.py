"""Issue #17 point 5 (break): sync-run times around the changes of clock in Paris."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation

from showcase.feeds.admin import local_time


def test_the_repeated_hour_when_clocks_go_back_tells_the_two_runs_apart():
    with translation.override("fr"):
        first = local_time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
        second = local_time(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert first != second
    assert first.startswith("25/10/2026 02:30:00") and second.startswith("25/10/2026 02:30:00")


def test_times_outside_the_repeated_hour_carry_no_zone_name():
    with translation.override("fr"):
        assert local_time(datetime(2026, 10, 25, 2, 0, 1, tzinfo=UTC)) == "25/10/2026 03:00:01"
        assert local_time(datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC)) == "29/03/2026 03:00:00"
        assert local_time(datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)) == "29/03/2026 01:59:59"
