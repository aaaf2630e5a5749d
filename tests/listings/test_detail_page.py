from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_agency, make_feed, make_listing, make_photo

pytestmark = pytest.mark.django_db


def jsonld(body: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(blocks[0])


def test_detail_has_a_canonical_url_and_the_real_estate_listing_json_ld(client):
    listing = make_listing(upstream_id="4815", title="Maison de ville", price=385000)
    url = listing.get_absolute_url()
    assert url == f"/annonces/{listing.pk}-maison-de-ville/"
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://testserver{url}">' in body
    data = jsonld(body)
    assert data["@type"] == "RealEstateListing"
    assert data["identifier"] == "4815"
    assert data["url"] == f"http://testserver{url}"
    assert data["name"] == "Maison de ville"
    assert data["offers"]["price"] == 385000 and data["offers"]["priceCurrency"] == "EUR"


def test_a_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client):
    listing = make_listing(title="Loft")
    for path in (f"/annonces/{listing.pk}/", f"/annonces/{listing.pk}-old-title/"):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == listing.get_absolute_url()


def test_withdrawn_answers_410_with_similar_listings_and_unknown_404(client):
    feed = make_feed()
    gone = make_listing(feed=feed, title="Parti", withdrawn_at=timezone.now())
    similar = make_listing(feed=feed, title="Pareil")
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 410
    assert similar.get_absolute_url() in response.content.decode()
    assert client.get("/annonces/999999-nope/").status_code == 404
    hidden = make_listing(feed=feed, hidden=True)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_json_ld_hides_the_street_and_geo_when_the_address_is_not_public(client):
    listing = make_listing(address="", address_public=False)
    data = jsonld(client.get(listing.get_absolute_url()).content.decode())
    assert "geo" not in data["contentLocation"]
    assert data["contentLocation"]["address"]["addressLocality"] == "Lyon"
    public = make_listing(address="3 rue X", address_public=True)
    data = jsonld(client.get(public.get_absolute_url()).content.decode())
    assert data["contentLocation"]["geo"]["latitude"] == 45.76


def test_upstream_text_cannot_break_out_of_the_json_ld(client):
    listing = make_listing(title="</script><script>alert(1)</script>")
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body


def test_sold_listings_say_so(client):
    listing = make_listing(transaction="sold")
    body = client.get(listing.get_absolute_url()).content.decode()
    assert 'class="notice notice-sold"' in body
    assert "SoldOut" in body


def test_price_block_from_price_info_is_sanitized(client):
    listing = make_listing(
        price_info={
            "price": {
                "euros": "385 000 €",
                "suffix": "honoraires inclus",
                "euros+": "...",
                "moreinfos": {"hh": "366 667 € <b>hors honoraires</b><script>x()</script>"},
                "alurinfos": {"h": "Honoraires : 5 % TTC à la charge de l'acquéreur"},
            }
        }
    )
    body = client.get(listing.get_absolute_url()).content.decode()
    assert '<strong class="price-amount">385 000 €</strong>' in body
    assert "<b>hors honoraires</b>" in body and "x()" not in body
    assert (
        "Honoraires : 5 % TTC à la charge de l&#x27;acquéreur" in body
        or "Honoraires : 5 % TTC à la charge de l'acquéreur" in body
    )


def test_price_block_is_built_from_fields_when_price_info_is_missing(client):
    sale = make_listing(
        price=300000,
        price_excluding_fees=285000,
        fees_percent=Decimal("5.26"),
        fees_paid_by="acquéreur",
    )
    body = client.get(sale.get_absolute_url()).content.decode()
    assert "honoraires inclus" in body
    assert "285\xa0000\xa0€ hors honoraires" in body
    assert "Honoraires : 5,26\xa0% TTC à la charge de l’acquéreur" in body
    rent = make_listing(
        transaction="rent", price=850, charges=50, deposit=800, tenant_fees=480, inventory_fees=120
    )
    body = client.get(rent.get_absolute_url()).content.decode()
    assert "par mois, charges comprises" in body
    assert "Dépôt de garantie : 800\xa0€" in body
    assert "dont 120\xa0€ d’état des lieux" in body


