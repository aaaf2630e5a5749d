"""A confirmation upstream that answers anything but a 404 or the ad never withdraws."""

from __future__ import annotations

import pytest
import requests
import responses

from showcase.feeds.sync import sync_feed
from showcase.listings.models import Listing
from tests.factories import make_feed
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"


def serve(ads):
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope(ads, total=len(ads)))


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500, "json": {"error": "boom"}},
        {"status": 503, "body": "<html>maintenance</html>"},
        {"status": 200, "body": "<html>not json</html>"},
        {"status": 401, "json": {"error": "bad key"}},
        {"status": 403, "json": {"error": "forbidden"}},
        {"status": 302, "headers": {"Location": "http://gedeon.test/login"}},
        {"status": 429, "json": {"error": "slow down"}},
        {"body": requests.exceptions.ReadTimeout("timed out")},
        {"body": requests.exceptions.ConnectionError("refused")},
        {"status": 200, "json": None},
        {"status": 200, "json": []},
        {"status": 200, "json": {}},
        {"status": 200, "json": {"error": {"message": "Not found"}}},
    ],
)
@responses.activate
def test_a_confirmation_that_is_not_a_404_never_withdraws(answer, settings):
    settings.FEEDS_HTTP_RETRIES = 0
    feed = make_feed(name="parc", base_url=BASE, api_key="k3y")
    serve([ad(1), ad(2), ad(3), ad(4)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(2), ad(3)])
    responses.get(f"{BASE}/ads/4", **answer)
    run = sync_feed(feed)
    assert run.withdrawn == 0
    assert Listing.objects.live().filter(upstream_id="4").exists(), run.error
