"""The seller page in Chromium, with and without JavaScript: an owner fills in the form,
sends it, the lead is stored, and `leads retry` creates the property on the fake Apimo."""

from __future__ import annotations

import pytest

from showcase.demo.fake_apimo import FakeApimo
from showcase.leads.models import Lead, Upstream
from showcase.leads.services import valuations_create_due
from tests.browser.test_journeys import open_page
from tests.factories import make_agency, make_apimo_feed, make_tenant

pytestmark = [pytest.mark.browser]


@pytest.fixture
def seller_site(live_server, settings, transactional_db):
    settings.LEADS_MIN_FILL_SECONDS = 0
    with FakeApimo(count=0) as fake:
        feed = make_apimo_feed(
            base_url=fake.url,
            provider_id="demo-provider",
            token="demo-token",
            upstream_agency_id=str(fake.agency["id"]),
        )
        make_agency(
            feed=feed,
            upstream_id=str(fake.agency["id"]),
            name="Agence du Port",
            emails=["p@a.test"],
        )
        # The live server answers on localhost: that host is the agency's site here.
        make_tenant("localhost", feeds=[feed], name="Agence du Port")
        yield live_server.url, fake


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_owner_sends_the_seller_form_and_the_property_reaches_apimo(
    browser,  # noqa: F811 - the fixture imported above
    seller_site,
    javascript,
):
    base, fake = seller_site
    page, errors = open_page(browser, javascript=javascript)
    page.goto(base + "/")
    page.get_by_role("link", name="vendre mon bien").click()  # "Vendre mon bien" on phones
    assert page.get_by_role("heading", level=1).inner_text() == "Faire estimer ou vendre mon bien"
    # The site's only agency is chosen already.
    assert page.get_by_label("Agence", exact=True).input_value() != ""
    page.get_by_label("Type de bien").select_option("flat")
    page.get_by_label("Commune").fill("Nice")
    page.get_by_label("Code postal").fill("0600")  # one digit short: explained, kept
    page.get_by_label("Surface habitable (m²)").fill("64")
    page.get_by_label("Nombre de pièces (facultatif)").fill("3")
    page.get_by_label("Votre nom").fill("Dominique Martin")
    page.get_by_label("Votre e-mail").fill("dominique@example.org")
    page.get_by_label("J'accepte d'être contacté·e").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert "cinq chiffres" in page.locator(".field-invalid").inner_text()
    assert page.get_by_label("Commune").input_value() == "Nice"
    assert Lead.objects.count() == 0
    page.get_by_label("Code postal").fill("06000")
    page.get_by_label("J'accepte d'être contacté·e").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert "/contact/merci/" in page.url
    assert "bien été reçu" in page.get_by_role("heading", level=1).inner_text()
    lead = Lead.objects.get()
    assert (lead.valuation.city, lead.valuation.surface, lead.valuation.rooms) == ("Nice", 64, 3)
    assert valuations_create_due().created == 1
    lead.valuation.refresh_from_db()
    assert lead.valuation.upstream_status == Upstream.CREATED
    assert lead.valuation.upstream_id == str(fake.created[0]["id"])
    # The one refused submission answered 400, as a form with errors does; nothing else.
    assert [e for e in errors if "status of 400" not in e] == []
    page.context.close()
