"""Issue #15, points 5, 7, 8: every interface text of the detail page in the page's
language (price block, features, types, energy units, rent periods), upstream French
marked `lang="fr"`, each fact once and with its unit, and a placeholder for no photo."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import responses
from django.utils import translation

from showcase.listings import energy, price
from showcase.listings.features import features
from showcase.listings.templatetags.listing_tags import type_label
from tests.factories import make_listing, make_photo

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
SALE_PRICE_INFO = {
    "price": {
        "euros": "300 000 €",
        "suffix": "honoraires inclus",
        "moreinfos": {"hh": "285 000 € hors honoraires"},
        "alurinfos": {
            "honoraires": "Honoraires : 5,26 % TTC à la charge de l'acquéreur",
            "prix_hors_honoraires": "Prix hors honoraires : 285 000 €",
        },
    }
}


def body(client, listing, language: str = "fr") -> str:
    prefix = "" if language == "fr" else f"/{language}"
    with translation.override("fr"):
        path = listing.get_absolute_url()
    response = client.get(prefix + path)
    assert response.status_code == 200
    return response.content.decode()


def price_block(html: str) -> str:
    return re.search(r'<section class="price-block".*?</section>', html, re.S).group(0)


def sale(**fields):
    defaults = {
        "price": 300000,
        "price_excluding_fees": 285000,
        "fees_percent": Decimal("5.26"),
        "fees_paid_by": "acquéreur",
        "price_info": SALE_PRICE_INFO,
    }
    return make_listing(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["€300,000", "fees included", "€285,000 excluding fees", "Fees: 5.26% incl. VAT"]),
        (
            "de",
            [
                f"300.000{NBSP}€",
                "inkl. Provision",
                f"285.000{NBSP}€ ohne Provision",
                f"Provision: 5,26{NBSP}% inkl. MwSt.",
            ],
        ),
    ],
)
def test_english_and_german_price_blocks_use_our_wording_not_the_french_price_info(
    client, language, expected
):
    block = price_block(body(client, sale(), language))
    for text in expected:
        assert text in block
    assert "honoraires" not in re.sub(r'href="[^"]*"', "", block).lower()


def test_an_upstream_price_line_no_field_gives_stays_shown_and_marked_french(client):
    holiday = make_listing(
        transaction="holidays",
        price=600,
        rent_period="semaine",
        price_info={
            "price": {
                "euros": "600 €",
                "prefix": "À partir de",
                "suffix": "/semaine",
                "alurinfos": {
                    "taxe": "Taxe de séjour en sus",
                    "menage": "Ménage en fin de séjour inclus",
                },
            }
        },
    )
    block = price_block(body(client, holiday, "en"))
    assert "From" in block and "/ week" in block
    assert '<li><span lang="fr">Ménage en fin de séjour inclus</span></li>' in block
    assert "<li>Tourist tax not included</li>" in block
    assert "semaine" not in block


def test_the_french_price_block_says_the_price_before_fees_once(client):
    block = price_block(body(client, sale()))
    assert block.count("285 000 €") == 1
    assert "Honoraires : 5,26 % TTC" in block


@pytest.mark.parametrize(("language", "word"), [("fr", "semaine"), ("en", "week"), ("de", "Woche")])
def test_rent_periods_are_named_in_the_page_language(language, word):
    listing = make_listing(transaction="holidays", price=600, rent_period="semaine")
    with translation.override(language):
        assert price.short_price(listing).endswith(f"/ {word}")
        assert price.price_block(listing).suffix == f"/ {word}"


def test_an_unknown_rent_period_is_shown_as_upstream_wrote_it():
    listing = make_listing(transaction="holidays", price=600, rent_period="saison")
    with translation.override("en"):
        assert price.short_price(listing).endswith("/ saison")


EXTRAS = {
    "nb_chambres": {"name": "Chambres", "value": 2, "display": True, "category": "Intérieur"},
    "surface_terrain": {"name": "Terrain", "value": 1790, "display": True, "category": "Extérieur"},
    "surface_terrasse": {"name": "Terrasse", "value": 24, "display": True, "category": "Extérieur"},
    "chauffage": {"name": "Chauffage", "value": "Gaz", "display": True, "category": "Équipements"},
    "ascenseur": {"name": "Ascenseur", "value": True, "display": True, "category": "Équipements"},
    "piscine_chauffee": {"name": "Piscine chauffée", "value": "oui", "display": True},
    "prix_hors_honoraires": {"name": "Prix hors honoraires", "value": 285000, "display": True},
    "vue": {"name": "Vue", "value": "Mer", "display": True, "category": "Atouts"},
}


def test_features_name_documented_keys_in_the_page_language_with_units():
    listing = make_listing(extras=EXTRAS, bedrooms=2, land_surface=None)
    with translation.override("en"):
        groups = {g.name: g for g in features(listing)}
    outside = [(i.name, i.value) for i in groups["Outside"].items]
    assert outside == [("Land", f"1,790{NBSP}m²"), ("Terrace", f"24{NBSP}m²")]
    equipment = {i.name: i for i in groups["Equipment"].items}
    assert equipment["Lift"].value == "yes" and equipment["Lift"].value_lang == ""
    assert equipment["Heating"].value == "Gaz" and equipment["Heating"].value_lang == "fr"


def test_unknown_upstream_labels_stay_as_given_and_marked_french(client):
    listing = make_listing(extras=EXTRAS, bedrooms=2)
    html = body(client, listing, "de")
    assert '<dt lang="fr">Piscine chauffée</dt><dd lang="fr">oui</dd>' in html
    assert '<h3 lang="fr">Atouts</h3>' in html
    french = body(client, listing)
    assert "<dt>Piscine chauffée</dt><dd>oui</dd>" in french


def test_features_leave_out_facts_the_page_shows_elsewhere(client):
    listing = make_listing(
        extras=EXTRAS, bedrooms=2, land_surface=1790, price_excluding_fees=285000
    )
    names = [i.name for g in features(listing) for i in g.items]
    assert "Chambres" not in names and "Bedrooms" not in names
    assert "Terrain" not in names and "Land" not in names
    assert "Prix hors honoraires" not in names
    html = body(client, listing)
    assert html.count(f"1{NBSP}790 m²") == 1


@pytest.mark.parametrize(
    ("language", "kind", "subtype", "expected"),
    [
        ("en", "house", "Maison", "House"),
        ("de", "house", "maison", "Haus"),
        ("en", "flat", "Appartement", "Flat"),
        ("fr", "flat", "Appartement", "Appartement"),
        ("en", "house", "Villa", 'House (<span lang="fr">Villa</span>)'),
        ("fr", "house", "Villa", "Maison (Villa)"),
        ("en", "garage", "Parking", "Garage"),
    ],
)
def test_the_type_shows_the_french_subtype_only_when_it_adds_information(
    language, kind, subtype, expected
):
    listing = make_listing(property_type=kind, property_subtype=subtype)
    with translation.override(language):
        assert str(type_label(listing)) == expected


@pytest.mark.parametrize(
    ("language", "unit"), [("fr", "kWh/m²/an"), ("en", "kWh/m²/year"), ("de", "kWh/m²/Jahr")]
)
def test_our_energy_scale_writes_its_unit_in_the_page_language(language, unit):
    with translation.override(language):
        svg = energy.scale_svg("energy", "D", 212, "Energy class D")
    assert f"D 212 {unit}" in svg


@responses.activate
def test_the_energy_label_drawing_follows_the_page_language_and_is_cached_per_language(client):
    responses.get("https://dpe.gedeon.im/sticker", status=503)
    url = "/etiquette-energie/sticker.svg?dpe=212&ges=35&date=2023-03-14&ld=D&lg=D"
    assert "kWh/m²/an" in client.get(url).content.decode()
    english = client.get(url + "&lang=en").content.decode()
    assert "kWh/m²/year" in english and "Energy class D" in english
    assert "kWh/m²/an" in client.get(url + "&lang=xx").content.decode()


def test_the_english_page_asks_for_the_energy_label_in_english(client):
    listing = make_listing(dpe_value=212, ges_value=35, dpe_letter="D", ges_letter="D")
    assert "lang=en" in body(client, listing, "en")
    assert "lang=" not in re.search(r'class="dpe-sticker" src="([^"]*)"', body(client, listing))[1]


def test_upstream_french_texts_of_the_energy_and_rooms_blocks_are_marked(client):
    listing = make_listing(
        energy_cost_min=1000,
        energy_cost_max=1400,
        energy_cost_reference="Prix moyens des énergies indexés au 1er janvier 2021",
        rooms_details={"séjour": {"surface": 30, "desc": "lumineux"}},
    )
    html = body(client, listing, "en")
    assert '<span lang="fr">Prix moyens des énergies indexés' in html
    assert '<tbody lang="fr">' in html
    assert '<tbody lang="fr">' not in body(client, listing)


@pytest.mark.parametrize(("language", "label"), [("fr", "Photo à venir"), ("en", "No photo yet")])
def test_a_listing_without_photos_shows_a_labelled_placeholder_on_its_page_and_card(
    client, language, label
):
    listing = make_listing(title="Sans photo")
    html = body(client, listing, language)
    placeholder = f'role="img" aria-label="{label}"'
    assert re.search(
        r'class="gallery gallery-empty"><div class="photo-missing gallery-photo" ' + placeholder,
        html,
    )
    assert f"<span>{label}</span>" in html
    prefix = "" if language == "fr" else f"/{language}"
    search = client.get(prefix + "/annonces/").content.decode()
    assert f'class="photo-missing card-photo" {placeholder}' in search


def test_every_photo_shows_its_position_without_javascript(client):
    listing = make_listing()
    for _ in range(3):
        make_photo(listing)
    html = body(client, listing)
    counts = re.findall(r'<span class="gallery-count" aria-hidden="true">([^<]*)</span>', html)
    assert counts == ["1 / 3", "2 / 3", "3 / 3"]
    assert 'class="gallery-controls" hidden' in html


def test_photo_alternative_texts_from_upstream_are_marked_french(client):
    listing = make_listing(title="Maison de ville")
    make_photo(listing, description="Vue du jardin")
    make_photo(listing)
    html = body(client, listing, "en")
    assert 'alt="Vue du jardin" lang="fr"' in html
    assert 'alt="Maison de ville" lang="fr"' in html
    assert (
        'lang="fr"'
        not in re.search(r'<ul class="gallery-list">.*?</ul>', body(client, listing), re.S)[0]
    )
