from __future__ import annotations

import pytest

from showcase.listings.hours import parse_opening_hours

SPEC = (
    "Mo 08:00-12:00,13:30-17:45;Tu 08:00-12:00,13:30-17:45;We 08:00-12:00;"
    "Th 08:00-12:00,13:30-17:45;Fr 08:00-12:00,13:30-17:45"
)


def test_reads_the_spec_example_as_a_week_with_closed_days():
    week = parse_opening_hours(SPEC)
    assert [d.code for d in week] == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert week[0].ranges == (("08:00", "12:00"), ("13:30", "17:45"))
    assert week[2].ranges == (("08:00", "12:00"),)
    assert week[5].ranges == () and week[6].ranges == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Mo-Fr 08:00-12:00",
        "Mo 8h-12h",
        "Xx 08:00-12:00",
        "Mo 12:00-08:00",
        "Mo 08:00-12:00;Mo 14:00-18:00",
        "Mo 25:00-26:00",
    ],
)
def test_anything_else_is_not_parsed(text):
    assert parse_opening_hours(text) is None