def test_price_on_request_never_shows_an_amount(client):
    listing = make_listing(price=412000, price_hidden=True)
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "Prix sur demande" in body
    # The amount in any spelling (a bare "412" could be part of the page's CSRF token).
    assert not re.search(r"412[\s\u00a0\u202f.,]?000", body)


def test_energy_labels_from_dpe_gedeon_with_values_and_date(client):
    listing = make_listing(
        dpe_value=212,
        dpe_letter="D",
        ges_value=35,
        ges_letter="D",
        dpe_date=date(2023, 3, 14),
        energy_cost_min=1380,
        energy_cost_max=1920,
        energy_cost_reference="Prix 2021",
    )
    body = client.get(listing.get_absolute_url()).content.decode()
    assert (
        'src="/etiquette-energie/sticker.svg?dpe=212&amp;ges=35&amp;date=2023-03-14&amp;ld=D&amp;lg=D"'
        in body
    )
    assert 'loading="lazy"' in body
    assert "Classe énergie D (212 kWh/m²/an), classe climat D (35 kg CO₂/m²/an)" in body
    assert "Montant estimé des dépenses annuelles d’énergie pour un usage standard" in body
    assert "www.georisques.gouv.fr" in body


def test_letters_only_get_our_own_svg_label_and_the_excessive_mention(client):
    listing = make_listing(dpe_letter="G", ges_letter="F")
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "dpe.gedeon.im" not in body
    assert '<svg class="energy-scale" role="img"' in body
    assert "Logement à consommation énergétique excessive : classe G." in body


def test_description_is_formatted_with_the_site_text_options(client, settings):
    settings.TEXT_FORMAT_OPTIONS = ["html", "clean-phones"]
    listing = make_listing(description="Appelez le 0478123456\nMerci")
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "<p>Appelez le 04 78 12 34 56<br>Merci</p>" in body


def test_gallery_first_photo_is_eager_and_the_rest_lazy(client):
    listing = make_listing()
    for n in range(3):
        make_photo(listing, url=f"https://p.example/1/{n}/large/17")
    body = client.get(listing.get_absolute_url()).content.decode()
    assert body.count('fetchpriority="high"') == 1
    assert body.count('loading="lazy"') >= 2
    assert 'width="800" height="600"' in body


def test_gallery_numbers_each_photo_and_describes_it_by_its_own_words_or_the_title(client):
    listing = make_listing(title="Maison de ville")
    make_photo(listing, description="Séjour")
    make_photo(listing)
    body = client.get("/en" + listing.get_absolute_url()).content.decode()
    first, second = re.findall(r'<li><a href="[^"]+" class="gallery-item".*?</li>', body)
    assert 'data-index="0"' in first and 'alt="Séjour" lang="fr"' in first
    assert ">1 / 2<" in first and "Photo 1 of 2, full size" in first
    assert 'data-index="1"' in second and 'alt="Maison de ville" lang="fr"' in second
    assert ">2 / 2<" in second and "Photo 2 of 2, full size" in second


def test_an_english_page_drops_a_subtype_that_repeats_the_french_type(client):
    listing = make_listing(property_type="flat", property_subtype="appartement")
    body = client.get("/en" + listing.get_absolute_url()).content.decode()
    assert _type_fact(body) == "Flat"


def test_detail_links_to_the_fee_schedule_and_shows_the_agency(client):
    agency = make_agency(name="Agence du Parc")
    listing = make_listing(feed=agency.feed, agency=agency)
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "Agence du Parc" in body
    assert 'href="/honoraires/"' in body


def test_detail_query_count_is_bounded(client, django_assert_max_num_queries):
    listing = make_listing(agency=make_agency())
    for _ in range(12):
        make_photo(listing)
    # 5, plus the two shared versions every page reads (hosts, pages)
    with django_assert_max_num_queries(7):
        assert client.get(listing.get_absolute_url()).status_code == 200


def test_the_location_map_is_a_circle_unless_the_address_is_public_and_loads_on_demand(client):
    hidden = make_listing(address="", address_public=False, accuracy=80)
    body = client.get(hidden.get_absolute_url()).content.decode()
    assert 'data-precise="0"' in body and 'data-radius="250"' in body
    assert "tile.openstreetmap.org" in body and '<script src="https://' not in body
    public = make_listing(address="3 rue X", address_public=True)
    assert 'data-precise="1"' in client.get(public.get_absolute_url()).content.decode()


