"""The public forms' CSRF protection without a token: the browser's Origin check
(showcase/core/csrf.py). Attacks: another site, "null", no headers at all, another
tenant's domain; and what must keep working: the site's own pages, embedding, mail-client
unsubscribes, and the admin's token CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from showcase.core.origins import posted_from, same_origin
from showcase.leads.models import Lead
from tests.leads.test_contact import form_data

pytestmark = pytest.mark.django_db
A = "agence-a.test"
OWN = f"http://{A}"


@pytest.fixture
def browser() -> Client:
    """A client that enforces CSRF checks, as browsers meet them."""
    return Client(enforce_csrf_checks=True)


def _contact(browser: Client, world, **headers: str):
    url = f"/contact/annonce/{world['listing_a'].pk}/"
    return browser.post(url, form_data(), HTTP_HOST=A, **headers)


def test_a_post_from_the_sites_own_page_is_accepted_without_any_token(browser, two_agencies):
    response = _contact(browser, two_agencies, HTTP_ORIGIN=OWN)
    assert response.status_code == 302 and Lead.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},  # another website
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame, a data: URL, a redirect chain
        {"HTTP_ORIGIN": "http://agence-b.test"},  # another tenant's domain
        {"HTTP_ORIGIN": "http://www.agence-a.test"},  # a sibling host, even the alias
        {"HTTP_ORIGIN": "https://agence-a.test"},  # another scheme
        {"HTTP_ORIGIN": "http://agence-a.test:8080"},  # another port
        {"HTTP_ORIGIN": "http://evil.example", "HTTP_REFERER": f"{OWN}/annonces/"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # a subdomain of the same registrable domain
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": f"{OWN}/"},
        {"HTTP_REFERER": "http://agence-b.test/annonces/"},
        {"HTTP_REFERER": "http://agence-a.test.evil.example/"},
        {},  # nothing to go on
    ],
)
def test_a_post_from_anywhere_else_is_refused_and_stores_nothing(browser, two_agencies, headers):
    response = _contact(browser, two_agencies, **headers)
    assert response.status_code == 403
    assert Lead.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},  # no Origin: the fetch metadata decides
        {"HTTP_REFERER": f"{OWN}/annonces/x/"},  # neither: a page of ours as the referrer
        {"HTTP_ORIGIN": "http://AGENCE-A.test:80"},  # the default port, another case
    ],
)
def test_older_or_stricter_browsers_are_recognised_by_what_they_do_send(
    browser, two_agencies, headers
):
    assert _contact(browser, two_agencies, **headers).status_code == 302


def test_the_refusal_says_what_to_do_and_keeps_everything_typed(browser, two_agencies):
    response = _contact(browser, two_agencies, HTTP_ORIGIN="https://evil.example")
    body = response.content.decode()
    assert "Votre formulaire n’a pas encore été envoyé" in body
    assert "Camille Durand" in body and "Bonjour, je souhaite visiter ce bien samedi." in body
    # Every posted field goes back in a form to this very URL; one press sends it, from here.
    url = f"/contact/annonce/{two_agencies['listing_a'].pk}/"
    assert f'<form method="post" action="{url}">' in body
    assert 'name="started"' in body
    # Except the ticked boxes: another site may have ticked consent; it is asked again.
    assert 'name="consent"' not in body
    assert response["Cache-Control"] == "private, no-store" and not response.cookies
    resent = {name: value for name, value in form_data().items() if name != "consent"}
    again = browser.post(url, resent, HTTP_HOST=A, HTTP_ORIGIN=OWN)
    assert Lead.objects.count() == 0
    assert "Camille Durand" in again.content.decode() and again.context["form"].errors["consent"]
    sent = browser.post(url, form_data(), HTTP_HOST=A, HTTP_ORIGIN=OWN)
    assert sent.status_code == 302 and Lead.objects.count() == 1


def test_embedding_posts_to_our_own_origin_and_stays_accepted(browser, two_agencies):
    """In the agency's page, the frame holds our page: its POST's Origin is ours, whatever
    page frames it (the frame's Sec-Fetch-Site is same-origin, its Referer our page)."""
    tenant = two_agencies["a"]
    tenant.frame_origins = ["https://www.agence-a-site.example"]
    tenant.save()
    response = _contact(
        browser,
        two_agencies,
        HTTP_ORIGIN=OWN,
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_SEC_FETCH_DEST="iframe",
        HTTP_REFERER=f"{OWN}/embed/annonces/",
    )
    assert response.status_code == 302
    # The agency's own page posting directly (not through the frame) is another origin.
    forged = _contact(browser, two_agencies, HTTP_ORIGIN="https://www.agence-a-site.example")
    assert forged.status_code == 403


def test_the_seller_and_alert_forms_are_protected_the_same_way(browser, two_agencies):
    seller = browser.post("/estimer-mon-bien/", {"name": "X"}, HTTP_HOST=A, HTTP_ORIGIN="null")
    alert = browser.post(
        "/alertes/nouvelle/",
        {"email": "marie@example.org", "frequency": "daily", "query": "type=house"},
        HTTP_HOST=A,
        HTTP_ORIGIN="https://evil.example",
    )
    assert seller.status_code == alert.status_code == 403
    body = alert.content.decode()
    assert "marie@example.org" in body and 'name="query" value="type=house"' in body
    # From our page: the seller form answers with its own explanations (400), not a 403.
    ours = browser.post("/estimer-mon-bien/", {"name": "X"}, HTTP_HOST=A, HTTP_ORIGIN=OWN)
    assert ours.status_code == 400


def test_public_forms_carry_no_token_and_set_no_cookie(two_agencies):
    listing = two_agencies["listing_a"]
    for url in (listing.get_absolute_url(), "/estimer-mon-bien/", "/alertes/nouvelle/"):
        response = Client().get(url, HTTP_HOST=A)
        assert response.status_code == 200, url
        assert 'method="post"' in response.content.decode(), url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert not response.cookies, url


def test_the_admin_keeps_djangos_token_csrf(browser, two_agencies):
    # Same origin but no token: the admin refuses, as Django always did.
    refused = browser.post(
        "/admin/login/", {"username": "alice", "password": "pw"}, HTTP_ORIGIN="http://testserver"
    )
    assert refused.status_code == 403 and "CSRF" in refused.content.decode()


@pytest.mark.parametrize(
    ("claimed", "expected"),
    [
        ("https://a.test", True),
        ("https://a.test:443", True),
        ("https://A.test/", True),
        ("http://a.test", False),
        ("https://a.test:8443", False),
        ("null", False),
        ("", False),
        ("https://a.test.evil.example", False),
        ("https://user@a.test", False),
    ],
)
def test_same_origin(claimed, expected):
    assert same_origin("https://a.test", claimed) is expected


def test_the_origin_header_outranks_the_others():
    own = "https://a.test"
    assert not posted_from(own, origin="null", fetch_site="same-origin", referer=f"{own}/")
    assert posted_from(own, origin=own, fetch_site="cross-site", referer=None)
    assert not posted_from(own, origin=None, fetch_site="none", referer=f"{own}/")
