"""Display rules shared by cards, the map and the detail page (issue #14): closed
listings say sold or let, no amount means price on request, and only plausible
positions are drawn, even for rows stored before the mappings learned these rules."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from showcase.listings import price
from showcase.listings.map_points import is_plausible, point
from showcase.listings.numbers import figure
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


def test_the_map_json_leaves_out_rows_stored_at_0_0_or_out_of_range(client):
    located = make_listing(latitude=45.76, longitude=4.85)
    make_listing(latitude=0.0, longitude=0.0)
    make_listing(latitude=123.0, longitude=4.85)
    make_listing(latitude=45.76, longitude=-190.0)
    points = client.get("/annonces/carte.json").json()["points"]
    assert [p["id"] for p in points] == [located.pk]


def test_a_point_is_refused_for_an_implausible_position():
    listing = make_listing(latitude=0.0, longitude=0.0)
    with pytest.raises(ValueError, match="no position"):
        point(listing)


@pytest.mark.parametrize(
    ("lat", "lng", "plausible"),
    [
        (45.76, 4.85, True),
        (0.0, 9.45, True),
        (44.84, 0.0, True),
        (0.0, 0.0, False),
        (None, 4.85, False),
        (91.0, 4.85, False),
        (45.0, float("nan"), False),
    ],
)
def test_a_plausible_position_is_in_range_and_not_0_0(lat, lng, plausible):
    assert is_plausible(lat, lng) is plausible


def test_a_sold_card_without_price_says_sold_once_not_price_on_request(client):
    make_listing(transaction="sold", price=None, title="Maison vendue")
    html = client.get("/annonces/?transaction=sold").content.decode()
    card = re.search(r'<p class="card-price">(.*?)</p>', html, re.S).group(1)
    assert card == "Vendu"


def test_a_let_card_shows_its_rent_per_month_and_a_let_badge(client):
    make_listing(transaction="sold", transaction_label="Location", price=750)
    html = client.get("/annonces/?transaction=sold").content.decode()
    card = re.search(r'<p class="card-price">(.*?)</p>', html, re.S).group(1)
    assert card == '750\xa0€ par mois <span class="badge badge-sold">Loué</span>'


@pytest.mark.parametrize(
    ("fields", "short", "state"),
    [
        ({"transaction": "sell", "price": 0}, "Prix sur demande", ""),
        ({"transaction": "sell", "price": None}, "Prix sur demande", ""),
        ({"transaction": "rent", "price": None}, "Prix sur demande", ""),
        ({"transaction": "sold", "price": None}, "Vendu", "Vendu"),
        ({"transaction": "sold", "price": 0, "transaction_label": "Location"}, "Loué", "Loué"),
        ({"transaction": "sold", "price": 200000, "price_hidden": True}, "Vendu", "Vendu"),
        ({"transaction": "sold", "price": 200000}, "200\xa0000\xa0€", "Vendu"),
        ({"transaction": "sold", "price": 700, "rent_period": "mois"}, "700\xa0€ par mois", "Loué"),
        ({"transaction": "rent", "price": 700}, "700\xa0€ par mois", ""),
    ],
)
def test_short_price_and_state_of_each_kind_of_listing(fields, short, state):
    listing = make_listing(**fields)
    assert price.short_price(listing) == short
    assert price.closed_state(listing) == state


def test_let_and_sold_are_named_in_each_language():
    let = make_listing(transaction="sold", transaction_label="Location de Vacances")
    sold = make_listing(transaction="sold", transaction_label="Vente")
    for language, words in {"en": ("Let", "Sold"), "de": ("Vermietet", "Verkauft")}.items():
        with translation.override(language):
            assert (price.transaction_name(let), price.closed_state(sold)) == words
            assert price.closed_state(let) == words[0]


@pytest.mark.parametrize(
    ("value", "french", "english"),
    [
        (52.12, "52,12", "52.12"),
        (14.05, "14,05", "14.05"),
        (1200.5, "1\xa0200,5", "1,200.5"),
        (120.0, "120", "120"),
        (212.456, "212,46", "212.46"),
        (None, "", ""),
    ],
)
def test_figures_keep_up_to_two_decimals_in_each_language(value, french, english):
    with translation.override("fr"):
        assert figure(value) == french
    with translation.override("en"):
        assert figure(value) == english


@pytest.mark.parametrize(
    ("label", "let"),
    [
        ("Location", True),
        ("Location saisonnière", True),
        ("Location de Vacances", True),
        ("Vente", False),
        ("Viager", False),
        ("Rente viagère", False),
        ("", False),
    ],
)
def test_a_closed_listing_is_let_only_when_it_was_offered_as_a_rental(label, let):
    assert price.is_let(make_listing(transaction="sold", transaction_label=label)) is let
    assert price.is_let(make_listing(transaction="rent", transaction_label=label)) is False
