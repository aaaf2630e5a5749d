"""Every numeric input of the public pages takes ASCII digits only, bounded to its column:
anything else is a validation message, never a server error (issue #16, point 8)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from showcase.listings.filters import ListingFilterSet
from tests.factories import make_feed, make_listing

pytestmark = pytest.mark.django_db

HOSTILE = [
    "²",
    "٣",
    "１",
    "2²",
    "1-²",
    "²-3",
    "111111111111",
    "999999999999",
    "99999999999999999999",
    "9" * 5000,
    "-1",
    "-5-3",
    "1e5",
    "NaN",
    "inf",
    "-inf",
    "",
    " ",
    "1.5",
    "0x10",
    "1_000",
    "\u00a0",
]
NUMERIC = [
    name
    for name, flt in ListingFilterSet.base_filters.items()
    if name
    in {
        "extends",
        "min_price",
        "max_price",
        "min_surface",
        "max_surface",
        "rooms",
        "bedrooms",
        "sleeps",
        "max_days_old",
        "nb_photos_min",
        "monthly_annuity",
        "nb_persons",
        "forward_duration",
    }
] + ["page", "limit"]
PAGES = ["/annonces/", "/annonces/carte.json", "/embed/annonces/", "/alertes/nouvelle/"]


@pytest.fixture
def listing():
    return make_listing(feed=make_feed(), upstream_id="1", latitude=45.0, longitude=5.0)


def test_the_fuzzed_list_covers_every_numeric_search_criterion():
    assert len(NUMERIC) == 15


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", NUMERIC)
def test_hostile_numbers_never_cause_a_server_error(client, listing, page, name):
    for value in HOSTILE:
        response = client.get(f"{page}?{urlencode({name: value})}")
        assert response.status_code == 200, (name, value, response.status_code)


@pytest.mark.parametrize("name", [n for n in NUMERIC if n not in ("page", "limit")])
@pytest.mark.parametrize("value", ["²", "٣", "１", "99999999999999999999", "1e5"])
def test_non_ascii_digits_and_overflowing_numbers_are_explained(client, listing, name, value):
    response = client.get("/annonces/carte.json", {name: value})
    assert response.status_code == 200
    assert name in response.json()["errors"], (name, value)


@pytest.mark.parametrize("value", ["²", "٣", "１", "9" * 30, "-1", "1e5", "NaN", " "])
def test_favourites_leave_out_anything_but_ascii_listing_numbers(client, listing, value):
    response = client.get("/favoris/", {"ids": f"{listing.pk},{value}"})
    assert response.status_code == 200
    assert response.context["ids"] == str(listing.pk)
    if value.strip():
        assert response.context["problems"]


def test_alert_form_post_with_hostile_criteria_is_a_form_error(client, listing):
    for value in ["²", "99999999999999999999", "١٢"]:
        response = client.post(
            "/alertes/nouvelle/",
            {"email": "a@example.test", "frequency": "daily", "query": f"rooms={value}"},
        )
        assert response.status_code == 200


@pytest.mark.parametrize(
    "box",
    [
        "٣,٤٥,٤,٤٤",
        "１,45,2,44",
        "1e1,45,2,44",
        "nan,45,2,44",
        "inf,45,2,44",
        "1_0,45,2,44",
        "²,1,2,0",
    ],
)
def test_map_boxes_take_ascii_decimals_only(client, listing, box):
    response = client.get("/annonces/carte.json", {"bbox": box})
    assert response.status_code == 200
    assert "bbox" in response.json()["errors"]


def test_an_ascii_map_box_still_works(client, listing):
    response = client.get("/annonces/carte.json", {"bbox": "4.5,45.5,5.5,44.5"})
    assert response.json()["errors"] == {}
    assert [p["id"] for p in response.json()["points"]] == [listing.pk]
