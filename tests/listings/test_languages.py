"""The site in French (at the root), English (/en/) and German (/de/): numbers, prices
and dates per locale, a language switch that keeps the page, hreflang alternates,
and listing texts in the visitor's language with a marked fallback to French."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.utils import translation

from tests.factories import make_listing

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def page(client, path: str, language: str) -> str:
    prefix = "" if language == "fr" else f"/{language}"
    response = client.get(prefix + path)
    assert response.status_code == 200, (language, path, response.status_code)
    return response.content.decode()


def detail_path(listing) -> str:
    with translation.override("fr"):
        return listing.get_absolute_url()


@pytest.fixture
def villa():
    return make_listing(
        title="Villa avec piscine",
        description="Belle villa au calme.",
        price=1250000,
        surface=185.5,
        land_surface=1500,
        dpe_value=1234.5,
        ges_value=12.3,
        dpe_date=date(2024, 3, 5),
        texts={"en": {"title": "Villa with a pool", "description": "A lovely quiet villa."}},
    )


@pytest.mark.parametrize(
    ("language", "price", "land", "living", "energy", "dpe_date"),
    [
        (
            "fr",
            f"1{NBSP}250{NBSP}000{NBSP}€",
            f"1{NBSP}500 m²",
            "185,5 m²",
            f"1{NBSP}234,5",
            "5 mars 2024",
        ),
        ("en", "€1,250,000", "1,500 m²", "185.5 m²", "1,234.5", "March 5, 2024"),
        ("de", f"1.250.000{NBSP}€", "1.500 m²", "185,5 m²", "1.234,5", "5. März 2024"),
    ],
)
def test_detail_page_writes_prices_numbers_and_dates_per_language(
    client, villa, language, price, land, living, energy, dpe_date
):
    body = html.unescape(page(client, detail_path(villa), language))
    assert f'<strong class="price-amount">{price}</strong>' in body
    assert f"<dd>{land}</dd>" in body
    assert f"<dd>{living}</dd>" in body
    assert energy in body
    assert dpe_date in body


@pytest.mark.parametrize(
    ("language", "card_price", "card_surface"),
    [
        ("fr", f"1{NBSP}250{NBSP}000{NBSP}€", "185,5 m²"),
        ("en", "€1,250,000", "185.5 m²"),
        ("de", f"1.250.000{NBSP}€", "185,5 m²"),
    ],
)
def test_search_cards_write_prices_and_surfaces_per_language(
    client, villa, language, card_price, card_surface
):
    body = html.unescape(page(client, "/annonces/", language))
    assert card_price in body
    assert card_surface in body


@pytest.mark.parametrize(
    ("language", "label"), [("fr", f"Page{NBSP}: "), ("en", "Page: "), ("de", "Seite: ")]
)
def test_search_error_labels_follow_each_language_punctuation(client, villa, language, label):
    body = html.unescape(page(client, "/annonces/?page=zero", language))
    assert f"<li>{label}" in body


def test_language_switch_keeps_the_page_and_its_criteria(client, villa):
    criteria = urlencode({"type": "house", "min_price": "100000", "sort": "price_asc"})
    body = page(client, f"/annonces/?{criteria}", "en")
    switch = re.search(r'<nav class="language-switch".*?</nav>', body, re.S).group(0)
    query = html.escape(f"?{criteria}")
    assert f'<a href="/annonces/{query}" hreflang="fr" lang="fr">' in switch
    assert f'<a href="/de/annonces/{query}" hreflang="de" lang="de">' in switch
    assert '<span aria-current="page" lang="en">' in switch
    # And from a detail page in German, back to the same listing in French and English.
    path = detail_path(villa)
    switch = re.search(r'<nav class="language-switch".*?</nav>', page(client, path, "de"), re.S)
    assert f'<a href="{path}" hreflang="fr" lang="fr">' in switch.group(0)
    assert f'<a href="/en{path}" hreflang="en" lang="en">' in switch.group(0)


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_every_language_version_lists_the_same_alternates(client, villa, language):
    path = detail_path(villa)
    body = page(client, path, language)
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body)
    assert alternates == [
        ("fr", f"http://testserver{path}"),
        ("en", f"http://testserver/en{path}"),
        ("de", f"http://testserver/de{path}"),
        ("x-default", f"http://testserver{path}"),
    ]
    assert f'<html lang="{language}">' in body


def test_listing_texts_in_the_visitor_language_when_the_feed_has_them(client, villa):
    body = page(client, detail_path(villa), "en")
    assert '<article class="listing" lang="en">' in body
    assert "<h1>Villa with a pool</h1>" in body
    assert '<div class="description" lang="en">' in body and "A lovely quiet villa." in body
    assert "only available in French" not in body
    cards = page(client, "/annonces/", "en")
    assert '<h3 class="card-title">Villa with a pool</h3>' in cards


def test_french_fallback_is_marked_on_an_english_or_german_page(client, villa):
    body = page(client, detail_path(villa), "de")
    assert '<article class="listing" lang="fr">' in body
    assert "<h1>Villa avec piscine</h1>" in body
    assert "Diese Beschreibung ist nur auf Französisch verfügbar." in body
    assert '<div class="description" lang="fr">' in body
    cards = page(client, "/annonces/", "de")
    assert '<h3 class="card-title" lang="fr">Villa avec piscine</h3>' in cards
    # On the French site nothing is marked as a fallback.
    french = page(client, detail_path(villa), "fr")
    assert "only available in French" not in french and "fallback-note" not in french


def test_a_translated_description_under_a_french_title_marks_each_with_its_language(client):
    listing = make_listing(
        title="Studio meublé",
        description="Studio proche gare.",
        texts={"en": {"description": "Furnished studio near the station."}},
    )
    body = page(client, detail_path(listing), "en")
    assert '<article class="listing" lang="fr">' in body
    assert "<h1>Studio meublé</h1>" in body
    assert '<div class="description" lang="en">' in body
    assert "fallback-note" not in body


def test_a_tenant_with_another_default_language_serves_it_at_the_root_and_french_under_fr(
    client, two_agencies
):
    tenant = two_agencies["a"]
    tenant.default_language = "en"
    tenant.save()
    host = {"HTTP_HOST": "agence-a.test"}
    listing = two_agencies["listing_a"]
    english = client.get("/annonces/?rooms=3", **host)
    assert english.status_code == 200
    body = english.content.decode()
    assert '<html lang="en">' in body
    assert f'<a class="card-link" href="/annonces/{listing.pk}-' in body
    assert '<a href="/fr/annonces/?rooms=3" hreflang="fr" lang="fr">' in body
    assert '<link rel="alternate" hreflang="fr" href="http://agence-a.test/fr/annonces/">' in body
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://agence-a.test/annonces/">' in body
    )
    french = client.get("/fr/annonces/", **host)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    assert f'href="/fr/annonces/{listing.pk}-' in french.content.decode()
    # One URL per page: the English prefix (e.g. in an e-mail link) leads to the root.
    moved = client.get("/en/annonces/?rooms=3", **host)
    assert moved.status_code == 301 and moved["Location"] == "/annonces/?rooms=3"
    # The other tenant keeps French at the root.
    other = client.get("/annonces/", HTTP_HOST="agence-b.test")
    assert other.status_code == 200 and '<html lang="fr">' in other.content.decode()
    assert client.get("/fr/annonces/", HTTP_HOST="agence-b.test").status_code == 404


def test_the_favourite_buttons_name_marks_a_french_title_as_french(client, villa):
    # English has its own title; German shows the French one, inside a German sentence.
    german = page(client, "/annonces/", "de")
    button = re.search(r'<button type="button" class="fav-toggle".*?</button>', german, re.S)
    assert 'Favorit: <span lang="fr">Villa avec piscine</span>' in button.group(0)
    english = page(client, "/annonces/", "en")
    button = re.search(r'<button type="button" class="fav-toggle".*?</button>', english, re.S)
    assert "Favourite: Villa with a pool</span>" in button.group(0)
    assert 'lang="fr"' not in button.group(0)
