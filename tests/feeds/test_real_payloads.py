"""Real-shaped payloads through the real client, mapping, sync and pages (issue #14).

Gedeon ads are rebuilt from specs/gedeon-api.txt and upstream-facts.md
(tests/fixtures/gedeon/, personal data invented); the Apimo property is the spec's own
example (tests/fixtures/apimo/properties_spec_example.json). The upstreams are faked
with `responses`; every value below is read from the pages a visitor gets.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import responses
from responses import matchers

from showcase.feeds.sync import sync_feed
from showcase.listings.models import Listing
from tests.factories import make_apimo_feed, make_feed
from tests.feeds.apimo.payloads import AGENCY, prop
from tests.feeds.apimo.payloads import envelope as apimo_envelope
from tests.feeds.gedeon.payloads import envelope, load

pytestmark = pytest.mark.django_db
GEDEON = "http://gedeon.test"
APIMO = "http://apimo.test"


def gedeon_sync(*fixtures: str) -> dict[str, Listing]:
    """Sync the named Gedeon fixtures; {fixture name: its listing}."""
    ads = [load(name) for name in fixtures]
    feed = make_feed(name="parc", base_url=GEDEON, api_key="k3y")
    with responses.RequestsMock() as upstream:
        upstream.get(f"{GEDEON}/agencies", json=envelope([]))
        upstream.get(
            f"{GEDEON}/ads",
            json=envelope(ads),
            match=[matchers.query_param_matcher({"key": "k3y"}, strict_match=False)],
        )
        run = sync_feed(feed)
    assert (run.status, run.created, run.rejected) == ("success", len(ads), 0), run.warnings
    return {
        name: Listing.objects.get(feed=feed, upstream_id=str(item["id"]))
        for name, item in zip(fixtures, ads, strict=True)
    }


def apimo_sync(*items: dict[str, Any]) -> list[Listing]:
    feed = make_apimo_feed(name="nice")
    with responses.RequestsMock() as upstream:
        upstream.get(f"{APIMO}/agencies", json={"total_items": 1, "agencies": [AGENCY]})
        upstream.get(f"{APIMO}/agencies/182/properties", json=apimo_envelope(list(items)))
        run = sync_feed(feed)
    assert (run.status, run.rejected) == ("success", 0)
    return [Listing.objects.get(feed=feed, upstream_id=str(item["id"])) for item in items]


def page(client, listing: Listing) -> str:
    response = client.get(listing.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's visible words, one space between them."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def price_block(html: str) -> str:
    block = re.search(r'<section class="price-block".*?</section>', html, re.S).group(0)
    return text_of(block).strip()


def fact(html: str, name: str) -> str:
    found = re.search(rf"<dt>{re.escape(name)}</dt><dd>(.*?)</dd>", html, re.S)
    return text_of(found.group(1)).strip() if found else ""


def json_ld(html: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def cards(client, query: str = "") -> str:
    """The result cards of a search, as visible text."""
    html = client.get(f"/annonces/?{query}").content.decode()
    return " | ".join(
        text_of(c) for c in re.findall(r'<article class="card">.*?</article>', html, re.S)
    )


def found_ids(client, query: str) -> list[str]:
    data = json_ld(client.get(f"/annonces/?{query}").content.decode())
    return [element["item"]["identifier"] for element in data["itemListElement"]]


# 6. Let is not sold.


def test_apimo_example_rental_with_status_30_is_let_with_its_rent_per_month(client):
    (listing,) = apimo_sync(prop(181297, status=30))
    body = page(client, listing)
    words = text_of(body)
    assert "Ce bien a été loué." in words
    assert "vendu" not in words.lower()
    assert price_block(body).startswith("Prix 750 € par mois, charges comprises")
    assert "dont 70 € de charges" in price_block(body)
    card = cards(client, "transaction=sold")
    assert "750 € par mois Loué" in card and "Vendu" not in card


def test_apimo_example_as_a_sale_with_status_30_is_sold(client):
    (listing,) = apimo_sync(prop(181298, status=30, category=1, price={"value": 245000}))
    words = text_of(page(client, listing))
    assert "Ce bien a été vendu." in words and "loué" not in words
    assert "245 000 €" in words and "par mois" not in words


# 7. Type labels never doubled.


def test_apimo_subtype_appartement_is_not_repeated_after_the_type(client):
    (listing,) = apimo_sync(prop(181297))
    assert fact(page(client, listing), "Type") == "Appartement"


def test_gedeon_type_name_equal_to_its_category_is_shown_once(client):
    listings = gedeon_sync("ad_type_repeated.json", "ad_full.json")
    assert fact(page(client, listings["ad_type_repeated.json"]), "Type") == "Maison"
    assert fact(page(client, listings["ad_full.json"]), "Type") == "Maison (Maison de ville)"


# 9. A price of 0 or none is "price on request".


def test_gedeon_price_0_is_price_on_request_everywhere(client):
    listings = gedeon_sync("ad_price_on_request.json")
    listing = listings["ad_price_on_request.json"]
    body = page(client, listing)
    assert price_block(body).startswith("Prix Prix sur demande")
    assert "0 €" not in price_block(body)
    assert "price" not in json_ld(body)["offers"]
    assert found_ids(client, "max_price=50000") == []
    assert found_ids(client, "min_price=0") == []
    assert found_ids(client, "") == ["5120001"]
    assert "Prix sur demande" in cards(client)


def test_a_sold_gedeon_ad_without_price_shows_sold_not_price_on_request(client):
    listings = gedeon_sync("ad_sold_without_price.json")
    body = page(client, listings["ad_sold_without_price.json"])
    assert price_block(body).startswith("Prix Vendu")
    assert "Prix sur demande" not in body
    assert "Ce bien a été vendu." in text_of(body)
    card = cards(client, "transaction=sold")
    assert "Vendu" in card and "Prix sur demande" not in card


def test_a_rental_with_a_rent_never_says_price_on_request(client):
    (listing,) = apimo_sync(prop(181297))
    body = page(client, listing)
    assert "Prix sur demande" not in body
    assert price_block(body).startswith("Prix 750 € par mois")
    assert json_ld(body)["offers"]["price"] == 750


# 10. Coordinates 0,0 are no position.


def test_gedeon_coordinates_0_0_draw_no_pin_and_are_found_by_no_map_search(client):
    listings = gedeon_sync("ad_zero_position.json", "ad_full.json")
    body = page(client, listings["ad_zero_position.json"])
    assert "data-location-map" not in body and "openstreetmap.org/?mlat" not in body
    points = client.get("/annonces/carte.json").json()["points"]
    assert [p["id"] for p in points] == [listings["ad_full.json"].pk]
    assert found_ids(client, "bbox=-1,1,1,-1") == []


def test_apimo_coordinates_0_0_are_no_position(client):
    (listing,) = apimo_sync(prop(181297, latitude=0, longitude=0))
    assert (listing.latitude, listing.longitude) == (None, None)
    assert "data-location-map" not in page(client, listing)


# 11. Numbers as the agency gave them.


def test_gedeon_surfaces_keep_their_decimals_and_the_half_room_is_not_counted(client):
    listings = gedeon_sync("ad_precise_numbers.json")
    body = page(client, listings["ad_precise_numbers.json"])
    assert fact(body, "Surface habitable") == "74,35 m²"
    assert fact(body, "Terrain") == "52,12 m²"
    assert fact(body, "Pièces") == "3"
    rooms = text_of(re.search(r'<table class="rooms">.*?</table>', body, re.S).group(0))
    assert "Chambre 1 14,05 m²" in rooms and "Bureau 6,8 m²" in rooms
    assert "chambre de 14,05 m²" in text_of(body)  # the agency's text says the same figure
    card = cards(client)
    assert "74,35 m²" in card and "3 pièces" in card


def test_apimo_example_surface_keeps_its_two_decimals_and_half_rooms_round_like_gedeon(client):
    example, half = apimo_sync(prop(181297), prop(181299, rooms="2.5"))
    assert fact(page(client, example), "Surface habitable") == "52,12 m²"
    assert fact(page(client, example), "Pièces") == "2"
    assert fact(page(client, half), "Pièces") == "2"


# 12. DPE stickers whenever a value exists.


def test_gedeon_dpe_without_date_gets_the_sticker_drawn_by_dpe_gedeon(client):
    listings = gedeon_sync("ad_dpe_without_date.json")
    body = page(client, listings["ad_dpe_without_date.json"])
    src = re.search(r'<img class="dpe-sticker" src="([^"]+)"', body).group(1).replace("&amp;", "&")
    assert src == "/etiquette-energie/sticker.svg?dpe=245&ges=52&date=&ld=E&lg=E"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><text>E</text></svg>'
    with responses.RequestsMock() as upstream:
        upstream.get("https://dpe.gedeon.im/sticker", body=svg, content_type="image/svg+xml")
        response = client.get(src)
        assert upstream.calls[0].request.params == {"dpe": "245", "ges": "52"}
    assert response.status_code == 200 and response.content == svg


def test_when_dpe_gedeon_cannot_answer_our_sticker_draws_both_scales(client):
    listings = gedeon_sync("ad_dpe_without_date.json")
    body = page(client, listings["ad_dpe_without_date.json"])
    src = re.search(r'<img class="dpe-sticker" src="([^"]+)"', body).group(1).replace("&amp;", "&")
    with responses.RequestsMock() as upstream:
        upstream.get("https://dpe.gedeon.im/sticker", status=422)
        svg = client.get(src).content.decode()
    assert 'aria-labelledby="scale-energy-title"' in svg
    assert 'aria-labelledby="scale-climate-title"' in svg
    assert "Classe énergie E" in svg and "Classe climat E" in svg
    assert "E 245 kWh/m²/an" in svg and "E 52 kg CO₂/m²/an" in svg


# 13. No mixed content.


def test_gedeon_http_photos_are_served_over_https(client):
    listings = gedeon_sync("ad_http_photos.json")
    body = page(client, listings["ad_http_photos.json"])
    assert "http://photos.gedeon-old.example" not in body
    assert "http://media.studio-net.fr" not in body
    assert 'href="https://photos.gedeon-old.example/5120007/1/large/1600000000"' in body
    assert "https://photos.gedeon-old.example/5120007/1/large3/1600000000 800w" in body
    assert "https://media.studio-net.fr/biens/5120007/2.jpg?width=" in body
    assert json_ld(body)["image"].startswith("https://photos.gedeon-old.example/")


def test_rows_stored_by_the_previous_mapping_are_mapped_again_at_the_next_sync(monkeypatch):
    from showcase.feeds import sync

    monkeypatch.setattr(sync, "MAPPING_VERSION", "1")
    listing = gedeon_sync("ad_zero_position.json")["ad_zero_position.json"]
    # What mapping 1 stored for this unchanged ad.
    Listing.objects.filter(pk=listing.pk).update(latitude=0.0, longitude=0.0, price=0)
    monkeypatch.undo()
    feed = listing.feed
    with responses.RequestsMock() as upstream:
        upstream.get(f"{GEDEON}/agencies", json=envelope([]))
        upstream.get(f"{GEDEON}/ads", json=envelope([load("ad_zero_position.json")]))
        run = sync_feed(feed)
    listing.refresh_from_db()
    assert run.updated == 1
    assert (listing.latitude, listing.longitude, listing.price) == (None, None, 79000)
