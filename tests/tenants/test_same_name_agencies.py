"""Issue #17 (break): two agencies of one site with the same name, one Gedeon and one
Apimo: a visitor tells their identities and schedules apart."""

from __future__ import annotations

import re

import pytest

from showcase.feeds.models import FeedKind
from showcase.tenants.legal import missing_legal_items
from tests.factories import make_agency, make_feed, make_listing, make_tenant

HOST = {"HTTP_HOST": "multi.test"}


@pytest.mark.django_db
def test_two_agencies_with_the_same_name_are_told_apart_by_where_they_trade(client):
    gedeon, apimo = make_feed(), make_feed(kind=FeedKind.APIMO)
    tenant = make_tenant("multi.test", feeds=[gedeon, apimo])
    lyon = make_agency(feed=gedeon, name="Agence Dupont", address="1 rue A", city="Lyon")
    nice = make_agency(
        feed=apimo, name="Agence Dupont", address="2 rue B", city="Nice", zip_code="06000"
    )
    alone = make_agency(feed=gedeon, name="Agence Seule")
    for agency, feed in ((lyon, gedeon), (nice, apimo), (alone, gedeon)):
        make_listing(feed=feed, agency=agency)
    for url in ("/honoraires/", "/mentions-legales/"):
        body = client.get(url, **HOST).content.decode()
        headings = re.findall(r'<h2 id="agence-\d+-title">([^<]*)</h2>', body)
        assert "Agence Dupont (1 rue A, 69003 Lyon)" in headings
        assert "Agence Dupont (2 rue B, 06000 Nice)" in headings
        assert "Agence Seule" in headings
    missing = missing_legal_items(tenant.site())
    assert any(m.startswith("Agence Dupont (2 rue B, 06000 Nice): ") for m in missing)
