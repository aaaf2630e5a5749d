"""Apimo listings on public pages: private data never shown, the ALUR block built from
the structured price, hidden prices kept out of price searches, and a mixed site."""

from __future__ import annotations

import json
import re

import pytest
import responses
from django.core import serializers

from showcase.feeds.sync import sync_feed
from showcase.listings.models import Agency, Listing
from tests.factories import make_apimo_feed, make_feed, make_tenant
from tests.feeds.apimo.payloads import AGENCY, envelope, private_prop, prop
from tests.feeds.gedeon import payloads as gedeon_payloads

pytestmark = pytest.mark.django_db
APIMO = "http://apimo.test"
GEDEON = "http://gedeon.test"
HOST = {"HTTP_HOST": "agence-nice.test"}
PRIVATE_MARKERS = (
    "OWNERMARKER",
    "VISITCONTACTMARKER",
    "VISITINSTRUCTIONSMARKER",
    "EXCHANGEMARKER",
    "PRIVATECOMMENTMARKER",
    "STATUSCOMMENTMARKER",
    "LOGMARKER",
    "SECRETSTREET",
    "SECRETBUILDING",
    "rue des Oliviers",
    "43.718765",
    "7.271234",
)


@pytest.fixture
def apimo_feed():
    return make_apimo_feed(name="nice")


def serve_apimo(items):
    responses.get(f"{APIMO}/agencies", json={"agencies": [AGENCY]})
    responses.get(f"{APIMO}/agencies/182/properties", json=envelope(items))


def page(client, url: str) -> str:
    response = client.get(url, **HOST)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@responses.activate
def test_private_mode_values_appear_on_no_public_page_and_are_not_stored(client, apimo_feed):
    serve_apimo([private_prop()])
    assert sync_feed(apimo_feed).created == 1
    make_tenant("agence-nice.test", feeds=[apimo_feed])
    listing = Listing.objects.get()
    urls = [
        "/",
        "/annonces/",
        "/annonces/?localization=nice",
        listing.get_absolute_url(),
        "/annonces/carte.json",
        "/embed/annonces/",
        f"/embed/annonces/{listing.pk}-{listing.slug}/",
        "/sitemap.xml",
        "/sitemap-listings.xml",
        "/agences/",
        Agency.objects.get().get_absolute_url(),
        "/honoraires/",
    ]
    bodies = {url: page(client, url) for url in urls}
    detail = bodies[listing.get_absolute_url()]
    assert "Maison avec jardin à Cimiez" in detail and "application/ld+json" in detail
    for url, body in bodies.items():
        for marker in PRIVATE_MARKERS:
            assert marker not in body, f"{marker} on {url}"
    stored = serializers.serialize("json", [listing, *listing.photos.all(), Agency.objects.get()])
    for marker in PRIVATE_MARKERS:
        assert marker not in stored
    assert "87.5" not in json.dumps(json.loads(stored)[0]["fields"]["extras"])


@responses.activate
def test_the_alur_block_of_an_apimo_sale_comes_from_its_structured_price(client, apimo_feed):
    serve_apimo([private_prop()])
    sync_feed(apimo_feed)
    make_tenant("agence-nice.test", feeds=[apimo_feed])
    body = page(client, Listing.objects.get().get_absolute_url())
    assert "525\u00a0000\u00a0€" in body or "525 000" in body
    assert "500\u00a0000\u00a0€ hors honoraires" in body
    assert "Honoraires : 5,00\u00a0% TTC à la charge de l’acquéreur" in body
    assert "Copropriété de 12 lots" in body or "12 lots" in body
    assert "1\u00a0800\u00a0€" in body


@responses.activate
def test_the_alur_block_of_an_apimo_rental(client, apimo_feed):
    price = {"value": 900, "fees": 60, "deposit": 840, "commission": 500, "inventory": 150}
    serve_apimo([prop(7, price=price)])
    sync_feed(apimo_feed)
    make_tenant("agence-nice.test", feeds=[apimo_feed])
    body = page(client, Listing.objects.get().get_absolute_url())
    assert "dont 60\u00a0€ de charges" in body
    assert "840\u00a0€" in body and "650\u00a0€" in body and "150\u00a0€" in body


