from __future__ import annotations

import pytest

from showcase.listings.models import Listing
from showcase.listings.place import parse_place
from tests.factories import make_feed, make_listing

pytestmark = pytest.mark.django_db


def test_the_centre_of_a_place_is_the_mean_position_of_its_listings():
    feed = make_feed()
    make_listing(feed=feed, zip_code="69003", latitude=45.0, longitude=4.0)
    make_listing(feed=feed, zip_code="69003", latitude=46.0, longitude=5.0)
    make_listing(feed=feed, zip_code="69003", latitude=None, longitude=None)
    assert Listing.objects.extent_of(parse_place("69003")).centre == pytest.approx((45.5, 4.5))


def test_the_centre_is_computed_once_then_read_from_the_cache(django_assert_num_queries):
    make_listing(zip_code="69003", latitude=45.0, longitude=4.0)
    Listing.objects.extent_of(parse_place("69003"))
    with django_assert_num_queries(0):
        assert Listing.objects.extent_of(parse_place("69003")).centre == pytest.approx((45.0, 4.0))


def test_a_place_without_located_listings_has_no_centre(django_assert_num_queries):
    make_listing(zip_code="69003", latitude=None, longitude=None)
    assert Listing.objects.extent_of(parse_place("69003")) is None
    with django_assert_num_queries(0):
        assert Listing.objects.extent_of(parse_place("69003")) is None


def test_the_centre_of_a_town_is_found_whatever_its_spelling():
    make_listing(city="Saint-Malo", city_key="saint malo", zip_code="35400", latitude=48.65)
    assert Listing.objects.extent_of(parse_place("St Malo")).centre == pytest.approx((48.65, 4.85))


def test_a_foreign_zip_code_has_no_french_centre():
    make_listing(country="BE", zip_code="44000", department="", latitude=50.0, longitude=4.0)
    assert Listing.objects.extent_of(parse_place("44000")) is None


def test_a_place_extent_outlives_a_full_cache_of_cards(django_assert_num_queries):
    # Without Redis the cards fill Django's in-memory cache (300 entries): extents live
    # apart, or each search would aggregate its places again.
    from django.core.cache import cache

    make_listing(zip_code="69003", latitude=45.0, longitude=4.0)
    Listing.objects.extent_of(parse_place("69003"))
    for n in range(1000):
        cache.set(f"card-{n}", "x" * 100)
    with django_assert_num_queries(0):
        assert Listing.objects.extent_of(parse_place("69003")).centre == pytest.approx((45.0, 4.0))
