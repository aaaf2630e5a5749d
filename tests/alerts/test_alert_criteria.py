"""The alert sign-up page and e-mails say which criteria the alert watches, in words."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.alerts.test_alerts import HOST, _confirmed_alert, _send
from tests.factories import make_agency, make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    feed = make_feed(name="feed-a")
    tenant = make_tenant(HOST, feeds=[feed], name="Agence A")
    return tenant, feed


def test_the_sign_up_page_lists_the_watched_criteria_in_words(client, site):
    _tenant, feed = site
    make_agency(feed=feed, upstream_id="AG-MER", name="Agence de la Mer")
    response = client.get(
        "/alertes/nouvelle/?transaction=sell&type=house&type=flat&max_price=300000&agency=AG-MER",
        HTTP_HOST=HOST,
    )
    page = response.content.decode()
    items = re.findall(r"<li>(.*?)</li>", page.split('class="criteria-list"')[1].split("</ul>")[0])
    assert items == [
        "Vente",
        "Maison, Appartement",
        "jusqu’à 300\u00a0000\u00a0€",
        "Agence de la Mer",
    ]


def test_the_sign_up_page_without_criteria_says_it_watches_every_new_listing(client, site):
    page = client.get("/alertes/nouvelle/", HTTP_HOST=HOST).content.decode()
    assert "Aucun critère : toutes les nouvelles annonces du site." in page


def test_the_sign_up_page_in_english_and_german(client, site):
    page = client.get("/en/alertes/nouvelle/?rooms=3", HTTP_HOST=HOST).content.decode()
    assert "The criteria this alert watches" in page and "<li>3 rooms</li>" in page
    page = client.get("/de/alertes/nouvelle/?rooms=3", HTTP_HOST=HOST).content.decode()
    assert "<li>3 Zimmer</li>" in page


def test_the_frequency_radios_sit_in_a_labelled_group_with_their_own_labels(client, site):
    page = client.get("/alertes/nouvelle/", HTTP_HOST=HOST).content.decode()
    group = re.search(r'<fieldset class="field field-radios">(.*?)</fieldset>', page, re.S).group(1)
    assert "<legend>" in group
    assert len(re.findall(r'<label for="id_frequency_\d"><input type="radio"', group)) == 3


def test_the_confirmation_and_digest_emails_name_the_criteria(client, site):
    tenant, feed = site
    client.post(
        "/alertes/nouvelle/",
        {"email": "marie@example.org", "frequency": "daily", "query": "localization=lyon&rooms=3"},
        HTTP_HOST=HOST,
    )
    call_command("outbox", "send", stdout=StringIO())
    assert "recherche :\nlyon · 3 pièces\nhttp" in mail.outbox[-1].body
    _confirmed_alert(tenant, query="localization=lyon&type=house")
    make_listing(feed=feed, city="Lyon", city_key="lyon", property_type="house")
    assert _send() == (1, 0)
    assert "Votre recherche : Maison · lyon\n" in mail.outbox[-1].body


def test_the_admins_alert_list_shows_the_criteria_in_words(admin_client, site):
    tenant, _feed = site
    _confirmed_alert(tenant, query="transaction=rent&rooms=2")
    html = admin_client.get("/admin/alerts/alert/", HTTP_HOST="testserver").content.decode()
    assert "Location · 2 pièces" in html


def test_an_alert_saves_its_numbers_as_the_search_url_carries_them(client, site):
    # A number typed the French way keeps the meaning the visitor saw, whatever later
    # readings of typed text: the saved criteria are canonical, as the search URL is.
    from showcase.alerts.models import Alert

    client.post(
        "/alertes/nouvelle/",
        {
            "email": "marie@example.org",
            "frequency": "daily",
            "query": "max_price=400 000 €&min_surface=80,5 m²&localization=lyon",
        },
        HTTP_HOST=HOST,
    )
    assert Alert.objects.get().query == "localization=lyon&max_price=400000&min_surface=80.5"
