"""Absolute links (e-mails, sitemaps, canonical and JSON-LD URLs, robots.txt, embed.js)
come from configured addresses only, never from the request's Host header (#16, point 4)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import checks, mail
from django.core.management import call_command

from showcase.core.site import Site, absolute_url
from tests.factories import make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db

EVIL = "evil.example"
PAGES = ["/robots.txt", "/sitemap.xml", "/embed.js", "/annonces/", "/"]


@pytest.fixture
def single_site(settings):
    """No tenant, ALLOWED_HOSTS='*' (as the README once advised), no platform host."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.PLATFORM_HOSTS = []
    settings.SITE_URL = ""
    listing = make_listing(feed=make_feed(), upstream_id="1")
    return listing


def subscribe(client, host):
    """Sign up for an alert, then send the queued confirmation as the mail command does."""
    response = client.post(
        "/alertes/nouvelle/",
        {"email": "marie@example.org", "frequency": "daily", "query": "transaction=sell"},
        HTTP_HOST=host,
    )
    call_command("outbox", "send", stdout=StringIO())
    return response


def test_alert_confirmation_never_links_to_the_host_a_request_carried(client, single_site):
    assert subscribe(client, EVIL).status_code == 302
    body = mail.outbox[-1].body
    assert EVIL not in body
    assert "/alertes/confirmer/" in body


def test_alert_confirmation_links_to_site_url_in_single_site_mode(client, single_site, settings):
    settings.SITE_URL = "https://www.vitrine-agence.fr"
    assert subscribe(client, EVIL).status_code == 302
    body = mail.outbox[-1].body
    assert "https://www.vitrine-agence.fr/alertes/confirmer/" in body and EVIL not in body


@pytest.mark.parametrize("path", PAGES)
def test_pages_never_print_an_unconfigured_host(client, single_site, path):
    response = client.get(path, HTTP_HOST=EVIL)
    assert response.status_code == 200
    content = b"".join(response) if response.streaming else response.content
    assert EVIL.encode() not in content


@pytest.mark.parametrize("path", PAGES)
def test_pages_use_site_url_when_set(client, single_site, settings, path):
    settings.SITE_URL = "https://www.vitrine-agence.fr"
    response = client.get(path, HTTP_HOST=EVIL)
    content = b"".join(response) if response.streaming else response.content
    assert EVIL.encode() not in content
    if path != "/embed.js":
        assert b"https://www.vitrine-agence.fr/" in content or path in ("/", "/annonces/")


def test_a_host_the_operator_named_is_used_without_site_url(client, single_site, settings):
    settings.ALLOWED_HOSTS = ["www.vitrine-agence.fr"]
    body = client.get("/robots.txt", HTTP_HOST="www.vitrine-agence.fr").content.decode()
    assert "Sitemap: http://www.vitrine-agence.fr/sitemap.xml" in body


def test_a_tenant_links_to_its_primary_domain_from_any_of_its_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    tenant = make_tenant("agence-a.test", feeds=[make_feed()], aliases=["alias-a.test"])
    body = client.get("/robots.txt", HTTP_HOST="agence-a.test").content.decode()
    assert "Sitemap: http://agence-a.test/sitemap.xml" in body
    assert absolute_url(tenant.site(), "/x/") == "http://agence-a.test/x/" or (
        absolute_url(tenant.site(), "/x/") == "https://agence-a.test/x/"
    )


def test_a_tenant_without_primary_domain_links_to_its_own_configured_domain(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    tenant = make_tenant("agence-a.test", feeds=[make_feed()])
    tenant.domains.update(is_primary=False)
    body = client.get("/robots.txt", HTTP_HOST="AGENCE-A.test:8080").content.decode()
    assert "Sitemap: http://agence-a.test/sitemap.xml" in body


def test_outside_a_request_the_platform_uses_site_url_or_refuses(settings):
    settings.SITE_URL = ""
    with pytest.raises(ValueError):
        absolute_url(Site.platform(), "/annonces/")
    settings.SITE_URL = "https://www.vitrine-agence.fr"
    assert absolute_url(Site.platform(), "/annonces/") == "https://www.vitrine-agence.fr/annonces/"


def test_deploy_checks_warn_when_any_host_is_allowed_without_site_url(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = ""
    found = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    assert "vitrine.W001" in found
    settings.SITE_URL = "https://www.vitrine-agence.fr"
    found = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    assert "vitrine.W001" not in found


def test_the_favourites_share_link_never_carries_the_request_host(client, single_site):
    """The "link to this list" a visitor copies is built on the configured address too."""
    response = client.get(f"/favoris/?ids={single_site.pk}", HTTP_HOST=EVIL)
    assert response.status_code == 200
    assert b"fav-share" in response.content
    assert EVIL.encode() not in response.content


def test_the_favourites_share_link_is_on_the_tenants_primary_domain(client, settings):
    feed = make_feed()
    make_tenant("agence-a.test", feeds=[feed])
    listing = make_listing(feed=feed, upstream_id="1")
    response = client.get(f"/favoris/?ids={listing.pk}", HTTP_HOST="agence-a.test:8443")
    body = response.content.decode()
    assert f"//agence-a.test/favoris/?ids={listing.pk}" in body
    assert "8443" not in body
