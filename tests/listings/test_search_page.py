from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from showcase.listings.models import Listing
from tests.factories import make_agency, make_feed, make_listing, make_photo

pytestmark = pytest.mark.django_db


def jsonld(response, type_name):
    for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    ):
        data = json.loads(block)
        if data.get("@type") == type_name:
            return data
    raise AssertionError(f"no {type_name} JSON-LD")


def ids(response):
    return [item["item"]["identifier"] for item in jsonld(response, "ItemList")["itemListElement"]]


@pytest.fixture
def feed():
    return make_feed()


def test_search_lists_newest_first_without_sold_and_with_the_itemlist_contract(client, feed):
    now = timezone.now()
    old = make_listing(feed=feed, upstream_id="1", published_at=now - timedelta(days=3))
    new = make_listing(feed=feed, upstream_id="2", published_at=now)
    make_listing(feed=feed, upstream_id="3", transaction="sold")
    make_listing(feed=feed, upstream_id="4", hidden=True)
    make_listing(feed=feed, upstream_id="5", withdrawn_at=now)
    response = client.get("/annonces/")
    assert response.status_code == 200
    data = jsonld(response, "ItemList")
    assert data["numberOfItems"] == 2
    assert ids(response) == ["2", "1"]
    first = data["itemListElement"][0]
    assert first == {
        "@type": "ListItem",
        "position": 1,
        "item": {
            "@type": "RealEstateListing",
            "url": f"http://testserver{new.get_absolute_url()}",
            "identifier": "2",
        },
    }
    assert old.get_absolute_url() in response.content.decode()


def test_pagination_with_page_and_limit(client, feed):
    for n in range(7):
        make_listing(
            feed=feed, upstream_id=str(n), published_at=timezone.now() - timedelta(hours=n)
        )
    response = client.get("/annonces/?limit=3&page=2")
    assert ids(response) == ["3", "4", "5"]
    data = jsonld(response, "ItemList")
    assert data["numberOfItems"] == 7
    assert data["itemListElement"][0]["position"] == 4
    assert 'rel="next"' in response.content.decode()


def test_limit_is_capped_at_100_and_bad_paging_is_explained(client, feed):
    make_listing(feed=feed)
    response = client.get("/annonces/?limit=500&page=abc")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Au plus 100" in body or "At most 100" in body
    response = client.get("/annonces/?page=40")
    assert response.status_code == 200 and len(ids(response)) == 1


def test_invalid_criteria_are_explained_and_the_valid_ones_still_apply(client, feed):
    make_listing(feed=feed, upstream_id="lyon", city="Lyon", city_key="lyon")
    make_listing(feed=feed, upstream_id="nice", city="Nice", city_key="nice", zip_code="06000")
    response = client.get(
        "/annonces/?localization=lyon&min_price=abc&bedrooms=5-1&bbox=1,2&transaction=troc"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body
    assert ids(response) == ["lyon"]


@pytest.mark.parametrize(
    "query",
    [
        "min_price=-5",
        "max_price=1e99",
        "extends=-1",
        "bbox=a,b,c,d",
        "bbox=10,40,5,50",
        "rooms=x",
        "sleeps=1--2",
        "sort=random",
        "favorite=maybe",
        "type=castle",
        "localization=" + ",".join(["x"] * 30),
        "page=0",
        "limit=-1",
        "max_days_old=99999999",
        "nb_persons=1.5",
        "agency=" + "x" * 200,
        "occupied=2",
    ],
)
def test_bad_input_never_causes_a_server_error(client, feed, query):
    make_listing(feed=feed)
    assert client.get(f"/annonces/?{query}").status_code == 200


def test_the_form_keeps_its_state(client, feed):
    response = client.get(
        "/annonces/?localization=Saint-%C3%89tienne&max_price=300000&type=house,flat"
    )
    body = response.content.decode()
    assert 'value="Saint-Étienne"' in body
    assert 'value="300\u00a0000"' in body  # shown back the French way
    # Gedeon's comma list ticks the same boxes as the boxes' own repeated parameters.
    assert re.search(r'<input type="checkbox" name="type" value="house"[^>]* checked>', body)
    assert re.search(r'<input type="checkbox" name="type" value="flat"[^>]* checked>', body)
    assert not re.search(r'<input type="checkbox" name="type" value="shop"[^>]* checked>', body)


def test_an_empty_result_suggests_how_to_widen_the_search(client, feed):
    response = client.get("/annonces/?localization=Brest")
    assert jsonld(response, "ItemList")["numberOfItems"] == 0
    assert 'class="empty"' in response.content.decode()


def test_the_search_page_query_count_does_not_grow_with_results(
    client, feed, django_assert_max_num_queries
):
    agency = make_agency(feed=feed)
    for _ in range(30):
        listing = make_listing(feed=feed, agency=agency)
        make_photo(listing)
        make_photo(listing)
    # 8 (the count is two queries: matches, minus the site's hidden ones among them; the
    # cards three: their keys, then the listings not yet rendered and their covers), plus
    # the two shared versions every page reads (hosts, pages), plus the site's agency
    # names for the agency list.
    with django_assert_max_num_queries(11):
        response = client.get("/annonces/?limit=30")
    assert len(ids(response)) == 30


def test_cards_use_the_first_photo_with_a_srcset(client, feed):
    listing = make_listing(feed=feed)
    make_photo(listing, url="https://p.example/1/1/large/17")
    body = client.get("/annonces/").content.decode()
    assert 'src="https://p.example/1/1/large/17"' in body
    assert "https://p.example/1/1/large2/17 640w" in body


def test_listing_count_matches_database(client, feed):
    for _ in range(3):
        make_listing(feed=feed)
    assert jsonld(client.get("/annonces/"), "ItemList")["numberOfItems"] == Listing.objects.count()


def test_the_home_page_shows_the_agents_picks_first_in_their_order(client, feed):
    from django.utils import timezone

    make_listing(feed=feed, title="Nouveau", published_at=timezone.now())
    make_listing(
        feed=feed,
        title="Choix deux",
        featured=True,
        display_order=2,
        published_at=timezone.now() - timedelta(days=9),
    )
    make_listing(
        feed=feed,
        title="Choix un",
        featured=True,
        display_order=1,
        published_at=timezone.now() - timedelta(days=9),
    )
    body = client.get("/").content.decode()
    assert body.index("Choix un") < body.index("Choix deux") < body.index("Nouveau")
