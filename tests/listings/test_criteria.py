from __future__ import annotations

import pytest
from django.utils import translation

from showcase.listings.criteria import (
    CriterionError,
    Interval,
    comma_list,
    integer_list,
    interval_list,
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
