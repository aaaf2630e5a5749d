"""Admin pages that change an Apimo property upstream (issue 4, item 9)."""

from __future__ import annotations

import base64
import io
import json

import pytest
import responses
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import Image

from showcase.listings.models import Listing
from tests.factories import (
    make_agency,
    make_apimo_feed,
    make_feed,
    make_listing,
    make_photo,
    make_tenant,
)

BASE = "http://apimo.test"
PROPERTY = f"{BASE}/agencies/182/properties/181297"
SCOPE_403 = {"error": {"code": 403, "message": "You need the scope properties_write"}}
MEDIAS = [
    {"id": "77", "type": 2, "url": "https://youtu.be/JGowo0ARgPo", "html": "", "title": "Visite"}
]


@pytest.fixture
def world(db):
    users = get_user_model()
    feed_a = make_apimo_feed(name="apimo-a")
    feed_b = make_feed(name="gedeon-b")
    tenant_a = make_tenant("agence-a.test", feeds=[feed_a])
    tenant_b = make_tenant("agence-b.test", feeds=[feed_b])
    alice = users.objects.create_user("alice", "a@a.test", "pw", is_staff=True)
    bob = users.objects.create_user("bob", "b@b.test", "pw", is_staff=True)
    tenant_a.agents.add(alice)
    tenant_b.agents.add(bob)
    listing = make_listing(feed=feed_a, upstream_id="181297", title="Villa A", medias=MEDIAS)
    make_photo(listing, upstream_id="66321497")
    gedeon = make_listing(feed=feed_b, upstream_id="B1", title="Maison B")
    return {"listing": listing, "gedeon": gedeon, "alice": alice, "bob": bob}


def url(name, listing, *args):
    return reverse(f"admin:listings_listing_apimo{name}", args=[listing.pk, *args])


@pytest.fixture
def alice(client, world):
    client.force_login(world["alice"])
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def jpeg_with_exif(size=(4000, 3000), orientation=None):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 0.0)  # GPSInfo: latitude
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    out.name = "photo.jpg"
    out.seek(0)
    return out


# The change page


def test_the_change_page_of_an_apimo_listing_links_to_the_actions(alice, world):
    listing = world["listing"]
    page = alice.get(reverse("admin:listings_listing_change", args=[listing.pk])).content.decode()
    for name in ("_media_add", "_picture_add", "", "_providers"):
        assert f'href="{url(name, listing)}"' in page
    assert "Ajouter une vidéo ou une visite virtuelle" in page or "Add a video" in page


def test_a_gedeon_listing_has_no_apimo_actions(client, world):
    client.force_login(world["bob"])
    gedeon = world["gedeon"]
    page = client.get(reverse("admin:listings_listing_change", args=[gedeon.pk])).content.decode()
    assert "/apimo/" not in page
    assert client.get(url("", gedeon)).status_code == 404


def test_the_overview_lists_pictures_and_medias_with_delete_buttons(alice, world):
    listing = world["listing"]
    page = alice.get(url("", listing)).content.decode()
    assert url("_picture_delete", listing, "66321497") in page
    assert url("_media_delete", listing, "77") in page
    assert "csrfmiddlewaretoken" in page
    for name in ("_media_add", "_picture_add", "_providers"):
        assert f'href="{url(name, listing)}"' in page


# Who may act


@responses.activate
@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("", (), None),
        ("_media_add", (), {"media_type": "2", "content": "https://youtu.be/JGowo0ARgPo"}),
        ("_picture_add", (), None),
        ("_picture_delete", ("66321497",), {}),
        ("_media_delete", ("77",), {}),
        ("_providers", (), {"provider": "100", "active": "1"}),
    ],
)
def test_an_agent_of_another_site_can_neither_see_nor_act(client, world, name, args, data):
    client.force_login(world["bob"])
    target = url(name, world["listing"], *args)
    response = client.post(target, data) if data is not None else client.get(target)
    assert response.status_code == 404
    assert len(responses.calls) == 0


@responses.activate
@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("_media_add", (), {"media_type": "2", "content": "https://youtu.be/JGowo0ARgPo"}),
        ("_picture_delete", ("66321497",), {}),
        ("_media_delete", ("77",), {}),
        ("_providers", (), {"provider": "100", "active": "0"}),
    ],
)
def test_an_agent_cannot_change_upstream_a_property_another_site_also_shows(
    client, world, name, args, data
):
    listing = world["listing"]
    other = make_tenant("agence-c.test", feeds=[listing.feed])  # site C reads the feed too
    client.force_login(world["alice"])
    response = client.post(url(name, listing, *args), data)
    assert response.status_code == 403
    assert len(responses.calls) == 0
    # The operator may.
    root = get_user_model().objects.create_superuser("root", "root@x.test", "pw")
    client.force_login(root)
    responses.post(f"{PROPERTY}/providers", json={"success": True})
    responses.post(f"{PROPERTY}/medias", json={"id": 1})
    responses.delete(f"{PROPERTY}/medias/77", json={"success": True})
    responses.delete(f"{PROPERTY}/pictures/66321497", json={"success": True})
    assert client.post(url(name, listing, *args), data).status_code == 302
    assert len(responses.calls) == 1 and other.pk


