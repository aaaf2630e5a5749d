"""Contact messages are rate-limited per visitor behind the proxy, not per proxy."""

from __future__ import annotations

import pytest

from showcase.leads.models import Lead
from tests.factories import make_listing
from tests.leads.test_contact import form_data

pytestmark = pytest.mark.django_db
NGINX = {"REMOTE_ADDR": "127.0.0.1"}


def post(client, listing, visitor: str, email: str):
    return client.post(
        f"/contact/annonce/{listing.pk}/",
        form_data(email=email, message=f"Bonjour, message de {email} svp"),
        HTTP_X_FORWARDED_FOR=visitor,
        **NGINX,
    )


def test_visitors_behind_the_proxy_each_have_their_own_budget(client, settings):
    settings.LEADS_RATE_LIMIT = (1, 600)  # 2 per address
    settings.TRUSTED_PROXY_COUNT = 1
    listing = make_listing(contact={"mail": "agent@agence.example"})
    assert post(client, listing, "203.0.113.1", "un@example.org").status_code == 302
    assert post(client, listing, "203.0.113.1", "deux@example.org").status_code == 302
    assert post(client, listing, "203.0.113.1", "trois@example.org").status_code == 429
    assert post(client, listing, "198.51.100.2", "quatre@example.org").status_code == 302
    assert Lead.objects.count() == 3


def test_without_a_trusted_proxy_a_forged_header_does_not_buy_a_new_budget(client, settings):
    settings.LEADS_RATE_LIMIT = (1, 600)
    settings.TRUSTED_PROXY_COUNT = 0
    listing = make_listing(contact={"mail": "agent@agence.example"})
    assert post(client, listing, "203.0.113.1", "un@example.org").status_code == 302
    assert post(client, listing, "203.0.113.2", "deux@example.org").status_code == 302
    assert post(client, listing, "203.0.113.3", "trois@example.org").status_code == 429


def test_an_ipv6_visitor_changing_address_within_its_64_keeps_one_budget(client, settings):
    settings.LEADS_RATE_LIMIT = (1, 600)
    settings.TRUSTED_PROXY_COUNT = 1
    listing = make_listing(contact={"mail": "agent@agence.example"})
    assert post(client, listing, "2001:db8:5:6::1", "un@example.org").status_code == 302
    assert post(client, listing, "2001:db8:5:6::2", "deux@example.org").status_code == 302
    assert post(client, listing, "2001:db8:5:6::3", "trois@example.org").status_code == 429
