"""Agent flags belong to the site: two sites sharing one feed each hide, feature and
order its listings for themselves, on every public read (search, counts, JSON-LD, detail,
embeds, map, sitemap, home, agency pages, favourites, alerts, contact)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from showcase.alerts.models import Alert
from showcase.alerts.services import alert_matches
from showcase.core.site import Site
from showcase.listings.models import Listing, ListingFlags
from showcase.listings.search import listing_search
from tests.factories import make_flags, make_listing

A = {"HTTP_HOST": "agence-a.test"}
B = {"HTTP_HOST": "agence-b.test"}


@pytest.fixture
def shared(two_agencies):
    """Tenants A and B both read feed A; `listing` is one of its listings."""
    w = dict(two_agencies)
    w["b"].feeds.add(w["feed_a"])
    w["listing"] = w["listing_a"]
    return w


def body(client, url, host) -> str:
    return client.get(url, **host).content.decode()


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def search_ids(client, host, query: str = "") -> list[str]:
    html = body(client, f"/annonces/{query}", host)
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    return [e["item"]["identifier"] for e in data["itemListElement"]]


def search_total(client, host, query: str = "") -> int:
    html = body(client, f"/annonces/{query}", host)
    return json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))["numberOfItems"]


def test_a_listing_hidden_by_a_leaves_a_search_and_counts_but_stays_on_b(client, shared):
    make_flags(shared["listing"], shared["a"], hidden=True)
    assert "A1" not in search_ids(client, A) and search_total(client, A) == 0
    assert "A1" in search_ids(client, B) and search_total(client, B) == 2
    assert "Maison A" not in body(client, "/embed/annonces/", A)
    assert "Maison A" in body(client, "/embed/annonces/", B)


def test_a_listing_hidden_by_a_answers_404_on_a_and_200_on_b(client, shared):
    listing = shared["listing"]
    make_flags(listing, shared["a"], hidden=True)
    url = listing.get_absolute_url()
    assert client.get(url, **A).status_code == 404
    assert client.get(url.replace("/annonces/", "/embed/annonces/", 1), **A).status_code == 404
    response = client.get(url, **B)
    assert response.status_code == 200 and '"identifier": "A1"' in response.content.decode()


def test_a_withdrawn_listing_hidden_by_a_answers_404_on_a_and_410_on_b(client, shared):
    listing = shared["listing"]
    Listing.objects.filter(pk=listing.pk).update(withdrawn_at=timezone.now())
    make_flags(listing, shared["a"], hidden=True)
    assert client.get(listing.get_absolute_url(), **A).status_code == 404
    assert client.get(listing.get_absolute_url(), **B).status_code == 410


def test_a_hidden_listing_is_left_out_of_the_sites_map_and_sitemap_only(client, shared):
    listing = shared["listing"]
    make_flags(listing, shared["a"], hidden=True)

    def points(host):
        return [p["id"] for p in client.get("/annonces/carte.json", **host).json()["points"]]

    assert listing.pk not in points(A) and listing.pk in points(B)

    def sitemap(host):
        return streamed(client.get("/sitemap-listings.xml", **host))

    assert listing.get_absolute_url() not in sitemap(A)
    assert listing.get_absolute_url() in sitemap(B)


def test_a_hidden_listing_leaves_the_sites_home_and_agency_page_only(client, shared):
    listing, agency = shared["listing"], shared["agency_a"]
    make_flags(listing, shared["a"], hidden=True)
    assert "Maison A" not in body(client, "/", A) and "Maison A" in body(client, "/", B)
    page = agency.get_absolute_url()
    assert "Maison A" not in body(client, page, A) and "Maison A" in body(client, page, B)


def test_the_agency_list_counts_the_listings_each_site_shows(client, shared):
    make_listing(feed=shared["feed_a"], agency=shared["agency_a"], upstream_id="A2")
    make_flags(shared["listing"], shared["a"], hidden=True)
    assert "1 annonce<" in body(client, "/agences/", A)
    assert "2 annonces<" in body(client, "/agences/", B)


def test_favourites_and_contact_of_a_leave_out_a_listing_a_hid(client, shared):
    listing = shared["listing"]
    make_flags(listing, shared["a"], hidden=True)

    def favourites(host):
        return body(client, f"/favoris/?ids={listing.pk}", host)

    assert "Maison A" not in favourites(A) and "Maison A" in favourites(B)
    contact = f"/contact/annonce/{listing.pk}/"
    assert client.get(contact, **A).status_code == 404
    assert client.get(contact, **B).status_code == 200


def test_alert_digests_of_a_leave_out_a_listing_a_hid(shared):
    make_flags(shared["listing"], shared["a"], hidden=True)
    alerts = {
        key: Alert.objects.create(
            tenant=shared[key], email=f"{key}@example.org", query="", base_url="https://x"
        )
        for key in ("a", "b")
    }
    assert shared["listing"].pk not in set(alert_matches(alerts["a"]).values_list("pk", flat=True))
    assert shared["listing"].pk in set(alert_matches(alerts["b"]).values_list("pk", flat=True))


def test_a_featured_listing_leads_the_sites_home_and_favourite_search_only(client, shared):
    now = timezone.now()
    older = make_listing(
        feed=shared["feed_a"],
        upstream_id="OLD",
        title="Vieille ferme",
        published_at=now.replace(year=2020),
    )
    make_flags(older, shared["a"], featured=True)
    a_home, b_home = body(client, "/", A), body(client, "/", B)
    assert a_home.index("Vieille ferme") < a_home.index("Maison A")
    assert b_home.index("Maison A") < b_home.index("Vieille ferme")
    assert search_ids(client, A, "?favorite=1") == ["OLD"]
    assert search_ids(client, B, "?favorite=1") == []
    # Gedeon: `favorite` reads "only favourites"; 0 is no criterion (issue #19).
    assert "OLD" in search_ids(client, A, "?favorite=0")
    assert "OLD" in search_ids(client, B, "?favorite=0")


def test_the_sites_featured_listings_come_in_its_display_order(shared):
    feed, a = shared["feed_a"], shared["a"]
    first, second, third = (make_listing(feed=feed, upstream_id=f"F{n}") for n in range(3))
    make_flags(first, a, featured=True, display_order=3)
    make_flags(second, a, featured=True, display_order=1)
    make_flags(third, shared["b"], featured=True, display_order=0)
    make_flags(third, a, display_order=-5)  # ordered but not featured: no pick
    listings = Listing.objects.for_site(a.site()).published()
    picks = listings.picks_first(3)
    assert picks[:2] == [second.pk, first.pk] and len(picks) == 3


def test_the_home_page_reads_no_more_queries_with_20_picks_than_with_2(client, shared):
    def feature(numbers: range) -> None:
        for n in numbers:
            listing = make_listing(feed=shared["feed_a"], upstream_id=f"H{n}")
            make_flags(listing, shared["a"], featured=True, display_order=n)

    feature(range(2))
    client.get("/", **A)  # the host lookup is cached from here on
    cache.clear()  # no card rendered yet, in both requests
    with CaptureQueriesContext(connection) as few:
        client.get("/?1", **A)
    feature(range(2, 20))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/?2", **A)
    # 20 picks fill the page: the query for the newest others is not even needed.
    assert len(many) <= len(few)
    assert response.content.decode().count('class="card-title"') == 6


def test_another_sites_flags_never_apply_on_the_platform(shared):
    make_flags(shared["listing"], shared["a"], hidden=True)
    platform = listing_search(site=Site.platform(), params=QueryDict("")).results
    assert shared["listing"] in platform
    make_flags(shared["listing"], None, hidden=True)
    platform = listing_search(site=Site.platform(), params=QueryDict("")).results
    assert shared["listing"] not in platform
    assert shared["listing"] in listing_search(site=shared["b"].site(), params=None).results


def test_changing_a_sites_flags_refreshes_that_sites_cached_pages_only(
    client, shared, django_capture_on_commit_callbacks
):
    client.get("/annonces/", **A)
    client.get("/annonces/", **B)
    with django_capture_on_commit_callbacks(execute=True):
        flags = make_flags(shared["listing"], shared["a"], hidden=True)
    assert client.get("/annonces/", **A)["X-Cache"] == "miss"
    assert client.get("/annonces/", **B)["X-Cache"] == "hit"
    client.get("/annonces/", **A)
    with django_capture_on_commit_callbacks(execute=True):
        flags.delete()
    response = client.get("/annonces/", **A)
    assert response["X-Cache"] == "miss" and "Maison A" in response.content.decode()


def test_a_site_flags_row_is_unique_per_site_and_listing(shared):
    make_flags(shared["listing"], shared["a"], hidden=True)
    make_flags(shared["listing"], None, hidden=True)
    for tenant in (shared["a"], None):
        with pytest.raises(IntegrityError), transaction.atomic():
            ListingFlags.objects.create(listing=shared["listing"], tenant=tenant)


def test_the_search_count_leaves_out_exactly_the_sites_hidden_matches(shared):
    feed, a = shared["feed_a"], shared["a"]
    houses = [make_listing(feed=feed, property_type="house") for _ in range(3)]
    flat = make_listing(feed=feed, property_type="flat")
    make_flags(houses[0], a, hidden=True)
    make_flags(flat, a, hidden=True)
    make_flags(houses[1], shared["b"], hidden=True)
    make_flags(houses[2], a, featured=True)  # a flag that hides nothing
    for site, expected in ((a.site(), 2), (shared["b"].site(), 2), (Site.platform(), 3)):
        found = listing_search(site=site, params=QueryDict("type=house"))
        assert found.count() == found.results.count() == expected


def test_a_sites_flag_change_renews_its_detail_etag_only(
    client, shared, django_capture_on_commit_callbacks
):
    url = shared["listing"].get_absolute_url()
    etags = {key: client.get(url, **host)["ETag"] for key, host in (("a", A), ("b", B))}
    with django_capture_on_commit_callbacks(execute=True):
        make_flags(shared["listing"], shared["a"], featured=True)
    assert client.get(url, HTTP_IF_NONE_MATCH=etags["a"], **A).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=etags["b"], **B).status_code == 304
