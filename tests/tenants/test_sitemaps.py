from __future__ import annotations

import re

import pytest

from showcase.tenants.sitemaps import ListingSitemap
from tests.factories import make_listing

A = {"HTTP_HOST": "agence-a.test"}


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_listing_pages_split_at_the_limit_and_cover_every_listing_once(
    client, two_agencies, monkeypatch
):
    monkeypatch.setattr(ListingSitemap, "limit", 2)
    for n in range(3):
        make_listing(feed=two_agencies["feed_a"], title=f"Extra {n}")
    index = client.get("/sitemap.xml", **A).content.decode()
    assert "sitemap-listings.xml?p=2" in index and "p=3" not in index
    first = streamed(client.get("/sitemap-listings.xml", **A))
    second = streamed(client.get("/sitemap-listings.xml?p=2", **A))
    locations = re.findall(r"<loc>(.*?)</loc>", first + second)
    assert len(locations) == len(set(locations)) == 4
    assert first.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert first.rstrip().endswith("</urlset>")


def test_index_gives_each_section_its_latest_lastmod_in_bounded_queries(
    client, two_agencies, django_assert_max_num_queries
):
    client.get("/sitemap.xml", **A)  # warm the host cache
    with django_assert_max_num_queries(8):
        index = client.get("/sitemap.xml", **A).content.decode()
    assert index.count("<lastmod>") >= 2


@pytest.mark.parametrize(
    "path", ["/sitemap-listings.xml?p=9", "/sitemap-listings.xml?p=x", "/sitemap-nope.xml"]
)
def test_bad_sitemap_pages_are_not_found(client, two_agencies, path):
    assert client.get(path, **A).status_code == 404