@responses.activate
def test_a_property_of_another_agency_than_the_feeds_is_never_changed_upstream(alice, world):
    listing = world["listing"]
    listing.agency = make_agency(feed=listing.feed, upstream_id="999", name="Other agency")
    listing.save()
    response = alice.post(
        url("_providers", listing), {"provider": "100", "active": "0"}, follow=True
    )
    [message] = messages_of(response)
    assert "999" in message and "182" in message
    assert len(responses.calls) == 0


def test_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(url("_media_add", world["listing"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@responses.activate
def test_deletions_are_post_only(alice, world):
    listing = world["listing"]
    assert alice.get(url("_picture_delete", listing, "66321497")).status_code == 405
    assert alice.get(url("_media_delete", listing, "77")).status_code == 405
    assert len(responses.calls) == 0


@responses.activate
def test_posts_without_the_csrf_token_are_refused(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["alice"])
    listing = world["listing"]
    assert browser.post(url("_picture_delete", listing, "66321497")).status_code == 403
    response = browser.post(
        url("_media_add", listing), {"media_type": "2", "content": "https://youtu.be/JGowo0ARgPo"}
    )
    assert response.status_code == 403
    assert len(responses.calls) == 0


# Medias


@responses.activate
def test_adding_a_youtube_link_sends_it_and_reports_the_next_sync(alice, world):
    listing = world["listing"]
    responses.post(f"{PROPERTY}/medias", json={"id": 123456})
    response = alice.post(
        url("_media_add", listing),
        {"media_type": "2", "content": " https://www.youtube.com/watch?v=JGowo0ARgPo "},
        follow=True,
    )
    body = json.loads(responses.calls[0].request.body)
    assert body["type"] == "2" and body["content"] == "https://www.youtube.com/watch?v=JGowo0ARgPo"
    assert body["reference"].startswith(f"vitrine-{listing.pk}-")
    [message] = messages_of(response)
    assert "123456" in message and "sync" in message.lower()
    listing.refresh_from_db()
    assert listing.medias == MEDIAS  # nothing local before the next sync


@responses.activate
@pytest.mark.parametrize(
    ("media_type", "content"),
    [
        ("2", "https://vimeo.com/76979871"),
        ("2", "https://youtube.com.evil.example/watch?v=JGowo0ARgPo"),
        ("15", "https://vimeo.com/about"),
        ("12", "javascript:alert(1)"),
        ("9", "<script>alert(1)</script>"),
        ("9", ""),
        ("3", "https://youtu.be/JGowo0ARgPo"),
    ],
)
def test_a_link_that_does_not_fit_its_type_is_refused_before_any_call(
    alice, world, media_type, content
):
    response = alice.post(
        url("_media_add", world["listing"]), {"media_type": media_type, "content": content}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(responses.calls) == 0


@responses.activate
def test_html_media_is_sanitized_before_it_is_sent(alice, world):
    responses.post(f"{PROPERTY}/medias", json={"id": 9})
    html = '<iframe src="https://tour.example/v/1" onload="x()"></iframe><script>steal()</script>'
    alice.post(url("_media_add", world["listing"]), {"media_type": "9", "content": html})
    sent = json.loads(responses.calls[0].request.body)["content"]
    assert sent == '<iframe src="https://tour.example/v/1"></iframe>'


@responses.activate
def test_a_missing_scope_shows_apimos_message_and_changes_nothing(alice, world):
    listing = world["listing"]
    responses.post(f"{PROPERTY}/medias", status=403, json=SCOPE_403)
    response = alice.post(
        url("_media_add", listing),
        {"media_type": "2", "content": "https://youtu.be/JGowo0ARgPo"},
        follow=True,
    )
    [message] = messages_of(response)
    assert "You need the scope properties_write" in message
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    listing.refresh_from_db()
    assert listing.medias == MEDIAS


@responses.activate
def test_deleting_a_media_calls_apimo_and_keeps_the_local_copy_until_the_sync(alice, world):
    listing = world["listing"]
    responses.delete(f"{PROPERTY}/medias/77", json={"success": True})
    response = alice.post(url("_media_delete", listing, "77"), follow=True)
    assert len(responses.calls) == 1
    assert "77" in messages_of(response)[0]
    listing.refresh_from_db()
    assert listing.medias == MEDIAS


@responses.activate
def test_a_media_or_picture_that_is_not_the_listings_is_refused(alice, world):
    listing = world["listing"]
    assert alice.post(url("_media_delete", listing, "999")).status_code == 404
    assert alice.post(url("_picture_delete", listing, "999")).status_code == 404
    assert len(responses.calls) == 0


# Pictures


@responses.activate
def test_uploading_a_picture_sends_a_clean_downscaled_jpeg(alice, world):
    listing = world["listing"]
    responses.post(
        f"{PROPERTY}/pictures",
        json={"id": 66321498, "rank": 2, "url": "https://cdn.example/p.jpg"},
    )
    response = alice.post(
        url("_picture_add", listing), {"picture": jpeg_with_exif((4000, 3000))}, follow=True
    )
    body = json.loads(responses.calls[0].request.body)
    sent = Image.open(io.BytesIO(base64.b64decode(body["content"])))
    assert sent.format == "JPEG" and sent.size == (1920, 1440)
    assert not sent.getexif() and "exif" not in sent.info and "comment" not in sent.info
    assert body["reference"].startswith(f"vitrine-{listing.pk}-")
    assert "66321498" in messages_of(response)[0]
    assert listing.photos.count() == 1


@responses.activate
def test_a_picture_upload_refused_upstream_changes_nothing(alice, world):
    listing = world["listing"]
    responses.post(f"{PROPERTY}/pictures", status=403, json=SCOPE_403)
    response = alice.post(url("_picture_add", listing), {"picture": jpeg_with_exif()}, follow=True)
    assert "You need the scope properties_write" in messages_of(response)[0]
    assert listing.photos.count() == 1


@responses.activate
def test_a_file_that_is_not_an_allowed_picture_is_refused(alice, world, settings):
    listing = world["listing"]
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    gif.name, text = "a.gif", io.BytesIO(b"not an image at all")
    gif.seek(0)
    text.name = "a.jpg"
    for upload in (gif, text):
        response = alice.post(url("_picture_add", listing), {"picture": upload})
        assert response.status_code == 200 and response.context["form"].errors["picture"]
    settings.APIMO_PICTURE_MAX_BYTES = 1000
    response = alice.post(url("_picture_add", listing), {"picture": jpeg_with_exif((800, 600))})
    assert "trop lourde (1000\xa0octets au plus)" in response.context["form"].errors["picture"][0]
    assert len(responses.calls) == 0


@responses.activate
def test_deleting_a_picture_calls_apimo(alice, world):
    listing = world["listing"]
    responses.delete(f"{PROPERTY}/pictures/66321497", json={"success": True})
    response = alice.post(url("_picture_delete", listing, "66321497"), follow=True)
    assert responses.calls[0].request.method == "DELETE"
    assert "66321497" in messages_of(response)[0]
    assert Listing.objects.get(pk=listing.pk).photos.count() == 1


@responses.activate
def test_a_failing_deletion_reports_the_upstream_error(alice, world):
    listing = world["listing"]
    responses.delete(f"{PROPERTY}/pictures/66321497", status=500)
    response = alice.post(url("_picture_delete", listing, "66321497"), follow=True)
    assert len(responses.calls) == 1  # never retried
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "HTTP 500" in messages_of(response)[0]


# Providers


@responses.activate
def test_the_providers_panel_lists_grants_and_revokes(alice, world):
    listing = world["listing"]
    responses.get(
        f"{PROPERTY}/providers",
        json={"providers": [{"provider": 100, "step": 1}, {"provider": 230, "step": 2}]},
    )
    page = alice.get(url("_providers", listing)).content.decode()
    assert "100" in page and "230" in page
    responses.post(f"{PROPERTY}/providers", json={"success": True})
    response = alice.post(
        url("_providers", listing), {"provider": "230", "active": "1"}, follow=True
    )
    assert json.loads(responses.calls[1].request.body) == {"provider": "230", "step": "1"}
    assert "230" in messages_of(response)[0]
    alice.post(url("_providers", listing), {"provider": "100", "active": "0"})
    assert json.loads(responses.calls[-1].request.body) == {"provider": "100", "step": "2"}


@responses.activate
def test_the_providers_panel_shows_a_refusal_and_a_bad_provider_id(alice, world):
    listing = world["listing"]
    responses.get(f"{PROPERTY}/providers", status=403, json=SCOPE_403)
    page = alice.get(url("_providers", listing)).content.decode()
    assert "You need the scope properties_write" in page
    response = alice.post(url("_providers", listing), {"provider": "abc", "active": "1"})
    assert response.context["form"].errors["provider"]
    assert [c.request.method for c in responses.calls] == ["GET", "GET"]
