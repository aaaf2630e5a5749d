"""`make demo` shows the whole product (issue #15, point 10): two agency websites on their
own `*.localhost` host names, with their branding, and an embedding example page."""

from __future__ import annotations

import io

import pytest
import requests
from django.core.management import call_command
from django.test import override_settings

from showcase.demo.fake_apimo import FakeApimo
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.management.commands.demo import Command as DemoCommand
from showcase.demo.sites import SITES, EmbedExample, demo_sites_setup
from showcase.tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db
PORT_HOST = "agence-du-port.localhost:8000"
HILLS_HOST = "immo-des-collines.localhost:8000"


@pytest.fixture(scope="module")
def upstreams():
    with FakeGedeon(count=40, key="demo-key") as gedeon, FakeApimo(count=12) as apimo:
        yield gedeon, apimo


@pytest.fixture
def synced(upstreams):
    gedeon, apimo = upstreams
    out = io.StringIO()
    call_command("feeds", "add", "gedeon", "--name", "demo", "--key", "demo-key",
                 "--base-url", gedeon.url, stdout=out)  # fmt: skip
    call_command("feeds", "add", "apimo", "--name", "demo-apimo", "--provider", "demo-provider",
                 "--token", "demo-token", "--agency", str(apimo.agency["id"]),
                 "--base-url", apimo.url, stdout=out)  # fmt: skip
    call_command("feeds", "sync", stdout=out, stderr=io.StringIO())
    return demo_sites_setup(embed_origin="http://127.0.0.1:8767")


def test_the_demo_sets_up_two_branded_agency_sites_on_localhost_names(synced):
    port, hills = synced
    assert [t.slug for t in Tenant.objects.order_by("slug")] == [
        "agence-du-port",
        "immo-des-collines",
    ]
    assert Domain.objects.get(tenant=port, is_primary=True).host == "agence-du-port.localhost"
    assert Domain.objects.get(tenant=hills, is_primary=True).host == "immo-des-collines.localhost"
    assert {f.name for f in port.feeds.all()} == {"demo", "demo-apimo"}
    assert {f.name for f in hills.feeds.all()} == {"demo"}
    assert port.primary_colour != hills.primary_colour and port.logo and hills.logo
    assert port.frame_origins == ["http://127.0.0.1:8767"]
    for tenant in synced:
        tenant.full_clean()  # colours pass the contrast check, origins are valid


def test_setting_up_the_demo_sites_twice_changes_nothing(synced):
    demo_sites_setup(embed_origin="http://127.0.0.1:8767")
    assert Tenant.objects.count() == 2 and Domain.objects.count() == 2


def test_each_demo_host_serves_its_own_site_with_its_branding_and_listings(client, synced):
    port, hills = synced
    port_page = client.get("/annonces/", HTTP_HOST=PORT_HOST).content.decode()
    hills_page = client.get("/annonces/", HTTP_HOST=HILLS_HOST).content.decode()
    assert "--brand:#0b4f6c" in port_page and "--brand:#2f5d1e" in hills_page
    assert 'alt="Agence du Port"' in port_page and 'alt="Immo des Collines"' in hills_page
    # Each site lists only its own agencies.
    assert "Bellecour" not in client.get("/agences/", HTTP_HOST=PORT_HOST).content.decode()
    agencies = client.get("/agences/", HTTP_HOST=HILLS_HOST).content.decode()
    assert "Bellecour" in agencies and "Littoral" not in agencies
    logo = client.get(port_page.split('<img src="')[1].split('"')[0], HTTP_HOST=PORT_HOST)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


@override_settings(DEBUG=True)
def test_the_embed_script_of_a_demo_site_points_at_its_host_and_port(client, synced):
    script = client.get("/embed.js", HTTP_HOST=PORT_HOST).content.decode()
    assert 'var ORIGIN = "http://agence\\u002Ddu\\u002Dport.localhost:8000";' in script
    embedded = client.get("/embed/annonces/", HTTP_HOST=PORT_HOST)
    assert embedded.status_code == 200
    assert "http://127.0.0.1:8767" in embedded["Content-Security-Policy"]


def test_the_embedding_example_page_uses_the_documented_script():
    site_url = SITES[0].url(8000).rstrip("/")
    with EmbedExample(site_url=site_url, site_name="Agence du Port") as page:
        body = requests.get(page.url + "/", timeout=5).text
        assert requests.get(page.url + "/other", timeout=5).status_code == 404
    assert (
        '<script src="http://agence-du-port.localhost:8000/embed.js" data-search="transaction=sell"'
        in body
    )


def test_the_demo_prints_both_agency_sites_the_seller_page_and_the_embedding_example():
    text = DemoCommand().sites_text(8000, "http://127.0.0.1:8767")
    assert "Agence du Port: http://agence-du-port.localhost:8000/" in text
    assert "Immo des Collines: http://immo-des-collines.localhost:8000/" in text
    assert "http://agence-du-port.localhost:8000/estimer-mon-bien/" in text
    assert "http://127.0.0.1:8767/" in text


def test_the_demo_host_names_are_allowed_whatever_allowed_hosts_says():
    from django.http.request import validate_host

    command = DemoCommand(stdout=io.StringIO())
    with override_settings(ALLOWED_HOSTS=["example.org"]):
        from django.conf import settings

        command.allow_demo_hosts()
        assert all(validate_host(s.host, settings.ALLOWED_HOSTS) for s in SITES)


@override_settings(DEBUG=False)
def test_outside_debug_absolute_links_never_take_the_requests_port(client, synced):
    script = client.get("/embed.js", HTTP_HOST=PORT_HOST).content.decode()
    assert 'var ORIGIN = "http://agence\\u002Ddu\\u002Dport.localhost";' in script


def test_a_demo_logo_whose_file_is_gone_is_drawn_again(synced):
    port = synced[0]
    port.logo.storage.delete(port.logo.name)
    port = demo_sites_setup(embed_origin="http://127.0.0.1:8767")[0]
    assert port.logo.storage.exists(port.logo.name)