def _type_fact(body: str) -> str:
    return re.search(r"<dt>Type</dt><dd>(.*?)</dd>", body).group(1)


@pytest.mark.parametrize("subtype", ["Appartement", "appartement", "APPARTEMENT", "Appartément"])
def test_a_subtype_that_repeats_the_type_label_is_shown_once(client, subtype):
    listing = make_listing(property_type="flat", property_subtype=subtype)
    assert _type_fact(client.get(listing.get_absolute_url()).content.decode()) == "Appartement"


def test_a_different_subtype_is_shown_after_the_type(client):
    listing = make_listing(property_type="flat", property_subtype="Studio")
    body = client.get(listing.get_absolute_url()).content.decode()
    assert _type_fact(body) == "Appartement (Studio)"


@pytest.mark.parametrize(
    ("surface", "shown"),
    [(52.12, "52,12"), (14.05, "14,05"), (52.1, "52,1"), (120.0, "120"), (1200.5, "1\xa0200,5")],
)
def test_surfaces_are_shown_with_the_decimals_the_agency_gave(client, surface, shown):
    listing = make_listing(
        surface=surface, land_surface=surface, rooms_details={"salon": {"surface": surface}}
    )
    body = client.get(listing.get_absolute_url()).content.decode()
    assert f"<dt>Surface habitable</dt><dd>{shown} m²</dd>" in body
    assert f"<dt>Terrain</dt><dd>{shown} m²</dd>" in body
    assert f"<td>{shown} m²</td>" in body


def test_a_row_stored_with_price_0_shows_price_on_request_and_no_json_ld_price(client):
    listing = make_listing(price=0, price_info={"price": {"euros": "0 €"}})
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "Prix sur demande" in body and "0\xa0€" not in body and ">0 €<" not in body
    assert "price" not in jsonld(body)["offers"]


def test_a_row_stored_at_0_0_draws_no_pin(client):
    listing = make_listing(latitude=0.0, longitude=0.0)
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "data-location-map" not in body and "openstreetmap.org/?mlat" not in body


def test_a_let_rental_keeps_its_rent_period_and_says_let(client):
    listing = make_listing(transaction="sold", transaction_label="Location", price=900, charges=40)
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "Ce bien a été loué." in body and "Ce bien a été vendu." not in body
    assert "par mois, charges comprises" in body
    assert "dont 40\xa0€ de charges" in body
    holiday = make_listing(
        transaction="sold",
        transaction_label="Location saisonnière",
        rent_period="semaine",
        price=1200,
    )
    body = client.get(holiday.get_absolute_url()).content.decode()
    assert '1\xa0200\xa0€</strong> <span class="price-suffix">/ semaine</span>' in body


def test_a_rent_from_price_info_without_a_period_gets_one(client):
    bare = make_listing(transaction="rent", price=900, price_info={"p": {"euros": "900 €"}})
    body = client.get(bare.get_absolute_url()).content.decode()
    assert '<span class="price-suffix">par mois, charges comprises</span>' in body
    given = make_listing(
        transaction="rent", price=900, price_info={"p": {"euros": "900 €", "suffix": "/mois CC"}}
    )
    body = client.get(given.get_absolute_url()).content.decode()
    block = re.search(r'<p class="price-main">.*?</p>', body).group(0)
    assert block.endswith('<span class="price-suffix">/mois CC</span></p>')
    assert "par mois" not in block


def test_each_drawn_energy_scale_names_only_its_own_class(client):
    # Both drawings said "Classe énergie G, classe climat F", then the sentence a third time.
    listing = make_listing(dpe_letter="G", ges_letter="F")
    body = client.get(listing.get_absolute_url()).content.decode()
    titles = re.findall(r'<title id="scale-(\w+)-title">([^<]*)</title>', body)
    assert titles == [("energy", "Classe énergie G"), ("climate", "Classe climat F")]
    assert body.count("Classe énergie G, classe climat F") == 1
