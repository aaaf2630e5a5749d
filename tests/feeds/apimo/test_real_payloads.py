"""Real-shaped Apimo payloads (tests/fixtures/apimo/) through the real client, mapping,
sync and pages: the values a visitor sees are the right ones (issue #14)."""

from __future__ import annotations

import json
import re

import pytest
import responses
from django.core.cache import cache

from showcase.feeds.apimo.catalogs import NAMES
from showcase.feeds.sync import sync_feed
from showcase.listings.models import Listing
from tests.factories import make_apimo_feed, make_tenant
from tests.feeds.apimo.payloads import AGENCY, EXAMPLE, envelope, fixture

pytestmark = pytest.mark.django_db
BASE = "http://apimo.test"
HOST = {"HTTP_HOST": "agence-nice.test"}


@pytest.fixture
def feed():
    feed = make_apimo_feed(name="nice")
    make_tenant("agence-nice.test", feeds=[feed])
    return feed


def serve(items, *, catalogs=None):
    """One pass of `items`; the catalogs endpoint answers `catalogs` ({name: {code:
    label}}, 404 for the others), or is down (connection refused) when None."""
    responses.get(f"{BASE}/agencies", json={"agencies": [AGENCY]})
    responses.get(f"{BASE}/agencies/182/properties", json=envelope(items))
    if catalogs is not None:
        for name, labels in catalogs.items():
            responses.get(
                f"{BASE}/catalogs/{name}",
                json=[
                    {"id": code, "culture": "fr", "name": label, "name_plurial": label}
                    for code, label in labels.items()
                ],
            )
        responses.get(re.compile(f"{BASE}/catalogs/.*"), status=404, json={"error": "Not found"})


def page(client, listing: Listing) -> str:
    response = client.get(listing.get_absolute_url(), **HOST)
    assert response.status_code == 200
    return response.content.decode()


def jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


# Point 1 and 2: catalogs named as upstream names them, and a label change re-maps.


@responses.activate
def test_with_the_catalogs_endpoint_down_rooms_subtype_condition_and_standing_are_named(
    client, feed
):
    serve([EXAMPLE])  # no /catalogs answer at all
    run = sync_feed(feed)
    listing = Listing.objects.get(upstream_id="181297")
    assert run.created == 1 and not [w for w in run.warnings if w.get("catalog")]
    # In the agency's order whatever the database does to a JSON object's keys.
    assert sorted(
        listing.rooms_details, key=lambda name: listing.rooms_details[name]["position"]
    ) == [
        "Entrée",
        "Chambre",
        "Cuisine",
        "Séjour",
        "Salle de bains / toilettes",
        "Cave",
    ]
    # Subtype 5 "Appartement" only repeats the type: not shown twice.
    assert listing.property_subtype == ""
    assert listing.extras["condition"]["value"] == "Bon état"
    assert listing.extras["standing"]["value"] == "Standing"
    html = page(client, listing)
    assert "Salle de bains / toilettes" in html and '<th scope="row">Pièce' not in html


@responses.activate
def test_a_change_of_catalog_labels_maps_every_listing_again_even_when_unchanged_upstream(feed):
    serve([EXAMPLE, fixture("property_energy.json")])
    assert sync_feed(feed).created == 2
    responses.reset()
    serve([EXAMPLE, fixture("property_energy.json")], catalogs={})  # same labels
    assert sync_feed(feed, full=True).unchanged == 2
    responses.reset()
    cache.clear()  # the refreshed labels are cached: as when their TTL has passed
    serve(
        [EXAMPLE, fixture("property_energy.json")],
        catalogs={"property_areas": {41: "Salle de bains avec WC", 1: "Chambre à coucher"}},
    )
    run = sync_feed(feed, full=True)
    assert (run.updated, run.unchanged) == (2, 0)
    assert "Salle de bains avec WC" in Listing.objects.get(upstream_id="181297").rooms_details
    assert "Chambre à coucher" in Listing.objects.get(upstream_id="700001").rooms_details


@responses.activate
def test_every_catalog_is_asked_for_by_its_real_name(feed):
    serve([EXAMPLE], catalogs={})
    sync_feed(feed)
    asked = {c.request.url.split("?")[0].rsplit("/", 1)[1] for c in responses.calls}
    assert set(NAMES) <= asked and "property_unit" not in asked


# Point 3: bedrooms.


@responses.activate
def test_bedrooms_count_every_bedroom_kind_of_the_catalog(client, feed):
    serve([fixture("property_bedroom_kinds.json")])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="700004")
    # Chambre, chambre de maître, suite, chambre de service, chambre d'enfants: not the
    # cold room (114); `bedrooms` said 2.
    assert listing.bedrooms == 5 and listing.bathrooms == 2
    assert "Chambre froide" in listing.rooms_details


