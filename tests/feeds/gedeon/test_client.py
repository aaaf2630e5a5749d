from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
import responses
from responses import matchers

from showcase.core.http import (
    MAX_RETRY_AFTER_SECONDS,
    UpstreamAuthError,
    UpstreamBadResponse,
    UpstreamUnavailable,
)
from showcase.feeds.gedeon.client import GedeonClient
from tests.factories import make_feed
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test/api/v1"


@pytest.fixture
def feed():
    return make_feed(name="parc", base_url=BASE, api_key="k3y")


@responses.activate
def test_pages_through_every_ad_with_key_sold_and_price_info_on_every_call(feed):
    for offset, ids in ((0, range(100)), (100, range(100, 150))):
        responses.get(
            f"{BASE}/ads",
            match=[
                matchers.query_param_matcher(
                    {
                        "key": "k3y",
                        "limit": "100",
                        "offset": str(offset),
                        "sort": "ad_id asc",
                        "transaction": "sell,rent,holidays,viager,program,sold",
                        "priceInfo": "html",
                    }
                )
            ],
            json=envelope([ad(i) for i in ids], total=150),
        )
    pages = list(GedeonClient(feed).ad_pages())
    assert [len(p.items) for p in pages] == [100, 50]
    assert len(responses.calls) == 2


@responses.activate
def test_stops_on_an_empty_page_even_if_the_total_says_more(feed):
    responses.get(f"{BASE}/ads", json=envelope([ad(1)], total=5))
    responses.get(f"{BASE}/ads", json=envelope([], total=5))
    assert [len(p.items) for p in GedeonClient(feed).ad_pages()] == [1, 0]


@responses.activate
def test_a_refused_key_is_a_clear_auth_error_and_is_not_retried(feed):
    responses.get(f"{BASE}/ads", status=403, json={"error": {"message": "Invalid key"}})
    with pytest.raises(UpstreamAuthError) as caught:
        list(GedeonClient(feed).ad_pages())
    assert str(caught.value) == "Gedeon refused the API key of feed 'parc' (HTTP 403): Invalid key"
    assert (caught.value.status, caught.value.feed) == (403, "parc")
    assert len(responses.calls) == 1


@responses.activate
def test_retries_a_503_then_succeeds(feed, settings):
    responses.get(f"{BASE}/ads", status=503)
    responses.get(f"{BASE}/ads", json=envelope([ad(1)]))
    with mock.patch("time.sleep"):
        pages = list(GedeonClient(feed).ad_pages())
    assert len(pages[0].items) == 1
    assert len(responses.calls) == 2


@pytest.mark.parametrize(
    ("retry_after", "slept"), [("7", 7.0), ("86400", float(MAX_RETRY_AFTER_SECONDS))]
)
def test_honours_retry_after_on_429_from_a_real_server_up_to_a_bound(retry_after, slept):
    # `responses` bypasses urllib3's sleeping, so this one talks to a local server.
    page = json.dumps(envelope([ad(1)])).encode()
    answers = [(429, {"Retry-After": retry_after}, b"{}"), (200, {}, page)]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, headers, body = answers.pop(0)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feed = make_feed(base_url=f"http://127.0.0.1:{server.server_port}")
        with mock.patch("urllib3.util.retry.time.sleep") as sleep:
            pages = list(GedeonClient(feed).ad_pages())
    finally:
        server.shutdown()
    assert len(pages[0].items) == 1
    assert [call.args[0] for call in sleep.call_args_list] == [slept]


@responses.activate
def test_a_persistent_5xx_becomes_upstream_unavailable(feed, settings):
    settings.FEEDS_HTTP_RETRIES = 2
    responses.get(f"{BASE}/ads", status=502)
    with mock.patch("time.sleep"), pytest.raises(UpstreamUnavailable, match="HTTP 502"):
        list(GedeonClient(feed).ad_pages())
    assert len(responses.calls) == 3


@responses.activate
def test_an_answer_that_is_not_the_documented_envelope_is_a_bad_response(feed):
    responses.get(f"{BASE}/ads", body="<html>oops</html>")
    with pytest.raises(UpstreamBadResponse, match="not JSON"):
        list(GedeonClient(feed).ad_pages())
    responses.replace(responses.GET, f"{BASE}/ads", json={"items": []})
    with pytest.raises(UpstreamBadResponse, match="no `results`"):
        list(GedeonClient(feed).ad_pages())


@responses.activate
def test_single_ad_and_agency_calls_carry_the_key(feed):
    responses.get(
        f"{BASE}/ads/7",
        match=[matchers.query_param_matcher({"key": "k3y", "priceInfo": "html"})],
        json=ad(7),
    )
    responses.get(
        f"{BASE}/agencies/A1",
        match=[matchers.query_param_matcher({"key": "k3y"})],
        json={"id": "A1"},
    )
    client = GedeonClient(feed)
    assert client.ad("7")["id"] == 7
    assert client.agency("A1")["id"] == "A1"
