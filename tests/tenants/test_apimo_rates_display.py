"""Issue #17 (break): an Apimo agency's rates on /honoraires/, beside a Gedeon agency:
only lets are shown as rentals."""

from __future__ import annotations

import re
from html import unescape

import pytest

from showcase.feeds.models import FeedKind
from tests.factories import make_agency, make_feed, make_listing, make_tenant

HOST = {"HTTP_HOST": "multi.test"}
RATES = [
    {"category": 1, "category_label": "Vente", "range_min": 0, "range_max": 99999999,
     "commission_price": None, "commission_rate": 5, "comment": ""},
    {"category": 2, "category_label": "Location", "commission_rate": 15,
     "commission_price": None, "comment": "du loyer annuel"},
    {"category": 5, "category_label": "Viager", "commission_rate": 4,
     "commission_price": None, "comment": ""},
    {"category": None, "category_label": "", "commission_price": 300,
     "commission_rate": None, "comment": ""},
]  # fmt: skip


@pytest.mark.django_db
def test_life_annuity_and_uncategorised_rates_are_not_shown_as_rentals(client):
    gedeon, apimo = make_feed(), make_feed(kind=FeedKind.APIMO)
    make_tenant("multi.test", feeds=[gedeon, apimo])
    agency = make_agency(feed=apimo, name="Agence Apimo", rates=RATES)
    other = make_agency(feed=gedeon, name="Agence Gedeon")
    make_listing(feed=apimo, agency=agency)
    make_listing(feed=gedeon, agency=other)
    body = client.get("/en/honoraires/", **HOST).content.decode()
    section = body[body.index(f'id="agence-{agency.pk}"') :]
    tables = {
        " ".join(unescape(re.sub(r"<[^>]+>", " ", caption)).split()): rows
        for caption, rows in re.findall(
            r"<caption>(.*?)</caption>(.*?)</table>", section.split("</section>")[0], re.S
        )
    }
    rentals = " ".join(unescape(re.sub(r"<[^>]+>", " ", tables["Rentals"])).split())
    others = " ".join(unescape(re.sub(r"<[^>]+>", " ", tables["Other fees"])).split())
    assert "Location" in rentals and "Viager" not in rentals and "300" not in rentals
    assert "Viager" in others and "€300" in others
