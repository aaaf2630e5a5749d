"""Tenant B's data never shows on tenant A's domain, whoever asks (visitor, agent of A or B)."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from showcase.core.site import Site, absolute_url
from showcase.tenants.models import Tenant

A = {"HTTP_HOST": "agence-a.test"}


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_legal_pages_of_a_never_use_the_legal_data_of_b(client, two_agencies):
    agency_b = two_agencies["agency_b"]
    agency_b.legal = {
        "raison_sociale": "Société B SARL",
        "rcs": "RCS Nantes 999 999 999",
        "honoraires": "<p>Barème de B : 9 %</p>",
    }
    agency_b.rates = [{"range_min": 0, "range_max": 100000, "comission": 9}]
    agency_b.save()
    notice = client.get("/mentions-legales/", **A).content.decode()
    fees = client.get("/honoraires/", **A).content.decode()
    assert "Société B" not in notice and "999 999 999" not in notice
    assert "Barème de B" not in fees
    assert (
        "Société B SARL"
        in client.get("/mentions-legales/", HTTP_HOST="agence-b.test").content.decode()
    )


def test_search_json_ld_of_a_lists_only_listings_of_a(client, two_agencies):
    body = client.get("/annonces/", **A).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    item_lists = [d for d in map(json.loads, blocks) if d.get("@type") == "ItemList"]
    assert item_lists
    identifiers = [e["item"]["identifier"] for e in item_lists[0]["itemListElement"]]
    assert identifiers == ["A1"]
    assert item_lists[0]["numberOfItems"] == 1


@pytest.mark.parametrize("persona", ["visitor", "alice", "bob"])
def test_no_persona_reaches_a_listing_of_b_on_the_domain_of_a(client, two_agencies, persona):
    if persona != "visitor":
        client.force_login(two_agencies[persona])
    listing_b = two_agencies["listing_b"]
    assert client.get(listing_b.get_absolute_url(), **A).status_code == 404
    assert "Maison B" not in client.get("/annonces/?limit=100", **A).content.decode()
    assert "Maison B" not in client.get("/embed/annonces/", **A).content.decode()


def test_sitemap_index_and_sections_stay_on_the_tenant_domain(client, two_agencies):
    index = client.get("/sitemap.xml", **A).content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", index)
    assert locations and all(loc.startswith("http://agence-a.test/") for loc in locations)
    pages = streamed(client.get("/sitemap-pages.xml", **A))
    for path in ("/mentions-legales/", "/honoraires/", "/donnees-personnelles/"):
        assert f"http://agence-a.test{path}" in pages
    agencies = streamed(client.get("/sitemap-agencies.xml", **A))
    assert two_agencies["agency_a"].get_absolute_url() in agencies
    assert two_agencies["agency_b"].get_absolute_url() not in agencies


def test_sitemap_lists_only_live_listings_with_lastmod(client, two_agencies):
    from tests.factories import make_listing

    gone = make_listing(feed=two_agencies["feed_a"], title="Vendue", withdrawn_at=timezone.now())
    hidden = make_listing(feed=two_agencies["feed_a"], title="Cachée", hidden=True)
    body = streamed(client.get("/sitemap-listings.xml", **A))
    assert two_agencies["listing_a"].get_absolute_url() in body
    assert gone.get_absolute_url() not in body and hidden.get_absolute_url() not in body
    assert body.count("<lastmod>") == body.count("<url>") == 1


def test_absolute_url_takes_a_site_outside_a_request(two_agencies, settings):
    settings.DEBUG = False
    tenant = Tenant.objects.get(pk=two_agencies["a"].pk)
    assert absolute_url(tenant.site(), "/annonces/") == "https://agence-a.test/annonces/"


def test_absolute_url_of_a_tenant_without_domain_says_so(db):
    tenant = Tenant.objects.create(name="Sans domaine", slug="sans-domaine")
    with pytest.raises(ValueError, match="no primary domain"):
        absolute_url(tenant.site(), "/")


def test_absolute_url_of_the_platform_outside_a_request_says_so():
    with pytest.raises(ValueError, match="no primary domain"):
        absolute_url(Site.platform(), "/")


def test_map_points_and_favourites_of_a_never_include_listings_of_b(client, two_agencies):
    listing_a, listing_b = two_agencies["listing_a"], two_agencies["listing_b"]
    points = json.loads(client.get("/annonces/carte.json", **A).content)["points"]
    assert [p["id"] for p in points] == [listing_a.pk]
    favourites = client.get(f"/favoris/?ids={listing_a.pk},{listing_b.pk}", **A).content.decode()
    assert "Maison A" in favourites and "Maison B" not in favourites
