"""The back office on a 1366 px laptop screen: no page wider than the screen, every
column of a list in view (issue #15's trial: the listing page was 1492 px wide)."""

from __future__ import annotations

import pytest

from tests.factories import make_agency, make_flags, make_listing, make_tenant

pytestmark = [pytest.mark.browser]
WIDTH = 1366


@pytest.fixture
def back_office(live_server, transactional_db, django_user_model):
    from showcase.outbox.services import message_queue

    agency = make_agency(name="Agence du Parc")
    tenant = make_tenant("localhost", feeds=[agency.feed], name="Agence du Parc")
    listing = make_listing(feed=agency.feed, agency=agency, title="Appartement lumineux")
    make_flags(listing, tenant, internal_note="Clés à l'agence, visite le mardi " * 4)
    for n in range(3):
        message_queue(
            kind="lead.notification",
            to=[f"agent-{n}@agence-du-parc-et-des-environs.example"],
            subject="Demande de contact : Appartement lumineux avec terrasse et vue " * 3,
            body="…",
            tenant=tenant,
        )
    django_user_model.objects.create_superuser("root", "root@a.test", "pw-root-1234")
    return live_server.url, listing


def logged_in(browser, base):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-root-1234")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_listing_page_with_its_site_flags_fits_a_laptop_screen(browser, back_office):  # noqa: F811
    base, listing = back_office
    page = logged_in(browser, base)
    page.goto(f"{base}/admin/listings/listing/{listing.pk}/change/")
    assert page.locator("textarea[name$=internal_note]").first.is_visible()
    assert page_width(page) <= WIDTH


def test_the_outbox_list_shows_its_status_column_on_a_laptop_screen(browser, back_office):  # noqa: F811
    base, _listing = back_office
    page = logged_in(browser, base)
    page.goto(f"{base}/admin/outbox/message/")
    assert page_width(page) <= WIDTH
    # The admin scrolls a wide table inside its box: the last columns were out of view.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    status = page.locator("td.field-delivery").first.bounding_box()
    assert status is not None and status["x"] + status["width"] <= WIDTH
