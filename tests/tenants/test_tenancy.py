from __future__ import annotations

import pytest

from showcase.tenants.models import Domain

A = {"HTTP_HOST": "agence-a.test"}


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


B = {"HTTP_HOST": "agence-b.test"}


def test_a_listing_of_tenant_b_is_never_visible_on_tenant_a(client, two_agencies):
    b = two_agencies["listing_b"]
    assert client.get(b.get_absolute_url(), **A).status_code == 404
    assert client.get(b.get_absolute_url(), **B).status_code == 200
    search = client.get("/annonces/", **A).content.decode()
    assert "Maison A" in search and "Maison B" not in search
    assert "Maison B" not in client.get("/", **A).content.decode()


def test_agencies_pages_are_scoped(client, two_agencies):
    listing = client.get("/agences/", **A).content.decode()
    assert "Agency A" in listing and "Agency B" not in listing
    assert client.get(two_agencies["agency_b"].get_absolute_url(), **A).status_code == 404


def test_sitemaps_and_embeds_are_scoped(client, two_agencies):
    sitemap = streamed(client.get("/sitemap-listings.xml", **A))
    assert two_agencies["listing_a"].get_absolute_url() in sitemap
    assert two_agencies["listing_b"].get_absolute_url() not in sitemap
    assert "http://agence-a.test/" in sitemap
    embed = client.get("/embed/annonces/", **A).content.decode()
    assert "Maison A" in embed and "Maison B" not in embed
    b = two_agencies["listing_b"]
    assert client.get(f"/embed/annonces/{b.pk}-{b.slug}/", **A).status_code == 404


def test_an_alias_redirects_permanently_to_the_primary_domain(client, two_agencies):
    response = client.get("/annonces/?type=house", HTTP_HOST="www.agence-a.test")
    assert response.status_code == 301
    assert response["Location"] == "http://agence-a.test/annonces/?type=house"


def test_an_unknown_host_is_not_found_without_leaking_hosts(client, two_agencies, settings):
    settings.PLATFORM_HOSTS = []
    response = client.get("/annonces/", HTTP_HOST="evil.example")
    assert response.status_code == 404
    body = response.content.decode()
    assert "agence-a" not in body and "agence-b" not in body


def test_responses_vary_on_host(client, two_agencies):
    assert "Host" in client.get("/annonces/", **A)["Vary"]


def test_single_site_mode_shows_everything_under_any_allowed_host(client, db):
    from tests.factories import make_listing

    listing = make_listing(title="Seule")
    assert "Seule" in client.get("/annonces/", HTTP_HOST="whatever.example").content.decode()
    assert client.get(listing.get_absolute_url(), HTTP_HOST="other.example").status_code == 200


def test_host_lookup_is_cached_and_refreshed_when_domains_change(
    client, two_agencies, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get("/robots.txt", **A)
    with django_assert_num_queries(2):  # only the shared versions: hosts, then pages
        client.get("/robots.txt", **A)
    with django_capture_on_commit_callbacks(execute=True):
        Domain.objects.create(tenant=two_agencies["a"], host="new-a.test")
    assert client.get("/robots.txt", HTTP_HOST="new-a.test").status_code == 301


def test_host_lookups_outlive_a_full_page_cache(client, two_agencies, django_assert_num_queries):
    # Without Redis the page bodies fill Django's in-memory cache (300 entries, then a
    # third dropped): host resolutions live apart, so 5,000 domains stay resolved.
    from django.core.cache import cache

    client.get("/robots.txt", **A)
    for n in range(1000):
        cache.set(f"page-{n}", "x" * 100)
    with django_assert_num_queries(2):  # only the shared versions: hosts, then pages
        client.get("/robots.txt", **A)


def test_absolute_urls_use_the_primary_domain(client, two_agencies):
    body = client.get("/annonces/", **A).content.decode()
    assert '"url": "http://agence-a.test/annonces/' in body
    assert 'rel="canonical" href="http://agence-a.test/annonces/"' in body
    robots = client.get("/robots.txt", **A).content.decode()
    assert "Sitemap: http://agence-a.test/sitemap.xml" in robots


def test_transactions_and_agency_scope_narrow_a_tenant(client, two_agencies):
    from tests.factories import make_listing

    tenant = two_agencies["a"]
    make_listing(feed=two_agencies["feed_a"], title="Location A", transaction="rent")
    tenant.transactions = ["rent"]
    tenant.save()
    body = client.get("/annonces/", **A).content.decode()
    assert "Location A" in body and "Maison A" not in body


@pytest.mark.parametrize("path", ["/en/annonces/", "/de/annonces/"])
def test_a_language_the_tenant_does_not_offer_is_not_found(client, two_agencies, path):
    tenant = two_agencies["a"]
    tenant.languages = ["fr"]
    tenant.save()
    assert client.get(path, **A).status_code == 404
    assert client.get(path, **B).status_code == 200
