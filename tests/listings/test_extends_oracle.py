"""`localization` + `extends` against a plain-Python oracle: a listing is found when it is
at one of the places, or at most `extends` metres (great-circle distance) from the mean
position of a place's located listings. Random towns, positions (some missing, some
half-missing) and radii; the search must agree with the oracle on every draw."""

from __future__ import annotations

import math
import random

import pytest
from django.core.cache import caches
from django.http import QueryDict

from showcase.core.site import Site
from showcase.listings.geo import EARTH_RADIUS
from showcase.listings.models import Listing
from showcase.listings.search import listing_search
from tests.factories import make_feed, make_flags

pytestmark = pytest.mark.django_db

TOWNS = {
    # city_key: (zip code, centre latitude, longitude)
    "lyon": ("69003", 45.76, 4.85),
    "villeurbanne": ("69100", 45.77, 4.88),
    "vienne": ("38200", 45.52, 4.87),
    "nice": ("06000", 43.70, 7.27),
    "menton": ("06500", 43.77, 7.50),
}


def distance(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(h))


def oracle(rows: list[dict], places: list[str], metres: int) -> set[str]:
    found = set()
    for place in places:
        at = [r for r in rows if r["city_key"] == place]
        located = [r for r in at if r["latitude"] is not None and r["longitude"] is not None]
        found |= {r["upstream_id"] for r in at}
        if not located:
            continue
        lat = sum(r["latitude"] for r in located) / len(located)
        lng = sum(r["longitude"] for r in located) / len(located)
        found |= {
            r["upstream_id"]
            for r in rows
            if r["latitude"] is not None
            and r["longitude"] is not None
            and distance(lat, lng, r["latitude"], r["longitude"]) <= metres
        }
    return found


def searched(places: list[str], metres: int) -> set[str]:
    query = QueryDict(mutable=True)
    query.update({"localization": ",".join(places), "extends": str(metres)})
    found = listing_search(site=Site.platform(), params=query)
    ids = set(found.results.values_list("upstream_id", flat=True))
    # The count the page shows is counted apart (ListingSearch.count): it must agree.
    assert found.count() == len(ids)
    return ids


def town_listing(feed, n: int, key: str, **fields) -> Listing:
    """Listing `l{n}` for sale in the town `key` of TOWNS."""
    zip_code = TOWNS[key][0]
    return Listing.objects.create(
        feed=feed,
        upstream_id=f"l{n}",
        title=f"Listing {n}",
        transaction="sell",
        property_type="flat",
        city=key.title(),
        city_key=key,
        zip_code=zip_code,
        department=zip_code[:2],
        **fields,
    )


@pytest.mark.parametrize("seed", range(4))
def test_extends_finds_what_the_great_circle_oracle_finds(seed):
    rng = random.Random(seed)
    feed = make_feed()
    rows = []
    hidden: set[str] = set()
    for n in range(80):
        key = rng.choice(list(TOWNS))
        _zip_code, lat, lng = TOWNS[key]
        spread = rng.choice([0.01, 0.05, 0.3])  # some listings placed far off their town
        latitude = lat + rng.uniform(-spread, spread)
        longitude = lng + rng.uniform(-spread, spread)
        if rng.random() < 0.08:
            latitude = longitude = None
        elif rng.random() < 0.04:
            longitude = None
        rows.append(
            {
                "upstream_id": f"l{n}",
                "city_key": key,
                "latitude": latitude,
                "longitude": longitude,
            }
        )
        listing = town_listing(feed, n, key, latitude=latitude, longitude=longitude)
        if rng.random() < 0.1:  # hidden by the site's agents: placed, never listed
            make_flags(listing, None, hidden=True)
            hidden.add(f"l{n}")
    for _ in range(8):
        caches["lookups"].clear()
        places = rng.sample(list(TOWNS), rng.randint(1, 3))
        metres = rng.choice([500, 3000, 12000, 40000])
        expected = oracle(rows, places, metres) - hidden
        assert searched(places, metres) == expected, (places, metres)


@pytest.mark.parametrize(
    "sort", ["newest", "price_asc", "price_desc", "surface_asc", "surface_desc"]
)
def test_a_distance_search_pages_through_every_match_once_with_its_count(client, sort):
    # The page and the count of a distance search come from one query (a window count).
    feed = make_feed()
    rng = random.Random(sort)
    for n in range(23):
        key = rng.choice(["lyon", "villeurbanne", "vienne"])
        _zip_code, lat, lng = TOWNS[key]
        listing = town_listing(
            feed,
            n,
            key,
            price=rng.choice([None, 100_000, 200_000, 300_000]),
            surface=rng.choice([None, 50.0, 80.0]),
            latitude=lat + rng.uniform(-0.02, 0.02),
            longitude=lng + rng.uniform(-0.02, 0.02),
        )
        if n % 7 == 3:
            make_flags(listing, None, hidden=True)
    query = {"localization": "Lyon,Vienne", "extends": "3000", "sort": sort, "limit": "5"}
    total = client.get("/annonces/", query).context["total"]
    seen = []
    for page in range(1, math.ceil(total / 5) + 1):
        response = client.get("/annonces/", {**query, "page": str(page)})
        assert response.context["total"] == total and not response.context["page_error"]
        seen += [listing.upstream_id for listing in response.context["listings"]]
    expected = set(searched(["lyon", "vienne"], 3000))
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen)) == total
    # In the sort's order: two places are read apart (a UNION), ordered as one query.
    found = listing_search(
        site=Site.platform(), params=QueryDict(mutable=True) | {**query, "limit": "100"}
    )
    assert seen == list(found.results.values_list("upstream_id", flat=True))
    # A page past the end, however far: the last page, still counted.
    for far in ("9", "400000000000000000", "99999999999999999999"):
        response = client.get("/annonces/", {**query, "page": far})
        assert response.context["total"] == total and response.context["page_error"]
