"""Apimo feeds through the real sync engine, with the upstream faked by `responses`."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import responses
from django.core.management import call_command
from django.utils import timezone
from responses import matchers

from showcase.feeds.apimo.catalogs import NAMES
from showcase.feeds.models import Feed
from showcase.feeds.sync import sync_feed
from showcase.listings.models import Agency, Listing, Photo
from tests.factories import make_apimo_feed
from tests.feeds.apimo.payloads import AGENCY, envelope, prop

pytestmark = pytest.mark.django_db
BASE = "http://apimo.test"
LIST = f"{BASE}/agencies/182/properties"


@pytest.fixture
def feed():
    return make_apimo_feed(name="nice")


def serve(items, *, since=None, timestamp=1700000000, total=None):
    """The properties answer for one pass (200 a page), and the agency list."""
    responses.get(f"{BASE}/agencies", json={"total_items": 1, "agencies": [AGENCY]})
    total = len(items) if total is None else total
    pages = [items[i : i + 200] for i in range(0, len(items), 200)] or [[]]
    for n, page in enumerate(pages):
        query = {"limit": "200", "offset": str(n * 200)}
        if since:
            query["timestamp"] = since
        responses.get(
            LIST,
            json=envelope(page, total=total, timestamp=timestamp),
            match=[matchers.query_param_matcher(query)],
        )


def live_ids():
    return set(Listing.objects.live().values_list("upstream_id", flat=True))


@responses.activate
def test_a_first_full_pass_imports_listings_agency_and_stores_the_timestamp(feed):
    serve([prop(i) for i in range(1, 251)])
    run = sync_feed(feed)
    feed.refresh_from_db()
    assert (run.status, run.full_pass, run.complete, run.created) == ("success", True, True, 250)
    assert feed.cursor == "1700000000" and feed.last_full_sync_at == run.finished_at
    assert Photo.objects.count() == 750
    listing = Listing.objects.get(upstream_id="1")
    assert listing.agency.name == "Agence Gambetta"
    agency = Agency.objects.get(feed=feed)
    assert agency.rates[0]["category_label"] == "Vente" and len(agency.rates) == 3


@responses.activate
def test_unknown_codes_are_logged_on_the_sync_run(feed):
    serve([prop(1, subtype=999)])
    run = sync_feed(feed)
    assert run.created == 1 and run.rejected == 0
    assert {"id": "1", "catalog": "property_subtype", "code": 999, "reason": "unknown code"} in (
        run.warnings
    )


@responses.activate
def test_an_incremental_pass_reads_changes_since_the_cursor_and_never_withdraws(feed):
    serve([prop(1), prop(2), prop(3)])
    sync_feed(feed)
    responses.reset()
    # Only property 2 changed since the cursor; 1 and 3 are simply not in the answer.
    serve([prop(2, rooms="3.0")], since="1700000000", timestamp=1700000900)
    run = sync_feed(feed)
    feed.refresh_from_db()
    assert not run.full_pass and run.complete
    assert (run.updated, run.withdrawn) == (1, 0)
    assert live_ids() == {"1", "2", "3"}
    assert Listing.objects.get(upstream_id="2").rooms == 3
    assert feed.cursor == "1700000900"


@responses.activate
def test_an_incremental_pass_with_nothing_new_keeps_the_cursor(feed):
    serve([prop(1)])
    sync_feed(feed)
    responses.reset()
    serve([], since="1700000000", timestamp=None)
    run = sync_feed(feed)
    feed.refresh_from_db()
    assert run.status == "success" and feed.cursor == "1700000000"


@responses.activate
def test_a_property_no_longer_public_is_withdrawn_at_once_in_an_incremental_pass(feed):
    serve([prop(1), prop(2)])
    sync_feed(feed)
    responses.reset()
    serve([prop(2, step=2)], since="1700000000")
    run = sync_feed(feed)
    assert run.withdrawn == 1 and live_ids() == {"1"}
    assert Listing.objects.filter(upstream_id="2").exists()  # kept, never deleted


@responses.activate
def test_a_full_pass_withdraws_what_it_did_not_see_after_incremental_ones(feed):
    serve([prop(1), prop(2), prop(3)])
    sync_feed(feed)
    responses.reset()
    serve([prop(3, rooms="4")], since="1700000000")
    assert sync_feed(feed).withdrawn == 0
    responses.reset()
    serve([prop(1), prop(3)])  # property 2 was deleted upstream
    run = sync_feed(feed, full=True)
    assert run.full_pass and run.complete and run.withdrawn == 1
    assert live_ids() == {"1", "3"}


@responses.activate
def test_an_incomplete_full_pass_withdraws_nothing(feed):
    serve([prop(1), prop(2)])
    sync_feed(feed)
    responses.reset()
    serve([prop(1)], total=2)
    # Property 2 moved between pages: the next page comes back empty.
    responses.get(
        LIST,
        json=envelope([], total=2),
        match=[matchers.query_param_matcher({"limit": "200", "offset": "1"})],
    )
    run = sync_feed(feed, full=True)
    assert not run.complete and run.withdrawn == 0 and "nothing was withdrawn" in run.error
    assert live_ids() == {"1", "2"}


@responses.activate
def test_the_full_pass_comes_back_when_the_last_one_is_older_than_the_setting(feed, settings):
    settings.FEEDS_FULL_SYNC_INTERVAL_HOURS = 24
    serve([prop(1), prop(2)])
    sync_feed(feed)
    Feed.objects.filter(pk=feed.pk).update(last_full_sync_at=timezone.now() - timedelta(hours=25))
    feed.refresh_from_db()
    responses.reset()
    serve([prop(1)])  # no timestamp sent: a full pass
    run = sync_feed(feed)
    assert run.full_pass and run.withdrawn == 1 and live_ids() == {"1"}


@responses.activate
def test_the_command_forces_a_full_pass(feed, capsys):
    serve([prop(1), prop(2)])
    sync_feed(feed)
    responses.reset()
    serve([prop(2)])
    call_command("feeds", "sync", "nice", "--full")
    assert "1 withdrawn" in capsys.readouterr().out
    assert live_ids() == {"2"}


@responses.activate
def test_a_403_fails_the_run_with_apimos_message_and_keeps_every_listing(feed):
    serve([prop(1)])
    sync_feed(feed)
    responses.reset()
    responses.get(f"{BASE}/agencies", status=403, json={"error": "Forbidden agency"})
    responses.get(LIST, status=403, json={"error": "You need the scope properties_read"})
    run = sync_feed(feed, full=True)
    assert run.status == "failed" and "You need the scope properties_read" in run.error
    assert "Nothing was withdrawn" in run.error and live_ids() == {"1"}


@responses.activate
def test_catalogs_from_the_endpoint_name_codes_the_snapshot_lacks(feed):
    serve([prop(1)])
    responses.get(
        f"{BASE}/catalogs/property_subtype",
        json=[{"id": 5, "culture": "fr", "name": "Studio", "name_plurial": "Studios"}],
    )
    # The other catalogs are not served to this account: the snapshot stays.
    responses.get(re.compile(f"{BASE}/catalogs/.*"), status=404, json={"error": "Not found"})
    run = sync_feed(feed)
    assert Listing.objects.get(upstream_id="1").property_subtype == "Studio"
    assert not [w for w in run.warnings if w.get("catalog") == "property_subtype"]
    # Cached: the next sync does not ask again.
    calls = len([c for c in responses.calls if "/catalogs/" in c.request.url])
    responses.reset()
    serve([prop(1)], since="1700000000")
    sync_feed(feed)
    assert not [c for c in responses.calls if "/catalogs/" in c.request.url]
    assert calls == len(NAMES)


@responses.activate
def test_an_unknown_code_repeated_on_many_properties_is_logged_once_with_a_count(feed):
    serve([prop(i, subtype=999) for i in range(1, 41)] + [prop(41, condition=88)])
    run = sync_feed(feed)
    subtype = [w for w in run.warnings if w.get("code") == 999]
    assert subtype == [
        {
            "id": "1",
            "catalog": "property_subtype",
            "code": 999,
            "reason": "unknown code",
            "count": 40,
        }
    ]
    assert any(w.get("code") == 88 and w["id"] == "41" for w in run.warnings)


@responses.activate
def test_a_property_published_again_comes_back_in_an_incremental_pass(feed):
    serve([prop(1, step=2), prop(2)])
    run = sync_feed(feed)
    assert run.created == 2 and live_ids() == {"2"}
    responses.reset()
    serve([prop(1, step=1)], since="1700000000")
    sync_feed(feed)
    assert live_ids() == {"1", "2"}