# Point 4: energy.


@responses.activate
def test_dpe_values_without_letters_give_the_classes_of_the_dpes_date(client, feed):
    serve([fixture("property_energy.json")])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="700001")
    assert (listing.dpe_value, listing.ges_value, str(listing.dpe_date)) == (
        214.0,
        6.0,
        "2023-05-10",
    )
    # Energy D (180-250), climate B (6-11): the label is the worse, D.
    assert (listing.dpe_letter, listing.ges_letter) == ("D", "B")
    html = page(client, listing)
    assert "Classe énergie D (214 kWh/m²/an), classe climat B (6 kg CO₂/m²/an)" in html
    assert "non communiquée" not in html


@responses.activate
def test_energy_costs_and_their_reference_year_fill_the_energy_cost_sentence(client, feed):
    serve([fixture("property_energy.json"), EXAMPLE])
    sync_feed(feed)
    # The spec example gives no costs: still flagged.
    assert "F-DPE-COST" in Listing.objects.get(upstream_id="181297").compliance_issues
    listing = Listing.objects.get(upstream_id="700001")
    assert (listing.energy_cost_min, listing.energy_cost_max) == (1150, 1590)
    assert listing.energy_cost_reference == (
        "Prix moyens des énergies indexés sur l'année 2021 (abonnements compris)"
    )
    assert "F-DPE-COST" not in listing.compliance_issues
    html = page(client, listing)
    assert (
        "pour un usage standard : entre 1\xa0150\xa0€ et 1\xa0590\xa0€ par an. Prix moyens des"
        " énergies indexés sur l&#x27;année 2021 (abonnements compris)."
    ) in html


@responses.activate
def test_the_loi_carrez_surface_is_shown_beside_the_living_area(client, feed):
    serve([fixture("property_energy.json")])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="700001")
    assert (listing.surface, listing.surface_carrez) == (68.4, 66.85)
    html = page(client, listing)
    assert re.search(r"<dt>Surface Loi Carrez</dt><dd>66,85 m²</dd>", html)


@responses.activate
def test_letters_from_the_letter_codes_win_over_any_derivation(feed):
    serve([fixture("property_energy_letter_codes.json")])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="700002")
    # 31 m²: small homes have their own thresholds; Apimo's letters (50: D, 52: "b") stand.
    assert (listing.dpe_letter, listing.ges_letter) == ("D", "B")
    assert listing.property_subtype == "Studio"


@responses.activate
def test_a_dpe_made_before_july_2021_is_classed_on_the_old_scales(feed):
    serve([fixture("property_energy_old_dpe.json")])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="700003")
    # Old scales: 240 kWh is E (231-330), 40 kg is E (36-55); the new ones would say D, D.
    assert (listing.dpe_letter, listing.ges_letter) == ("E", "E")


# Point 5: country.


@responses.activate
def test_a_property_outside_france_has_its_country_and_no_french_department(client, feed):
    serve([fixture("property_outside_france.json")])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="700005")
    assert (listing.country, listing.department, listing.zip_code) == ("MA", "", "44000")
    assert (listing.property_type, listing.property_subtype) == ("house", "Riad")
    search = client.get("/annonces/", {"localization": "44"}, **HOST).content.decode()
    assert listing.get_absolute_url() not in search
    html = page(client, listing)
    assert jsonld(html)["contentLocation"]["address"]["addressCountry"] == "MA"
    assert "Essaouira, Maroc" in html


@responses.activate
def test_a_french_property_keeps_its_department_and_country(client, feed):
    serve([EXAMPLE])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="181297")
    assert (listing.country, listing.department) == ("FR", "06")
    html = page(client, listing)
    assert jsonld(html)["contentLocation"]["address"]["addressCountry"] == "FR"
    assert (
        "France"
        not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
        .split('id="location-title"')[1]
        .split("</section>")[0]
    )


# Point 8: recasing.


@responses.activate
def test_the_spec_examples_capitals_are_recased_keeping_place_names_and_abbreviations(client, feed):
    serve([EXAMPLE])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="181297")
    assert listing.title == "2P CENTRE NICE"  # stored as upstream wrote it
    html = page(client, listing)
    assert "<h1>2P centre Nice</h1>" in html
    assert "Gambetta / cessole, spacieux 2P, de 52m² exposé" in html
    assert "2P CENTRE NICE" not in html and "spacieux 2p" not in html


@responses.activate
def test_search_cards_recase_the_title_too(client, feed):
    serve([EXAMPLE])
    sync_feed(feed)
    html = client.get("/annonces/", **HOST).content.decode()
    assert '<h3 class="card-title">2P centre Nice</h3>' in html
    assert "2P CENTRE NICE" not in html
