"""Videos and virtual tours on the detail page: click-to-load facades (issue 4, item 10)."""

from __future__ import annotations

import html
import re

import pytest

from tests.factories import make_apimo_feed, make_listing

pytestmark = pytest.mark.django_db

MEDIAS = [
    {"id": "1", "type": 2, "url": "https://youtu.be/JGowo0ARgPo", "html": "", "title": "Visite"},
    {
        "id": "2",
        "type": 9,
        "url": "",
        "html": '<iframe src="https://tour.example/v/1" onload="x()"></iframe><script>steal()</script>',
        "title": "",
    },
]


def apimo_listing(**kwargs):
    return make_listing(feed=make_apimo_feed(), medias=MEDIAS, **kwargs)


def test_medias_are_facades_with_no_third_party_request_before_the_click(client):
    body = client.get("/en" + apimo_listing().get_absolute_url()).content.decode()
    section = body[body.index('class="medias"') : body.index('id="facts-title"')]
    # Nothing on the page loads from a provider: no iframe, no provider thumbnail.
    assert "<iframe" not in body and "<img" not in section
    assert "ytimg.com" not in body
    # The player URL waits in a data attribute, on the no-cookie domain.
    assert 'data-src="https://www.youtube-nocookie.com/embed/JGowo0ARgPo?autoplay=1"' in section
    # A real button with an accessible name, and a frame title ready for the iframe.
    assert section.count('<button type="button" class="media-play">') == 2
    assert 'data-title="YouTube video — Visite"' in section
    assert "media-facade.js" in body


def test_without_javascript_each_media_is_a_plain_link(client):
    body = client.get(apimo_listing().get_absolute_url()).content.decode()
    assert body.count("data-media-facade hidden") == 2  # shown by the script only
    assert '<a href="https://youtu.be/JGowo0ARgPo" rel="noopener noreferrer">' in body
    assert '<a href="https://tour.example/v/1" rel="noopener noreferrer">' in body


def test_html_media_is_sanitized_and_waits_for_a_sandboxed_srcdoc_frame(client):
    body = client.get(apimo_listing().get_absolute_url()).content.decode()
    [srcdoc] = re.findall(r'data-srcdoc="([^"]*)"', body)
    assert html.unescape(srcdoc) == '<iframe src="https://tour.example/v/1"></iframe>'
    assert "steal()" not in body and "onload" not in srcdoc


def test_the_page_may_frame_only_the_origins_of_its_medias(client):
    response = client.get(apimo_listing().get_absolute_url())
    assert response["Content-Security-Policy"].endswith(
        "; frame-ancestors 'none'; frame-src https://www.youtube-nocookie.com https://tour.example"
    )
    plain = client.get(make_listing().get_absolute_url())
    assert plain["Content-Security-Policy"].endswith("; frame-ancestors 'none'; frame-src 'none'")
    assert 'class="medias"' not in plain.content.decode()


def test_a_gedeon_virtual_visit_on_a_known_provider_is_a_facade_too(client):
    listing = make_listing(virtual_visit="https://my.matterport.com/show/?m=SxQL3iGyoDo")
    response = client.get("/en" + listing.get_absolute_url())
    body = response.content.decode()
    assert 'data-src="https://my.matterport.com/show/?m=SxQL3iGyoDo&amp;play=1"' in body
    assert "Matterport virtual tour" in body
    assert "frame-src https://my.matterport.com" in response["Content-Security-Policy"]


def test_a_virtual_visit_elsewhere_stays_a_plain_link(client):
    listing = make_listing(virtual_visit="https://visite.example/tour/42")
    response = client.get(listing.get_absolute_url())
    body = response.content.decode()
    assert '<a href="https://visite.example/tour/42" rel="noopener noreferrer">' in body
    assert "data-media-facade" not in body and "media-facade.js" not in body
    assert response["Content-Security-Policy"].endswith("frame-src 'none'")


def test_facades_speak_the_visitors_language(client):
    url = apimo_listing().get_absolute_url()
    french = client.get(url).content.decode()
    assert 'data-title="Vidéo YouTube — Visite"' in french and "Lire la vidéo" in french
    assert "Vidéos et visites virtuelles" in french
    german = client.get("/de" + url).content.decode()
    assert "YouTube-Video — Visite" in german and "Video abspielen" in german