@responses.activate
def test_a_hidden_apimo_price_reads_price_on_request_and_never_falls_in_a_price_range(
    client, apimo_feed
):
    hidden = prop(1, category=1, price={"value": 450000, "hide": True, "commission": 20000})
    shown = prop(2, category=1, price={"value": 440000, "commission": 20000})
    serve_apimo([hidden, shown])
    sync_feed(apimo_feed)
    make_tenant("agence-nice.test", feeds=[apimo_feed])
    detail = page(client, Listing.objects.get(upstream_id="1").get_absolute_url())
    # The amount in any of its spellings (a bare "450" also matches ids and coordinates).
    assert "Prix sur demande" in detail
    assert not re.search(r"450[\s\u00a0\u202f.,]?000", detail)
    for query in ("min_price=400000&max_price=500000", "max_price=10000000", "min_price=0"):
        found = page(client, f"/annonces/?{query}&transaction=sell")
        ids = json.loads(_json_ld(found))["itemListElement"]
        assert [item["item"]["identifier"] for item in ids] == ["2"], query
    by_price = page(client, "/annonces/?sort=price_desc")
    assert "450\u00a0000" not in by_price


def _json_ld(body: str) -> str:
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return body[start : body.index("</script>", start)]


@responses.activate
def test_a_mixed_site_searches_gedeon_and_apimo_listings_with_the_same_criteria(client):
    gedeon = make_feed(name="lyon", base_url=GEDEON, api_key="k3y")
    apimo_feed = make_apimo_feed(name="nice")
    place = {"city": "Nice", "zip_code": "06000", "lat": 43.7, "lng": 7.26}
    responses.get(f"{GEDEON}/agencies", json=gedeon_payloads.envelope([]))
    responses.get(
        f"{GEDEON}/ads",
        json=gedeon_payloads.envelope(
            [
                gedeon_payloads.ad(
                    501,
                    transaction_code="R",
                    transaction_type="Location",
                    price=820,
                    nb_rooms=2,
                    surface=48,
                    type={"category": "Appartement", "name": "Appartement"},
                    localization=place,
                ),
                gedeon_payloads.ad(502, localization=place),  # a house for sale
            ]
        ),
    )
    serve_apimo([prop(181297), prop(181298, category=1, type=2, price={"value": 600000})])
    assert sync_feed(gedeon).created == 2 and sync_feed(apimo_feed).created == 2
    make_tenant("agence-nice.test", feeds=[gedeon, apimo_feed])

    def identifiers(query: str) -> set[str]:
        items = json.loads(_json_ld(page(client, f"/annonces/?{query}")))["itemListElement"]
        return {item["item"]["identifier"] for item in items}

    rentals = "transaction=rent&localization=nice&type=flat&rooms=2&max_price=1000"
    assert identifiers(rentals) == {"501", "181297"}
    assert identifiers("transaction=sell&type=house&localization=06") == {"502", "181298"}
    assert identifiers("min_surface=50&transaction=rent") == {"181297"}
    assert identifiers("bedrooms=1&transaction=rent") >= {"181297"}


@responses.activate
def test_the_apimo_agency_rates_are_the_fee_schedule_page(client, apimo_feed):
    serve_apimo([prop(1)])
    sync_feed(apimo_feed)
    make_tenant("agence-nice.test", feeds=[apimo_feed])
    body = page(client, "/honoraires/")
    assert "Vente" in body and "6\u00a0000\u00a0€" in body and "8.5" in body.replace(",", ".")
    notice = page(client, "/mentions-legales/")
    assert "Gambetta Immobilier SARL" in notice and "RCS Nice 123 456 789" in notice


def test_a_rent_for_another_period_than_the_month_says_so():
    from showcase.listings.price import price_block, short_price
    from tests.factories import make_listing

    yearly = make_listing(transaction="rent", price=24000, rent_period="an")
    monthly = make_listing(transaction="rent", price=900, rent_period="mois", charges=50)
    assert price_block(yearly).suffix == "/ an" and short_price(yearly) == "24\u00a0000\u00a0€ / an"
    assert price_block(monthly).suffix == "par mois, charges comprises"
    assert short_price(monthly) == "900\u00a0€ par mois"
