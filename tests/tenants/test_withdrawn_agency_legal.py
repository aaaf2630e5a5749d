"""Issue #17 (break): an agency the feed no longer lists while the site still shows one of
its listings keeps its mentions légales and its schedule, where the listing links."""

from __future__ import annotations

import pytest
from django.utils import timezone

from showcase.feeds.models import FeedKind
from tests.factories import make_agency, make_feed, make_listing, make_tenant

HOST = {"HTTP_HOST": "multi.test"}


@pytest.mark.django_db
def test_an_agency_withdrawn_upstream_with_a_listing_still_shown_keeps_its_legal_pages(client):
    gedeon, apimo = make_feed(), make_feed(kind=FeedKind.APIMO)
    make_tenant("multi.test", feeds=[gedeon, apimo])
    gone = make_agency(
        feed=gedeon,
        name="Agence Partie",
        withdrawn_at=timezone.now(),
        legal={"honoraires": "<p>Jusqu'à 1 000 000 € : 5 % TTC</p>"},
    )
    idle = make_agency(feed=gedeon, name="Agence Fermée", withdrawn_at=timezone.now())
    other = make_agency(feed=apimo, name="Agence Apimo")
    make_listing(feed=gedeon, agency=gone)
    make_listing(feed=apimo, agency=other)
    for url in ("/honoraires/", "/mentions-legales/"):
        body = client.get(url, **HOST).content.decode()
        assert f'id="agence-{gone.pk}"' in body and "Agence Partie" in body
        assert f'id="agence-{other.pk}"' in body
        assert f'id="agence-{idle.pk}"' not in body  # nothing of it is shown
