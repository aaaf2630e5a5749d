"""The write endpoints of the Apimo client (spec "Agencies/properties")."""

from __future__ import annotations

import base64

import pytest
import responses
from responses import matchers

from showcase.core.http import UpstreamAuthError, UpstreamError, UpstreamUnavailable
from showcase.feeds.apimo.client import ApimoClient
from tests.factories import make_apimo_feed

pytestmark = pytest.mark.django_db
BASE = "http://apimo.test"
PROPERTY = f"{BASE}/agencies/182/properties/181297"
AUTH = "Basic " + base64.b64encode(b"12:t0ken").decode()


@pytest.fixture
def client(settings):
    settings.FEEDS_HTTP_RETRIES = 3
    feed = make_apimo_feed(name="nice")
    return ApimoClient(feed)


def auth():
    return matchers.header_matcher({"Authorization": AUTH})


@responses.activate
def test_create_property_posts_the_data_to_the_agency(client):
    responses.post(
        f"{BASE}/agencies/182/properties",
        match=[auth(), matchers.json_params_matcher({"reference": "R1", "category": 1})],
        json={"id": "19344239", "created_at": "2020-02-18 15:02:34", "updated_at": "x"},
    )
    assert client.create_property({"reference": "R1", "category": 1})["id"] == "19344239"


@responses.activate
def test_add_media_sends_reference_type_as_a_string_and_content(client):
    responses.post(
        f"{PROPERTY}/medias",
        match=[
            auth(),
            matchers.json_params_matcher(
                {"reference": "ref-1", "type": "2", "content": "https://youtu.be/JGowo0ARgPo"}
            ),
        ],
        json={"id": 123456},
    )
    answer = client.add_media(
        181297, media_type=2, content="https://youtu.be/JGowo0ARgPo", reference="ref-1"
    )
    assert answer == {"id": 123456}


@responses.activate
def test_delete_media_and_delete_picture_call_delete_on_the_item(client):
    responses.delete(f"{PROPERTY}/medias/77", match=[auth()], json={"success": True})
    responses.delete(f"{PROPERTY}/pictures/66321497", match=[auth()], json={"success": True})
    assert client.delete_media("181297", "77") == {"success": True}
    assert client.delete_picture("181297", 66321497) == {"success": True}
    assert [c.request.method for c in responses.calls] == ["DELETE", "DELETE"]


@responses.activate
def test_add_picture_sends_base64_content_with_our_reference(client):
    picture = {"id": 66321497, "rank": 1, "url": "https://cdn.example/p.jpg", "width_max": 1430}
    responses.post(
        f"{PROPERTY}/pictures",
        match=[auth(), matchers.json_params_matcher({"reference": "v-1", "content": "QUJD"})],
        json=picture,
    )
    assert client.add_picture(181297, content_base64="QUJD", reference="v-1") == picture


@responses.activate
def test_providers_are_read_and_access_granted_or_revoked_with_steps_1_and_2(client):
    responses.get(
        f"{PROPERTY}/providers", match=[auth()], json={"providers": [{"provider": 100, "step": 1}]}
    )
    responses.post(
        f"{PROPERTY}/providers",
        match=[auth(), matchers.json_params_matcher({"provider": "100", "step": "1"})],
        json={"success": True},
    )
    responses.post(
        f"{PROPERTY}/providers",
        match=[auth(), matchers.json_params_matcher({"provider": "230", "step": "2"})],
        json={"success": True},
    )
    assert client.property_providers(181297) == {"providers": [{"provider": 100, "step": 1}]}
    assert client.set_provider_access(181297, provider=100, active=True) == {"success": True}
    assert client.set_provider_access(181297, provider="230", active=False) == {"success": True}


@responses.activate
def test_an_empty_answer_is_an_empty_dict(client):
    responses.delete(f"{PROPERTY}/medias/77", body="")
    assert client.delete_media(181297, 77) == {}


@pytest.mark.parametrize("status", [500, 502, 503, 429])
@responses.activate
def test_writes_are_never_retried_even_on_5xx(client, status):
    responses.post(f"{PROPERTY}/pictures", status=status, json={"error": "busy"})
    with pytest.raises(UpstreamUnavailable):
        client.add_picture(181297, content_base64="QUJD", reference="v-1")
    assert len(responses.calls) == 1


@responses.activate
def test_reads_of_the_providers_are_retried_on_5xx(client, settings):
    settings.FEEDS_HTTP_RETRIES = 2
    responses.get(f"{PROPERTY}/providers", status=503)
    responses.get(f"{PROPERTY}/providers", json={"providers": []})
    client = ApimoClient(client.feed)  # sessions built with the new setting
    client.session.adapters["http://"].max_retries.backoff_factor = 0
    assert client.property_providers(181297) == {"providers": []}
    assert len(responses.calls) == 2


@responses.activate
def test_a_missing_scope_carries_apimos_own_message(client):
    responses.post(
        f"{PROPERTY}/medias",
        status=403,
        json={"error": {"code": 403, "message": "You need the scope properties_write"}},
    )
    with pytest.raises(UpstreamAuthError) as info:
        client.add_media(181297, media_type=2, content="https://youtu.be/x", reference="r")
    assert info.value.status == 403
    assert info.value.detail == "You need the scope properties_write"
    assert "You need the scope properties_write" in str(info.value)


@responses.activate
def test_a_bad_request_keeps_the_upstream_message(client):
    responses.post(f"{PROPERTY}/pictures", status=400, json={"message": "Invalid picture"})
    with pytest.raises(UpstreamError) as info:
        client.add_picture(181297, content_base64="!!", reference="r")
    assert info.value.status == 400 and info.value.detail == "Invalid picture"
    assert "HTTP 400: Invalid picture" in str(info.value)


@responses.activate
def test_an_unknown_picture_is_a_404_with_a_clear_message(client):
    responses.delete(f"{PROPERTY}/pictures/9", status=404)
    with pytest.raises(UpstreamError, match="not found"):
        client.delete_picture(181297, 9)
