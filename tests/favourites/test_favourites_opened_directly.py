"""`/favoris/` opened without a list: the script loads the browser's list; without
JavaScript the page says why it cannot show it (the browser journey is in tests/browser)."""

from __future__ import annotations

import pytest

from tests.factories import make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db
HOST = "agence-a.test"


@pytest.fixture
def feed():
    feed = make_feed(name="feed-a")
    make_tenant(HOST, feeds=[feed])
    return feed


def test_the_page_without_a_list_is_marked_for_the_script_and_explains_itself_without_it(
    client, feed
):
    html = client.get("/favoris/", HTTP_HOST=HOST).content.decode()
    assert "data-fav-page" in html
    noscript = html.split("<noscript>")[1].split("</noscript>")[0]
    assert "besoin de JavaScript pour les lire" in noscript
    assert "?ids=" in noscript


def test_a_page_with_a_list_is_not_replaced_by_the_browsers_list(client, feed):
    listing = make_listing(feed=feed, title="Maison bleue")
    html = client.get(f"/favoris/?ids={listing.pk}", HTTP_HOST=HOST).content.decode()
    assert "data-fav-page" not in html
    assert "Maison bleue" in html
