from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from showcase.listings.criteria import (
    CriterionError,
    Interval,
    boolean,
    canonical_number,
    comma_list,
    decimal_number,
    french_number,
    integer_list,
    interval_list,
    whole_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", [Interval(1, 1)]),
        ("1,3", [Interval(1, 1), Interval(3, 3)]),
        ("1-5, 7", [Interval(1, 5), Interval(7, 7)]),
        ("-3", [Interval(0, 3)]),
        ("4-", [Interval(4, None)]),
        (" 2 - 4 ", [Interval(2, 4)]),
        ("0", [Interval(0, 0)]),
        ("3-3", [Interval(3, 3)]),
        ("1,1", [Interval(1, 1)]),
        ("200-800,1000-", [Interval(200, 800), Interval(1000, None)]),
    ],
)
def test_interval_list_reads_the_spec_examples(raw, expected):
    assert interval_list(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "-", "a", "1-a", "5-1", "1--3", "1-2-3", "1.5", "-1-", ",", "x-"]
)
def test_interval_list_refuses_what_is_not_the_grammar(raw):
    with pytest.raises(CriterionError):
        interval_list(raw)


def test_bounds_are_included():
    (interval,) = interval_list("1-5")
    assert interval.contains(1) and interval.contains(5)
    assert not interval.contains(0) and not interval.contains(6)
    assert interval_list("4-")[0].contains(10**6)
    assert interval_list("-3")[0].includes_zero and not interval_list("1-3")[0].includes_zero


def test_comma_list_strips_and_deduplicates():
    assert comma_list(" sell, rent,,sell ") == ["sell", "rent"]
    assert comma_list("") == []


def test_comma_list_is_bounded():
    with translation.override("en"), pytest.raises(CriterionError, match="At most"):
        comma_list(",".join(str(i) for i in range(50)))


def test_integer_list_refuses_non_numbers():
    assert integer_list("3,4,5") == [3, 4, 5]
    with translation.override("en"), pytest.raises(CriterionError, match="whole number"):
        integer_list("3,four")
    with pytest.raises(CriterionError):
        integer_list("-1")


NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "raw",
    [
        "400000",
        "400 000",
        f"400{NBSP}000",
        f"400{NNBSP}000",
        "400 000 €",
        "400000€",
        " 400 000,00 ",
    ],
)
def test_whole_numbers_are_read_as_people_type_them(raw):
    assert whole_number(raw) == 400000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("400.000", 400000), ("1.500.000", 1500000), ("400.000 €", 400000), ("1 500.000", 1500000)],
)
def test_points_between_groups_of_three_are_thousands_separators(raw, expected):
    # French prices are written "400.000 €" too: that is never 400 €.
    assert whole_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.500.000,50", Decimal("1500000.5")), ("80.5", Decimal("80.5")), ("0.500", Decimal("0.5"))],
)
def test_a_point_is_decimal_only_when_it_groups_no_thousands(raw, expected):
    assert decimal_number(raw) == expected


@pytest.mark.parametrize("raw", ["1.50.000", "1.5000", "400.000.5", "400,000", "1 500,000"])
def test_points_that_group_no_thousands_are_no_whole_number(raw):
    # "400,000": 400 with a decimal comma, or 400000 the English way; never guessed.
    assert whole_number(raw) is None


@pytest.mark.parametrize("raw", ["80 m²", "80m²", "80 m2", "80"])
def test_a_trailing_square_metre_unit_is_read(raw):
    assert whole_number(raw) == 80


@pytest.mark.parametrize(
    "raw", ["²", "2²", "1 0000", "12 5", "4 00 000", "-1", "1e5", "0x10", "1_000", "€", "80,5"]
)
def test_what_is_no_whole_number_is_refused(raw):
    assert whole_number(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("80,5", Decimal("80.5")), ("80.5", Decimal("80.5")), ("80,50 m²", Decimal("80.5"))],
)
def test_decimal_numbers_take_a_comma_or_a_point(raw, expected):
    assert decimal_number(raw) == expected


def test_decimal_numbers_are_bounded():
    with pytest.raises(CriterionError):
        decimal_number("1 000,5", maximum=1000)


@pytest.mark.parametrize(
    ("value", "canonical", "french"),
    [
        (400000, "400000", "400\u00a0000"),
        (Decimal("80.5"), "80.5", "80,5"),
        (Decimal(12), "12", "12"),
    ],
)
def test_numbers_are_canonical_in_urls_and_french_in_forms(value, canonical, french):
    assert canonical_number(value) == canonical
    assert french_number(value) == french


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), ("yes", True), (" on ", True)]
    + [("0", False), ("false", False), ("No", False), ("off", False), ("", None)],
)
def test_booleans_read_every_usual_spelling(raw, expected):
    assert boolean(raw) is expected


@pytest.mark.parametrize("raw", ["2", "oui", "maybe", "١"])
def test_booleans_refuse_anything_else(raw):
    with pytest.raises(CriterionError):
        boolean(raw)


def test_interval_bounds_are_read_as_people_type_them():
    assert interval_list("0-1 000 €") == [Interval(0, 1000)]
    assert interval_list("1 - 5") == [Interval(1, 5)]


def test_only_the_given_units_may_follow_a_number():
    from showcase.listings.criteria import PRICE_UNITS, SURFACE_UNITS

    assert whole_number("400 000 €", units=PRICE_UNITS) == 400000
    assert whole_number("400 000 m²", units=PRICE_UNITS) is None
    assert decimal_number("80,5 m²", units=SURFACE_UNITS) == Decimal("80.5")
    assert decimal_number("80,5 €", units=SURFACE_UNITS) is None
    assert whole_number("3000 €", units=()) is None
