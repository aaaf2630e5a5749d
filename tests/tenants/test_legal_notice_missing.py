"""Issue #17 point 3 (break): the mentions légales of a multi-agency site whose operator
left LEGAL_* unset name what is missing, in the page's language, never "None"."""

from __future__ import annotations

import re
from html import unescape

import pytest

from showcase.feeds.models import FeedKind
from tests.factories import make_agency, make_feed, make_listing, make_tenant

HOST = {"HTTP_HOST": "multi.test"}


@pytest.fixture
def bare_site(db, settings):
    settings.LEGAL_PUBLICATION_DIRECTOR = ""
    settings.LEGAL_HOST_NAME = ""
    settings.LEGAL_HOST_ADDRESS = ""
    settings.LEGAL_HOST_PHONE = ""
    gedeon, apimo = make_feed(), make_feed(kind=FeedKind.APIMO)
    make_tenant("multi.test", feeds=[gedeon, apimo])
    for feed, name in ((gedeon, "Agence Gedeon"), (apimo, "Agence Apimo")):
        make_listing(feed=feed, agency=make_agency(feed=feed, name=name))


def _text(client, url: str) -> str:
    body = client.get(url, **HOST).content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.mark.parametrize(
    ("prefix", "said"),
    [
        ("", ["Pas encore communiqué", "Directeur de la publication", "Hébergeur"]),
        ("/en", ["Not provided yet", "Publication director", "Host"]),
        ("/de", ["Noch nicht angegeben"]),
    ],
)
def test_unset_director_and_host_are_named_as_missing_not_left_out(client, bare_site, prefix, said):
    text = _text(client, prefix + "/mentions-legales/")
    publisher = text.split("Agence ")[0]
    for words in said:
        assert words in publisher
    assert "None" not in text


def test_each_agency_names_its_own_missing_items(client, bare_site):
    text = _text(client, "/en/mentions-legales/")
    for name in ("Agence Gedeon", "Agence Apimo"):
        section = text.split(name)[1]
        assert "Not provided yet:" in section.split("Fee schedule of")[0]
