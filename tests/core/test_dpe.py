"""The DPE scales (docs/legal.md §5.1): classes from values, letters, validity."""

from __future__ import annotations

from datetime import date

import pytest

from showcase.core import dpe


@pytest.mark.parametrize(
    ("value", "letter"),
    [(0, "A"), (69.9, "A"), (70, "B"), ("109.99", "B"), (179, "C"), (250, "E"), (419, "F")]
    + [(420, "G"), ("1000", "G")],
)
def test_an_energy_value_is_floored_then_classed_by_the_first_greater_bound(value, letter):
    assert dpe.letter_for(value, dpe.ENERGY_THRESHOLDS) == letter


@pytest.mark.parametrize(
    ("value", "letter"), [(5.9, "A"), (6, "B"), (29, "C"), (50, "E"), (99, "F"), (100, "G")]
)
def test_a_climate_value_has_its_own_bounds(value, letter):
    assert dpe.letter_for(value, dpe.CLIMATE_THRESHOLDS) == letter


def test_the_label_takes_the_worse_of_energy_and_climate():
    assert dpe.label_letter(212, 35) == "D"
    assert dpe.label_letter(100, 60) == "E"  # energy B, climate E
    assert dpe.label_letter(500, 1) == "G"


@pytest.mark.parametrize(("text", "expected"), [("A", True), ("G", True)])
def test_only_one_capital_letter_of_the_scale_is_a_letter(text, expected):
    assert dpe.is_letter(text) is expected
    for not_a_letter in ("", "H", "a", "AB", "ABCDEFG"):
        assert not dpe.is_letter(not_a_letter)


def test_a_dpe_is_valid_ten_years_and_never_if_made_before_the_2021_reform():
    assert dpe.valid_until(date(2023, 3, 14)) == date(2033, 3, 14)
    assert dpe.valid_until(date(2024, 2, 29)) == date(2034, 2, 28)
    assert not dpe.is_outdated(date(2023, 3, 14), today=date(2033, 3, 14))
    assert dpe.is_outdated(date(2023, 3, 14), today=date(2033, 3, 15))
    assert dpe.is_outdated(date(2021, 6, 30), today=date(2021, 7, 1))
    assert not dpe.is_outdated(dpe.NEW_DPE_SINCE, today=date(2021, 7, 1))
