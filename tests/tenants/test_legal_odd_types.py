"""Issue #17 (break): a Gedeon `legal` block whose values are lists or objects, on a site
that also shows an Apimo agency: no Python repr on the legal pages."""

from __future__ import annotations

import pytest

from showcase.feeds.models import FeedKind
from showcase.listings import fees
from tests.factories import make_agency, make_feed, make_listing, make_tenant

HOST = {"HTTP_HOST": "multi.test"}
ODD = {
    "honoraires": ["<p>Jusqu'à 100 000 € : 6 % TTC</p>"],
    "rcs": {"ville": "Lyon", "numero": "123"},
    "carte_pro": ["CPI 6901"],
    "infos": {"texte": "x"},
    "forme_juridique": True,
    "capital": 10000,
}


@pytest.mark.django_db
def test_lists_and_objects_in_the_feeds_legal_block_are_not_printed(client):
    gedeon, apimo = make_feed(), make_feed(kind=FeedKind.APIMO)
    make_tenant("multi.test", feeds=[gedeon, apimo])
    agency = make_agency(feed=gedeon, name="Agence Bizarre", legal=ODD)
    other = make_agency(feed=apimo, name="Agence Apimo")
    make_listing(feed=gedeon, agency=agency)
    make_listing(feed=apimo, agency=other)
    assert fees.agency_schedule(agency).is_empty
    for url in ("/honoraires/", "/mentions-legales/", agency.get_absolute_url()):
        body = client.get(url, **HOST).content.decode()
        for repr_mark in ("['", "{'", "&#x27;ville", "True</dd>", "&#x27;]"):
            assert repr_mark not in body, (url, repr_mark)
