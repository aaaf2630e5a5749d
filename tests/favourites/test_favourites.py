from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db
HOST = "agence-a.test"


@pytest.fixture
def feed():
    feed = make_feed(name="feed-a")
    make_tenant(HOST, feeds=[feed])
    return feed


def _get(client, query):
    response = client.get(f"/favoris/{query}", HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.content.decode()


def test_lists_favourites_in_the_order_given_and_flags_withdrawn_ones(client, feed):
    first = make_listing(feed=feed, title="Maison bleue")
    second = make_listing(feed=feed, title="Loft rouge")
    gone = make_listing(feed=feed, title="Ferme vendue", withdrawn_at=timezone.now())
    html = _get(client, f"?ids={second.pk},{first.pk},{gone.pk}")
    assert html.index("Loft rouge") < html.index("Maison bleue")
    available, _sep, withdrawn = html.partition('id="fav-gone"')
    assert "Ferme vendue" not in available
    assert "Ferme vendue" in withdrawn and "Retirée" in withdrawn


def test_unknown_hidden_and_other_sites_listings_are_explained_not_shown(client, feed):
    hidden = make_listing(feed=feed, title="Cachée", hidden=True)
    elsewhere = make_listing(feed=make_feed(name="other"), title="Ailleurs")
    html = _get(client, f"?ids={hidden.pk},{elsewhere.pk},999999")
    assert "Cachée" not in html and "Ailleurs" not in html
    for pk in (hidden.pk, elsewhere.pk, 999999):
        assert f'data-fav-item="{pk}"' in html


def test_invalid_ids_are_explained(client, feed):
    listing = make_listing(feed=feed, title="Maison bleue")
    html = _get(client, f"?ids=abc,{listing.pk},-3")
    assert "Maison bleue" in html
    assert 'role="alert"' in html and "“abc”" in html


def test_the_list_is_bounded(client, feed, django_assert_max_num_queries):
    ids = ",".join(str(n) for n in range(1, 200))
    with django_assert_max_num_queries(8):
        html = _get(client, f"?ids={ids}")
    assert html.count("data-fav-item=") == 60


def test_empty_list_explains_how_it_works(client, feed):
    html = _get(client, "")
    assert "<h1>" in html and "data-fav-item" not in html


def test_cards_and_detail_carry_a_heart_hidden_without_javascript(client, feed):
    listing = make_listing(feed=feed, title="Maison bleue")
    search = client.get("/annonces/", HTTP_HOST=HOST).content.decode()
    assert f'data-fav="{listing.pk}" aria-pressed="false" hidden' in search
    detail = client.get(listing.get_absolute_url(), HTTP_HOST=HOST).content.decode()
    assert f'data-fav="{listing.pk}"' in detail
    assert "js/favourites.js" in detail
