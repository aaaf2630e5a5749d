"""The shared readers both mappings use for upstream numbers, positions and URLs."""

from __future__ import annotations

import pytest

from showcase.feeds import coerce


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3,5", 3), ("2.5", 2), (3.5, 3), (2.5, 2), ("2.0", 2), (4, 4), ("0", 0), ("3,99", 3)],
)
def test_half_rooms_are_rounded_down_the_same_way_whatever_the_number_format(raw, expected):
    assert coerce.room_count(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "trois", "", None, "nan", True, {"v": 3}])
def test_a_room_count_that_is_not_a_count_is_none(raw):
    assert coerce.room_count(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0,5", 1), ("1.5", 2), (2.5, 3), ("3,5", 4), (-2.5, -3), (1234.49, 1234), ("7", 7)],
)
def test_whole_numbers_round_halves_up_in_size_whatever_the_format(raw, expected):
    assert coerce.integer(raw) == expected


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e300", "abc", None])
def test_nan_infinite_and_absurd_numbers_are_not_integers(raw):
    assert coerce.integer(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(52.12, 52.12), ("14,05", 14.05), ("14.05", 14.05), (120, 120.0), (52.124999, 52.12)],
)
def test_surfaces_keep_the_precision_the_agency_gave(raw, expected):
    assert coerce.surface(raw) == expected


@pytest.mark.parametrize("raw", [0, "0", -3, "nan", "", None])
def test_a_surface_of_zero_or_less_or_not_a_number_is_none(raw):
    assert coerce.surface(raw) is None


@pytest.mark.parametrize(
    ("lat", "lng"),
    [
        (0, 0),
        ("0", "0.0"),
        (0.0, -0.0),
        (91, 4.8),
        (45.7, 181),
        (-90.5, 0),
        ("nan", 4.8),
        (45.7, "inf"),
        (None, 4.8),
        (45.7, ""),
        ("quarante-cinq", 4.8),
    ],
)
def test_zero_zero_out_of_range_and_missing_coordinates_are_no_position(lat, lng):
    assert coerce.position(lat, lng) is None


def test_a_real_position_is_kept_in_degrees_even_on_the_equator_or_the_meridian():
    assert coerce.position("45,4397", 4.3872) == (45.4397, 4.3872)
    assert coerce.position(0, 9.45) == (0.0, 9.45)  # Libreville's latitude is about 0
    assert coerce.position(44.84, 0) == (44.84, 0.0)  # the Greenwich meridian crosses France


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://photos.example/1/large/17", "https://photos.example/1/large/17"),
        ("HTTP://media.studio-net.fr/a.jpg", "https://media.studio-net.fr/a.jpg"),
        ("https://photos.example/1.jpg", "https://photos.example/1.jpg"),
        ("  http://x.example/a.jpg ", "https://x.example/a.jpg"),
        ("ftp://x.example/a.jpg", ""),
        ("javascript:alert(1)", ""),
        ("//x.example/a.jpg", ""),
        (None, ""),
        ("https://x.example/" + "a" * 600, ""),
    ],
)
def test_photo_urls_are_upgraded_to_https_and_anything_else_is_dropped(raw, expected):
    assert coerce.https_url(raw) == expected
