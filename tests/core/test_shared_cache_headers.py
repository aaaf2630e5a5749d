"""Cache-Control and Vary for HTTP caches (showcase/core/pagecache.py): anonymous pages
public with s-maxage and stale-while-revalidate, varying on Host and Accept-Encoding only;
everything personal `private, no-store`. deploy/nginx/vitrine.conf keys on exactly what
these Vary headers name: a new Vary dimension must be added to its key too."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.leads.test_contact import form_data

pytestmark = pytest.mark.django_db
A = {"HTTP_HOST": "agence-a.test"}
PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=300"


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


@pytest.mark.parametrize(
    "path", ["/", "/annonces/", "/en/annonces/", "/agences/", "/estimer-mon-bien/"]
)
def test_anonymous_pages_are_public_and_vary_on_host_and_encoding_only(client, two_agencies, path):
    for _ in range(2):  # rendered, then from Django's page cache
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="de", **A)
        assert response.status_code == 200
        assert response["Cache-Control"] == PUBLIC
        assert _vary(response) == {"host", "accept-encoding"}
        assert not response.cookies


def test_detail_pages_with_the_contact_form_are_public_too(client, two_agencies):
    response = client.get(two_agencies["listing_a"].get_absolute_url(), **A)
    assert (
        response["Cache-Control"] == PUBLIC and 'class="contact-form"' in response.content.decode()
    )


def test_the_language_is_the_urls_never_the_browsers(client, two_agencies):
    """Why Vary leaves Accept-Language out: the root is French whatever the browser asks."""
    german = client.get("/annonces/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9", **A)
    plain = client.get("/annonces/", **A)
    assert german.content == plain.content and german["Content-Language"] == "fr"
    assert client.get("/en/annonces/", **A)["Content-Language"] == "en"


def test_settings_choose_the_lifetimes(client, two_agencies, settings):
    settings.HTTP_CACHE_MAX_AGE = 5
    settings.HTTP_CACHE_SHARED_MAX_AGE = 2
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 30
    response = client.get("/annonces/", **A)
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=2, stale-while-revalidate=30"
    settings.HTTP_CACHE_SHARED_MAX_AGE = 0
    assert client.get("/annonces/", **A)["Cache-Control"] == "private, no-store"


def test_not_found_and_redirects_are_shared_unknown_hosts_are_not(client, two_agencies):
    assert client.get("/annonces/999999/", **A)["Cache-Control"] == PUBLIC
    slash = client.get("/annonces", **A)
    assert slash.status_code == 301 and slash["Cache-Control"] == PUBLIC
    # Answered before any site is known (an alias, a host nobody uses): kept private, so
    # made-up Host headers cannot fill a shared cache.
    alias = client.get("/annonces/", HTTP_HOST="www.agence-a.test")
    assert alias.status_code == 301 and alias["Cache-Control"] == "private, no-store"
    unknown = client.get("/", HTTP_HOST="nobody.test")
    assert unknown.status_code == 404 and unknown["Cache-Control"] == "private, no-store"


def test_logged_in_users_and_the_admin_get_private_no_store(client, two_agencies):
    client.force_login(two_agencies["alice"])
    page = client.get("/annonces/", **A)
    assert page["Cache-Control"] == "private, no-store"
    admin = client.get("/admin/")
    assert "private" in admin["Cache-Control"] and "no-store" in admin["Cache-Control"]


def test_a_session_cookie_alone_makes_the_answer_private(two_agencies):
    visitor = Client()
    visitor.cookies["sessionid"] = "whatever"
    assert visitor.get("/annonces/", **A)["Cache-Control"] == "private, no-store"


def test_posts_and_forms_with_errors_are_private(client, two_agencies):
    url = f"/contact/annonce/{two_agencies['listing_a'].pk}/"
    errors = client.post(url, form_data(email="nope"), **A)
    assert errors.status_code == 400 and errors["Cache-Control"] == "private, no-store"
    sent = client.post(url, form_data(), **A)
    assert sent.status_code == 302 and sent["Cache-Control"] == "private, no-store"
    thanks = client.get(sent["Location"], **A)
    assert "no-store" in thanks["Cache-Control"] and "private" in thanks["Cache-Control"]


def test_alert_confirmations_are_private(client, two_agencies):
    response = client.get("/alertes/confirmer/abc:def/", **A)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_views_own_choice_is_kept(client, two_agencies):
    assert client.get("/embed.js", **A)["Cache-Control"] == "public, max-age=3600"
