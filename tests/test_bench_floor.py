"""The framework's floor of `make bench` lives beside the bench, never in the product."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve


def test_the_product_urlconf_has_no_floor():
    with pytest.raises(Resolver404):
        resolve("/__floor__/", urlconf="showcase.urls")


@pytest.mark.django_db
@pytest.mark.urls("scripts.bench_floor")
def test_the_bench_urlconf_answers_the_floor_with_the_home_page_bytes(client):
    home = client.get("/")
    floor = client.get("/__floor__/")
    assert floor.status_code == 200
    assert floor.content == home.content


@pytest.mark.django_db
@pytest.mark.urls("scripts.bench_floor")
def test_the_floor_sends_any_pages_bytes_and_is_never_served_from_the_page_cache(client):
    search = client.get("/annonces/")
    floor = client.get("/__floor__/", {"path": "/annonces/"})
    assert floor.content == search.content
    assert "X-Cache" not in client.get("/__floor__/", {"path": "/annonces/"})
