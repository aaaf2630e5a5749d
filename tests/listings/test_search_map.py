from __future__ import annotations

import json

import pytest

from tests.factories import make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db
HOST = "agence-a.test"


@pytest.fixture
def feed():
    feed = make_feed(name="feed-a")
    make_tenant(HOST, feeds=[feed])
    return feed


def _points(client, query=""):
    response = client.get(f"/annonces/carte.json{query}", HTTP_HOST=HOST)
    assert response.status_code == 200
    return json.loads(response.content)


def test_points_follow_the_search_criteria_including_bbox(client, feed):
    lyon = make_listing(feed=feed, latitude=45.76, longitude=4.85, address="1 rue A")
    make_listing(feed=feed, latitude=48.85, longitude=2.35, city="Paris", city_key="paris")
    make_listing(feed=feed, transaction="rent", latitude=45.75, longitude=4.84)
    make_listing(feed=feed, latitude=None, longitude=None)
    data = _points(client, "?transaction=sell&bbox=4.5,46.0,5.0,45.5")
    assert [p["id"] for p in data["points"]] == [lyon.pk]
    assert data["points"][0]["url"] == lyon.get_absolute_url()
    assert data["truncated"] is False


def test_non_public_address_gets_a_circle_never_a_precise_pin(client, feed):
    public = make_listing(feed=feed, address="3 rue B", address_public=True)
    private = make_listing(feed=feed, address="4 rue C", address_public=False, accuracy=40)
    wide = make_listing(feed=feed, address="", address_public=True, accuracy=2000)
    by_id = {p["id"]: p for p in _points(client)["points"]}
    assert by_id[public.pk]["radius"] == 0
    assert by_id[private.pk]["radius"] == 250
    assert by_id[wide.pk]["radius"] == 2000


def test_points_are_bounded_and_say_so(client, feed, settings, django_assert_max_num_queries):
    settings.MAP_MAX_POINTS = 3
    for _ in range(5):
        make_listing(feed=feed)
    with django_assert_max_num_queries(6):
        data = _points(client)
    assert len(data["points"]) == 3 and data["truncated"] is True


def test_bad_criteria_are_reported_not_a_server_error(client, feed):
    make_listing(feed=feed)
    data = _points(client, "?bbox=nonsense&min_price=abc")
    assert "bbox" in data["errors"] and len(data["points"]) == 1


def test_search_page_offers_the_map_without_loading_it(client, feed):
    make_listing(feed=feed)
    html = client.get("/annonces/?transaction=sell", HTTP_HOST=HOST).content.decode()
    assert "data-search-map" in html
    assert "/annonces/carte.json?transaction=sell" in html
    # Nothing from the tile server or Leaflet is requested by the page itself.
    assert "tile.openstreetmap.org" not in html.split("data-tiles=")[0]
    assert '<script src="/static/vendor/leaflet' not in html
    assert 'leaflet.css" rel' not in html
