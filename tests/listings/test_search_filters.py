"""The search page's filters for people: a disclosure summarised in words, sort beside the
count, boxes and names instead of codes; the URL keeps Gedeon's parameters."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_agency, make_feed, make_listing, make_tenant
from tests.listings.test_search_page import ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed():
    return make_feed()


def body(client, query: str = "", **extra) -> str:
    response = client.get(f"/annonces/{query}", **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_filters_summary_says_the_active_criteria_in_words_and_their_number(client, feed):
    make_listing(feed=feed)
    page = body(client, "?transaction=sell&type=house&localization=Lille&max_price=400000")
    summary = re.search(r'<summary class="filters-summary">(.*?)</summary>', page, re.S).group(1)
    assert "4 critères" in summary
    assert "Vente · Maison · Lille · jusqu’à 400\u00a0000\u00a0€" in summary


def test_without_criteria_the_summary_says_every_listing_and_the_filters_stay_closed(client, feed):
    page = body(client)
    assert re.search(r'<details class="filters" data-filters>', page)
    assert "toutes les annonces" in page


def test_invalid_criteria_open_the_filters_to_show_the_explanation(client, feed):
    page = body(client, "?min_price=abc")
    assert re.search(r'<details class="filters" open data-filters>', page)


def test_sort_sits_beside_the_count_outside_the_filters_yet_belongs_to_the_search_form(
    client, feed
):
    page = body(client, "?sort=price_asc")
    count_at = page.index('id="results-heading"')
    filters_at = page.index('<details class="filters"')
    sort = re.search(r'<select name="sort"[^>]*>', page)
    assert count_at < sort.start() < filters_at
    assert 'form="search-form"' in sort.group(0)
    assert 'id="search-form"' in page
    assert re.search(r'<option value="price_asc" selected>', page)


def test_types_and_excluded_transactions_are_boxes_sending_repeated_parameters(client, feed):
    make_listing(feed=feed, upstream_id="house", property_type="house")
    make_listing(feed=feed, upstream_id="flat", property_type="flat")
    make_listing(feed=feed, upstream_id="shop", property_type="shop")
    make_listing(feed=feed, upstream_id="rent", property_type="house", transaction="rent")
    response = client.get("/annonces/?type=house&type=flat&exclude_transactions=rent")
    assert sorted(ids(response)) == ["flat", "house"]
    page = response.content.decode()
    assert '<input type="checkbox" name="exclude_transactions" value="rent"' in page
    assert re.search(r"<legend>Type de bien</legend>", page)


def test_the_gedeon_comma_list_and_french_words_tick_the_same_boxes(client, feed):
    page = body(client, "?type=maison,appartement")
    assert re.search(r'<input type="checkbox" name="type" value="house"[^>]* checked>', page)
    assert re.search(r'<input type="checkbox" name="type" value="flat"[^>]* checked>', page)


def test_the_map_points_read_the_boxes_repeated_parameters_too(client, feed):
    make_listing(feed=feed, upstream_id="house", property_type="house")
    make_listing(feed=feed, upstream_id="flat", property_type="flat")
    make_listing(feed=feed, upstream_id="shop", property_type="shop")
    data = client.get("/annonces/carte.json?type=house&type=flat").json()
    assert len(data["points"]) == 2


def test_the_agency_is_chosen_by_name_among_the_sites_agencies_only(client):
    feed_a, feed_b = make_feed(), make_feed()
    make_tenant("agence-a.test", feeds=[feed_a])
    mer = make_agency(feed=feed_a, upstream_id="AG-MER", name="Agence de la Mer")
    make_agency(feed=feed_b, upstream_id="AG-B", name="Agence d’un autre site")
    make_listing(feed=feed_a, agency=mer, upstream_id="mer")
    make_listing(feed=feed_a, upstream_id="other")
    response = client.get("/annonces/?agency=AG-MER", HTTP_HOST="agence-a.test")
    page = response.content.decode()
    assert ids(response) == ["mer"]
    assert '<option value="AG-MER" selected>Agence de la Mer</option>' in page
    assert "AG-B" not in page and "autre site" not in page
    assert "Agence de la Mer" in re.search(r"<summary.*?</summary>", page, re.S).group(0)


def test_the_map_area_is_no_typed_field_but_a_ticked_box_once_set_on_the_map(client, feed):
    assert 'name="bbox"' not in body(client)
    page = body(client, "?bbox=4.5,46.0,5.0,45.5")
    assert re.search(
        r'<input type="checkbox" name="bbox" value="4.5,46.0,5.0,45.5"[^>]* checked>', page
    )
    assert "zone choisie sur la carte" in page
