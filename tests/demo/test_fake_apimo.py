from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

from showcase.demo.apimo_data import AGENCY_ID, generate_properties
from showcase.demo.fake_apimo import FakeApimo
from showcase.feeds.models import Feed
from showcase.listings.models import Listing

AUTH = "Basic " + base64.b64encode(b"p:t").decode()


def get(url: str, auth: str | None = AUTH) -> tuple[int, object]:
    request = urllib.request.Request(url, headers={"Authorization": auth} if auth else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_fake_pages_by_200_filters_by_timestamp_and_needs_basic_auth():
    with FakeApimo(count=250, provider="p", token="t") as fake:
        base = f"{fake.url}/agencies/{AGENCY_ID}/properties"
        assert get(f"{base}?limit=500", auth=None)[0] == 401
        status, body = get(f"{base}?limit=500&offset=0")
        assert status == 200 and body["total_items"] == 250 and len(body["properties"]) == 200
        newest = body["timestamp"]
        status, body = get(f"{base}?timestamp={newest}")
        assert body["total_items"] == 0 and body["properties"] == []
        assert get(f"{fake.url}/agencies/1/properties")[0] == 403
        status, catalog = get(f"{fake.url}/catalogs/property_type?culture=fr")
        assert {"id": 1, "culture": "fr", "name": "Appartement", "name_plurial": "Appartement"} in (
            catalog
        )
        assert get(f"{fake.url}/catalogs/nope")[0] == 404


@pytest.mark.django_db
def test_an_apimo_feed_syncs_over_http_then_incrementally():
    with FakeApimo(count=30, provider="p", token="t") as fake:
        call_command(
            "feeds",
            "add",
            "apimo",
            "--name",
            "riviera",
            "--provider",
            "p",
            "--token",
            "t",
            "--agency",
            str(AGENCY_ID),
            "--base-url",
            fake.url,
            stdout=io.StringIO(),
        )
        out = io.StringIO()
        call_command("feeds", "sync", "riviera", stdout=out)
        assert "30 created" in out.getvalue()
        feed = Feed.objects.get(name="riviera")
        assert feed.cursor and feed.last_full_sync_at
        # One property changes upstream; the next pass reads it alone and withdraws nothing.
        changed = fake.properties[3]
        changed["updated_at"] = "2027-01-01 10:00:00"
        changed["rooms"] = "9.0"
        del fake.properties[5]
        out = io.StringIO()
        call_command("feeds", "sync", "riviera", stdout=out)
        assert "0 created / 1 updated / 0 unchanged / 0 withdrawn" in out.getvalue()
        assert Listing.objects.get(upstream_id=str(changed["id"])).rooms == 9
        assert Listing.objects.live().count() == 30
        out = io.StringIO()
        call_command("feeds", "sync", "riviera", "--full", stdout=out)
        assert "1 withdrawn" in out.getvalue()
    assert not any("owner-" in str(v) for v in Listing.objects.values_list("extras", "contact"))


def test_demo_properties_are_the_same_for_a_seed():
    one = generate_properties(5, base_url="http://x")
    assert one == generate_properties(5, base_url="http://x")
    assert {p["category"] for p in generate_properties(60, base_url="http://x")} >= {1, 2}


@pytest.mark.django_db
def test_reads_answered_429_or_503_are_retried_with_back_off(settings):
    from showcase.feeds.sync import sync_feed
    from tests.factories import make_apimo_feed

    settings.FEEDS_HTTP_RETRIES = 2
    with FakeApimo(count=3, provider="p", token="t") as fake:
        feed = make_apimo_feed(base_url=fake.url, provider_id="p", token="t")
        feed.upstream_agency_id = str(AGENCY_ID)
        feed.save()
        fake.faults = [429, 503]
        run = sync_feed(feed)
        assert run.status == "success" and run.created == 3
        listing_calls = [c for c in fake.calls if c.split("?")[0].endswith("/properties")]
        assert len(listing_calls) == 3 and fake.faults == []
        fake.faults = [503] * 10
        run = sync_feed(feed, full=True)
        assert run.status == "failed" and "HTTP 503" in run.error
    assert Listing.objects.live().count() == 3
