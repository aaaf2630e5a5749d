"""Issue #17 (break): a Gedeon agency's `legal` on a site that also shows an Apimo agency,
with hostile markup and links."""

from __future__ import annotations

import pytest

from showcase.feeds.models import FeedKind
from tests.factories import make_agency, make_feed, make_listing, make_tenant

HOST = {"HTTP_HOST": "multi.test"}
HOSTILE = (
    "<h3 onmouseover='x()'>Vente</h3><script>steal()</script><style>body{display:none}</style>"
    "<p><a href='javascript:alert(1)'>barème</a></p><table><tr><td><table><tr><td>5 % "
    "<img src=x onerror=alert(2)></td></tr></table></td></tr></table>"
    + "<p>Gestion : 7 %</p>"
    * 4000
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["javascript:alert(3)", " JavaScript:alert(3)", "data:text/html,x"]
)
def test_an_upstream_schedule_link_that_is_not_a_web_address_is_not_linked(client, link):
    gedeon, apimo = make_feed(), make_feed(kind=FeedKind.APIMO)
    make_tenant("multi.test", feeds=[gedeon, apimo])
    agency = make_agency(feed=gedeon, legal={"honoraires": HOSTILE, "url_bareme": link})
    other = make_agency(feed=apimo, name="Agence Apimo")
    make_listing(feed=gedeon, agency=agency)
    make_listing(feed=apimo, agency=other)
    body = client.get("/honoraires/", **HOST).content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    for bad in ("javascript:", "JavaScript:", "data:text", "<script", "onerror", "onmouseover"):
        assert bad not in main
    assert "<style" not in main


@pytest.mark.django_db
def test_an_upstream_schedule_link_on_the_web_is_kept(client):
    feed = make_feed()
    make_tenant("multi.test", feeds=[feed])
    agency = make_agency(
        feed=feed,
        legal={"honoraires": "<p>Voir barème</p>", "url_bareme": "https://ag.test/bareme.pdf"},
    )
    make_listing(feed=feed, agency=agency)
    body = client.get("/honoraires/", **HOST).content.decode()
    assert 'href="https://ag.test/bareme.pdf"' in body
