"""`extends` at the edges of the map, through the real search page: the box that
prefilters the circle must hold every point of the circle, wherever the circle is (its
widest latitude, across the antimeridian, over a pole)."""

from __future__ import annotations

import math

import pytest
from django.core.cache import cache

from showcase.listings.geo import EARTH_RADIUS
from tests.factories import make_feed, make_listing
from tests.listings.test_extends_oracle import distance
from tests.listings.test_search_semantics import ids

pytestmark = pytest.mark.django_db


def destination(lat: float, lng: float, bearing: float, metres: float) -> tuple[float, float]:
    """The point `metres` from (lat, lng) along the great circle of `bearing` degrees."""
    p, b, r = math.radians(lat), math.radians(bearing), metres / EARTH_RADIUS
    p2 = math.asin(math.sin(p) * math.cos(r) + math.cos(p) * math.sin(r) * math.cos(b))
    dl = math.atan2(
        math.sin(b) * math.sin(r) * math.cos(p), math.cos(r) - math.sin(p) * math.sin(p2)
    )
    lng2 = (lng + math.degrees(dl) + 540) % 360 - 180
    return math.degrees(p2), lng2


@pytest.fixture
def feed():
    cache.clear()
    return make_feed()


def _place(feed, upstream_id, city, lat, lng, **kwargs):
    return make_listing(
        feed=feed,
        upstream_id=upstream_id,
        city=city,
        city_key=city.lower(),
        zip_code="",
        department="",
        country="XX",
        latitude=lat,
        longitude=lng,
        **kwargs,
    )


def test_extends_finds_a_listing_where_a_large_circle_is_widest(client, feed):
    # The easternmost point of a 200 km circle lies poleward of its centre's latitude,
    # farther east than 200 km along the parallel: a box as wide as that missed it.
    centre = (45.0, 4.0)
    _place(feed, "centre", "Centre", *centre)
    widest = max(
        (destination(*centre, bearing / 10, 199_990) for bearing in range(0, 1800)),
        key=lambda point: point[1],
    )
    assert distance(*centre, *widest) <= 200_000
    _place(feed, "edge", "Ailleurs", *widest)
    found = ids(client.get("/annonces/", {"localization": "Centre", "extends": "200000"}))
    assert sorted(found) == ["centre", "edge"]


def test_extends_reaches_across_the_antimeridian(client, feed):
    _place(feed, "east", "Labasa", -16.43, 179.90)
    _place(feed, "west", "Rabi", -16.45, -179.95)  # about 16 km east, across 180°
    assert distance(-16.43, 179.90, -16.45, -179.95) < 20_000
    found = ids(client.get("/annonces/", {"localization": "Labasa", "extends": "20000"}))
    assert sorted(found) == ["east", "west"]
    found = ids(client.get("/annonces/", {"localization": "Rabi", "extends": "20000"}))
    assert sorted(found) == ["east", "west"]


def test_extends_reaches_across_a_pole(client, feed):
    _place(feed, "here", "Nord", 89.0, 10.0)
    _place(feed, "beyond", "Autre", 89.5, -170.0)  # 167 km away, over the pole
    _place(feed, "far", "Loin", 88.0, -170.0)  # 333 km away
    assert distance(89.0, 10.0, 89.5, -170.0) < 200_000 < distance(89.0, 10.0, 88.0, -170.0)
    found = ids(client.get("/annonces/", {"localization": "Nord", "extends": "200000"}))
    assert sorted(found) == ["beyond", "here"]
