"""Issue #17 on a site showing Gedeon and Apimo agencies together, synced from the demo's
fake upstreams (real payload shapes, invented people) through the real sync."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.management import call_command

from showcase.demo.apimo_data import AGENCY_ID
from showcase.demo.fake_apimo import FakeApimo
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.gedeon_data import generate_ads
from showcase.feeds.models import Feed
from showcase.listings.models import Agency, Listing, Transaction
from tests.factories import make_tenant

HOST = {"HTTP_HOST": "reseau.test"}


def _add(kind_options: list[str], url: str) -> None:
    call_command("feeds", "add", *kind_options, "--base-url", url, stdout=io.StringIO())


@pytest.fixture
def network(db, settings):
    """One website, four Gedeon agencies and one Apimo agency, with the operator's
    director of publication and host."""
    settings.LEGAL_PUBLICATION_DIRECTOR = "Claire Martin"
    settings.LEGAL_HOST_NAME = "Hébergeur Test SAS"
    settings.LEGAL_HOST_ADDRESS = "12 rue des Serveurs, 69007 Lyon"
    settings.LEGAL_HOST_PHONE = "+33 4 00 00 00 01"
    with (
        FakeGedeon(list(generate_ads(60)), key="k") as gedeon,
        FakeApimo(count=40, provider="p", token="t") as apimo,
    ):
        _add(["gedeon", "--name", "ged", "--key", "k"], gedeon.url)
        _add(
            ["apimo", "--name", "api", "--provider", "p", "--token", "t"]
            + ["--agency", str(AGENCY_ID)],
            apimo.url,
        )
        call_command("feeds", "sync", "ged", "api", stdout=io.StringIO(), stderr=io.StringIO())
    tenant = make_tenant("reseau.test", feeds=list(Feed.objects.all()), name="Réseau")
    riviera = Agency.objects.get(feed__name="api")
    riviera.registered_office = "8 avenue Jean Médecin, 06000 Nice"
    riviera.professional_card = "CPI 0605 2020 000 045 123"
    riviera.card_issuer = "CCI Nice Côte d'Azur"
    riviera.financial_guarantee = "SOCAF, 26 avenue de Suffren, 75015 Paris"
    riviera.guarantee_amount = "110 000 €"
    riviera.rcp_insurer = "Allianz IARD"
    riviera.save()
    return {"tenant": tenant, "riviera": riviera}


def _section(page: str, agency: Agency) -> str:
    # Figures are set with non-breaking spaces ("5\xa0%", "100\u202f000"): read as spaces.
    body = unescape(page).replace("\xa0", " ").replace("\u202f", " ")
    start = body.index(f'id="agence-{agency.pk}"')
    end = body.find("</section>", start)
    return body[start:end]


def test_the_fee_page_shows_one_schedule_per_agency_under_its_name(client, network):
    body = client.get("/honoraires/", **HOST).content.decode()
    agencies = list(Agency.objects.order_by("name"))
    assert len(agencies) == 5
    for agency in agencies:
        assert agency.name in _section(body, agency)
    lyon = _section(body, Agency.objects.get(upstream_id="AG-LYON"))
    # Structured from Gedeon's text, shown once: the rows, not the text beside them.
    assert "6 % du prix hors honoraires" in lyon and "4 % du prix hors honoraires" in lyon
    assert "Jusqu'à 100 000 € : 6 % TTC" not in lyon
    assert "10 € par m² de surface habitable" in lyon
    assert "non cumulatives" in lyon and "à la charge de l'acquéreur" in lyon
    assert "Gedeon" in lyon
    riviera = _section(body, network["riviera"])
    assert "Apimo" in riviera and "€ forfaitaires" in riviera
    assert "5 % du prix hors honoraires" in riviera and "à partir de 100" in riviera
    # Apimo's open end (99 999 999 €) is no price anyone may read.
    assert "999" not in riviera
    paris = _section(body, Agency.objects.get(upstream_id="AG-PARIS"))
    assert "5,5 % du prix hors honoraires" in paris
    atlantique = _section(body, Agency.objects.get(upstream_id="AG-OUEST"))
    assert "4,5 % du prix hors honoraires" in atlantique


def test_each_listing_links_to_its_own_agencys_schedule(client, network):
    for listing in Listing.objects.filter(transaction=Transaction.SELL)[:6]:
        body = client.get(listing.get_absolute_url(), **HOST).content.decode()
        assert f'href="/honoraires/#agence-{listing.agency_id}"' in body


def test_the_demo_listings_all_match_their_agencys_schedule(network):
    assert Listing.objects.count() == 100
    assert not Listing.objects.filter(compliance_issues__icontains="F-FEES-SCHEDULE").exists()


def test_the_legal_notice_names_every_agency_with_its_identity_director_and_host(client, network):
    body = client.get("/mentions-legales/", **HOST).content.decode()
    assert "Claire Martin" in body
    assert "Hébergeur Test SAS, 12 rue des Serveurs, 69007 Lyon, +33 4 00 00 00 01" in body
    for agency in Agency.objects.all():
        section = _section(body, agency)
        for label in (
            "Raison sociale",
            "Carte professionnelle",
            "Carte délivrée par",
            "Garantie financière",
            "Montant de la garantie",
            "Assurance responsabilité civile professionnelle",
            "RCS",
        ):
            assert label in section, (agency.name, label)
        assert re.search(r"CCI [A-Z]", section)
    nice = _section(body, network["riviera"])
    assert "SOCAF" in nice and "Riviera Transactions SAS" in nice
    assert not [m for m in _missing(network) if "Riviera" in m or "Bellecour" in m]


def _missing(network) -> list[str]:
    from showcase.tenants.legal import missing_legal_items

    return missing_legal_items(network["tenant"].site())


def test_the_website_fields_never_fill_an_agency_of_a_site_with_several(client, network):
    tenant = network["tenant"]
    tenant.professional_card = "CPI DU SITE"
    tenant.save()
    riviera = network["riviera"]
    riviera.professional_card = ""
    riviera.save()
    body = client.get("/mentions-legales/", **HOST).content.decode()
    assert "CPI DU SITE" not in body
    assert "Agence Riviera Apimo: Carte professionnelle" in _missing(network)


def test_the_carrez_surface_of_a_co_ownership_lot_is_shown_labelled(client, network):
    for feed in ("ged", "api"):
        flat = Listing.objects.filter(feed__name=feed, surface_carrez__isnull=False).first()
        assert flat is not None, feed
        body = client.get(flat.get_absolute_url(), **HOST).content.decode()
        assert "Surface Loi Carrez" in body


def test_an_agency_page_shows_its_own_identity_and_links_to_its_schedule(client, network):
    riviera = network["riviera"]
    body = client.get(riviera.get_absolute_url(), **HOST).content.decode()
    assert "CPI 0605 2020 000 045 123" in body and "Riviera Transactions SAS" in body
    assert f'href="/honoraires/#agence-{riviera.pk}"' in body
    assert f'href="/mentions-legales/#agence-{riviera.pk}"' in body


def test_the_privacy_page_names_each_agency_as_controller(client, network):
    body = unescape(client.get("/donnees-personnelles/", **HOST).content.decode())
    assert "Riviera Transactions SAS" in body and "Agence Bellecour Immobilier" in body


@pytest.mark.django_db
def test_the_websites_schedule_and_link_serve_only_agencies_without_their_own(client):
    from tests.factories import make_agency, make_feed

    feed = make_feed()
    make_tenant(
        "seul.test",
        feeds=[feed],
        fee_schedule="<p>Jusqu'à 1 000 000 € : 4 % TTC</p>",
        fee_schedule_url="https://seul.example/bareme.pdf",
    )
    bare = make_agency(feed=feed, name="Sans barème")
    own = make_agency(feed=feed, name="Avec barème", fee_schedule="Au-delà de 0 € : 3 % TTC")
    body = client.get("/honoraires/", HTTP_HOST="seul.test").content.decode()
    assert "4 % du prix" in _section(body, bare) and "bareme.pdf" in _section(body, bare)
    assert "3 % du prix" in _section(body, own) and "bareme.pdf" not in _section(body, own)
