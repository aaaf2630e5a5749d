from __future__ import annotations

import base64
import time

import pytest
import responses
from responses import matchers

from showcase.core.http import UpstreamAuthError, UpstreamBadResponse
from showcase.feeds.apimo import client as apimo_client
from showcase.feeds.apimo.client import ApimoClient, Throttle
from tests.factories import make_apimo_feed
from tests.feeds.apimo.payloads import AGENCY, envelope, prop

pytestmark = pytest.mark.django_db
BASE = "http://apimo.test"
LIST = f"{BASE}/agencies/182/properties"


@pytest.fixture
def client():
    feed = make_apimo_feed()
    return ApimoClient(feed)


@responses.activate
def test_pages_of_200_by_offset_until_total_items_with_basic_auth(client):
    items = [prop(i) for i in range(1, 451)]
    for offset in (0, 200, 400):
        responses.get(
            LIST,
            json=envelope(items[offset : offset + 200], total=450, timestamp=1700000000 + offset),
            match=[matchers.query_param_matcher({"limit": "200", "offset": str(offset)})],
        )
    pages = list(client.property_pages())
    assert [len(p.items) for p in pages] == [200, 200, 50]
    # The first page's timestamp: changes made while later pages were read come next time.
    assert client.pass_timestamp == "1700000000"
    expected = "Basic " + base64.b64encode(b"12:t0ken").decode()
    assert all(call.request.headers["Authorization"] == expected for call in responses.calls)


@responses.activate
def test_an_incremental_read_sends_the_timestamp(client):
    responses.get(
        LIST,
        json=envelope([prop(1)], timestamp=1700000500),
        match=[
            matchers.query_param_matcher({"limit": "200", "offset": "0", "timestamp": "1700000000"})
        ],
    )
    pages = list(client.property_pages(since="1700000000"))
    assert len(pages) == 1 and client.pass_timestamp == "1700000500"


@responses.activate
def test_an_empty_page_ends_the_pass_even_if_the_total_says_more(client):
    responses.get(LIST, json=envelope([], total=10, timestamp=0))
    assert [p.items for p in client.property_pages()] == [[]]
    assert client.pass_timestamp is None


@responses.activate
def test_a_403_carries_apimos_own_message(client):
    responses.get(LIST, status=403, json={"error": "You need the scope properties_read"})
    with pytest.raises(UpstreamAuthError) as caught:
        list(client.property_pages())
    assert caught.value.status == 403
    assert "You need the scope properties_read" in str(caught.value)
    assert "t0ken" not in str(caught.value)


@responses.activate
def test_a_body_without_properties_is_a_bad_response(client):
    responses.get(LIST, json={"total_items": 3})
    with pytest.raises(UpstreamBadResponse, match="no `properties` list"):
        list(client.property_pages())


@responses.activate
def test_the_agency_is_picked_from_the_agencies_list(client):
    responses.get(f"{BASE}/agencies", json={"total_items": 2, "agencies": [{"id": 7}, AGENCY]})
    assert client.agency()["name"] == "Agence Gambetta"
    responses.replace(responses.GET, f"{BASE}/agencies", json=[{"id": 7}])
    assert client.agency() is None


@responses.activate
def test_a_catalog_is_read_in_french(client):
    responses.get(
        f"{BASE}/catalogs/property_type",
        json=[{"id": 1, "culture": "fr", "name": "Appartement", "name_plurial": "Appartements"}],
        match=[matchers.query_param_matcher({"culture": "fr"})],
    )
    assert client.catalog("property_type")[0]["name"] == "Appartement"


def test_the_throttle_spaces_calls_of_one_account_to_ten_a_second():
    throttle = Throttle(10)
    start = time.monotonic()
    for _ in range(6):
        throttle.wait("12")
    assert time.monotonic() - start >= 0.45
    # Another account has its own budget: its first call does not wait.
    before = time.monotonic()
    throttle.wait("99")
    assert time.monotonic() - before < 0.05


@responses.activate
def test_every_call_goes_through_the_accounts_throttle(client, monkeypatch):
    keys = []
    monkeypatch.setattr(apimo_client.THROTTLE, "wait", keys.append)
    responses.get(LIST, json=envelope([prop(1)]))
    responses.get(f"{BASE}/catalogs/property_type", json=[])
    list(client.property_pages())
    client.catalog("property_type")
    assert keys == ["12", "12"]
