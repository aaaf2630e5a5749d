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


@pytest.mark.parametrize(
    ("value", "letter"),
    [(50, "A"), (50.9, "A"), (51, "B"), (90, "B"), (91, "C"), (150, "C"), (151, "D")]
    + [(230, "D"), (231, "E"), (330, "E"), (331, "F"), (450, "F"), (451, "G")],
)
def test_an_old_dpe_energy_value_is_classed_on_the_2006_scale(value, letter):
    assert dpe.letter_for(value, dpe.OLD_ENERGY_THRESHOLDS) == letter


@pytest.mark.parametrize(
    ("value", "letter"),
    [(5, "A"), (6, "B"), (10, "B"), (11, "C"), (20, "C"), (21, "D"), (35, "D")]
    + [(36, "E"), (55, "E"), (56, "F"), (80, "F"), (81, "G")],
)
def test_an_old_dpe_climate_value_is_classed_on_the_2006_scale(value, letter):
    assert dpe.letter_for(value, dpe.OLD_CLIMATE_THRESHOLDS) == letter


def test_classes_since_july_2021_take_the_worse_of_energy_and_climate():
    assert dpe.classes_for(214, 6, date(2023, 5, 10)) == ("D", "B")
    assert dpe.classes_for(100, 60, date(2021, 7, 1)) == ("E", "E")
    # Without the emissions the double threshold cannot be applied: no energy class.
    assert dpe.classes_for(214, None, date(2023, 5, 10)) == ("", "")
    assert dpe.classes_for(None, 6, date(2023, 5, 10)) == ("", "B")


def test_classes_before_july_2021_come_from_two_independent_old_scales():
    assert dpe.classes_for(240, 40, date(2021, 6, 30)) == ("E", "E")
    assert dpe.classes_for(100, 60, date(2015, 1, 1)) == ("C", "F")
    assert dpe.classes_for(240, None, date(2019, 3, 4)) == ("E", "")


def test_negative_values_give_no_class():
    assert dpe.classes_for(-5, -1, date(2023, 1, 1)) == ("", "")
