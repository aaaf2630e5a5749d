from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from unittest import mock

import pytest
import responses
from django.utils import timezone

from showcase.feeds.models import Feed, SyncStatus
from showcase.feeds.records import AgencyPass, Confirmation, ListingRecord, RawPage
from showcase.feeds.registry import PROVIDERS
from showcase.feeds.signals import feed_synced
from showcase.feeds.sync import (
    SyncAlreadyRunning,
    feed_lock,
    feed_lock_extend,
    feed_unlock,
    sync_feed,
)
from showcase.listings.models import AGENT_FIELDS, Agency, Listing, ListingFlags, Photo
from tests.factories import make_feed
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"


@pytest.fixture
def feed():
    return make_feed(name="parc", base_url=BASE, api_key="k3y")


def serve(ads, *, total=None, agencies=(), gone=()):
    """Register the upstream pages of `ads` (100 a page), the agencies list, and a 404
    for GET /ads/{id} of each id in `gone` (the confirmation of a withdrawal)."""
    responses.get(f"{BASE}/agencies", json=envelope(list(agencies)))
    total = len(ads) if total is None else total
    pages = [ads[i : i + 100] for i in range(0, len(ads), 100)] or [[]]
    for page in pages:
        responses.get(f"{BASE}/ads", json=envelope(page, total=total))
    for ad_id in gone:
        responses.get(f"{BASE}/ads/{ad_id}", status=404, json={"error": {"message": "Not found"}})


@responses.activate
def test_first_sync_creates_listings_photos_and_agencies(feed):
    serve([ad(i) for i in range(1, 151)])
    run = sync_feed(feed)
    assert (run.status, run.complete, run.created, run.rejected) == ("success", True, 150, 0)
    assert Listing.objects.count() == 150
    assert Photo.objects.count() == 300
    listing = Listing.objects.get(upstream_id="1")
    assert listing.agency.name == "Agence du Parc"
    assert Agency.objects.count() == 1


@responses.activate
def test_a_resync_without_changes_rewrites_nothing(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    before = dict(Listing.objects.values_list("upstream_id", "content_hash"))
    photo_ids = set(Photo.objects.values_list("pk", flat=True))
    responses.reset()
    serve([ad(1), ad(2)])
    run = sync_feed(feed)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)
    assert dict(Listing.objects.values_list("upstream_id", "content_hash")) == before
    assert set(Photo.objects.values_list("pk", flat=True)) == photo_ids


@responses.activate
def test_a_changed_ad_is_updated_and_its_photos_replaced(feed):
    serve([ad(1)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1, price=199000, photos=[{"url": "https://photos.example/1/9/large/2"}])])
    run = sync_feed(feed)
    assert run.updated == 1
    listing = Listing.objects.get(upstream_id="1")
    assert listing.price == 199000
    assert list(listing.photos.values_list("url", flat=True)) == [
        "https://photos.example/1/9/large/2"
    ]


@responses.activate
def test_withdraws_unseen_listings_only_after_a_complete_pass(feed):
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(3)], gone=[2])
    run = sync_feed(feed)
    assert run.withdrawn == 1
    gone = Listing.objects.get(upstream_id="2")
    assert gone.withdrawn_at is not None  # kept, never deleted
    assert Listing.objects.live().count() == 2


@responses.activate
def test_an_inconsistent_total_withdraws_nothing(feed):
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], total=3)  # upstream announces 3 but shows one
    run = sync_feed(feed)
    assert run.status == "success" and not run.complete
    assert "nothing was withdrawn" in run.error
    assert Listing.objects.live().count() == 3


@responses.activate
def test_a_page_failing_persistently_fails_the_run_and_keeps_every_listing(feed, settings):
    settings.FEEDS_HTTP_RETRIES = 1
    serve([ad(i) for i in range(1, 201)])
    sync_feed(feed)
    responses.reset()
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope([ad(i) for i in range(1, 101)], total=200))
    responses.get(f"{BASE}/ads", status=500)
    with mock.patch("time.sleep"):
        run = sync_feed(feed)
    assert run.status == SyncStatus.FAILED
    assert "HTTP 500" in run.error and "Nothing was withdrawn" in run.error
    assert Listing.objects.live().count() == 200


@responses.activate
def test_a_bad_record_is_rejected_with_its_reason_and_the_run_goes_on(feed):
    serve(
        [
            ad(1),
            ad(2, transaction_code="Z", transaction_type="?"),
            ad(3, transaction_code="Q", transaction_type="Troc"),
        ]
    )
    run = sync_feed(feed)
    assert (run.status, run.created, run.rejected) == ("success", 1, 2)
    assert {r["id"] for r in run.rejections} == {"2", "3"}
    assert all(r["reason"] for r in run.rejections)
    assert run.complete  # rejected ids still count as seen


@responses.activate
def test_a_listing_whose_new_version_is_rejected_is_kept(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(2, transaction_code="Z", transaction_type="?")])
    run = sync_feed(feed)
    assert run.withdrawn == 0
    assert Listing.objects.live().count() == 2


@responses.activate
def test_a_withdrawn_listing_that_reappears_comes_back(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], gone=[2])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(2)])
    run = sync_feed(feed)
    assert run.updated == 1
    assert Listing.objects.get(upstream_id="2").withdrawn_at is None


@responses.activate
def test_a_sync_never_overwrites_agent_owned_fields(feed):
    serve([ad(1)])
    sync_feed(feed)
    ListingFlags.objects.create(
        listing=Listing.objects.get(upstream_id="1"),
        hidden=True,
        featured=True,
        display_order=4,
        internal_note="call owner",
    )
    responses.reset()
    serve([ad(1, price=1)])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="1")
    assert listing.price == 1
    assert list(listing.flags.values_list(*AGENT_FIELDS)) == [(True, True, 4, "call owner")]


def test_two_syncs_of_one_feed_never_run_at_once(feed):
    assert feed_lock(feed)
    with pytest.raises(SyncAlreadyRunning):
        sync_feed(feed)
    Feed.objects.filter(pk=feed.pk).update(locked_until=None)


@responses.activate
def test_the_lock_is_released_after_a_failed_sync(feed, settings):
    settings.FEEDS_HTTP_RETRIES = 0
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", status=403, json={"error": {"message": "bad key"}})
    run = sync_feed(feed)
    assert run.status == "failed" and "refused the API key" in run.error
    feed.refresh_from_db()
    assert feed.locked_until is None


@responses.activate
def test_agencies_failing_do_not_fail_the_listings(feed):
    responses.get(f"{BASE}/agencies", status=403, json={"error": {"message": "no access"}})
    responses.get(f"{BASE}/ads", json=envelope([ad(1)]))
    run = sync_feed(feed)
    assert run.status == "success" and run.created == 1
    assert any("agencies not read" in w["reason"] for w in run.warnings)


@responses.activate
def test_sends_feed_synced_only_when_something_changed(feed):
    received = []

    def receiver(sender, feed, run, **kwargs):
        received.append(run.pk)

    feed_synced.connect(receiver)
    try:
        serve([ad(1)])
        sync_feed(feed)
        responses.reset()
        serve([ad(1)])
        sync_feed(feed)
    finally:
        feed_synced.disconnect(receiver)
    assert len(received) == 1


@responses.activate
def test_every_mapped_field_is_stored_as_the_mapping_gave_it(feed):
    from showcase.feeds.gedeon.mapping import map_ad

    serve([ad(7)])
    sync_feed(feed)
    record = map_ad(ad(7))
    listing = Listing.objects.get(upstream_id="7")
    stored = {name: getattr(listing, name) for name in record.columns()}
    assert stored == record.columns()
    assert listing.agency.upstream_id == record.agency_upstream_id
    assert not listing.flags.exists() and listing.first_seen_at == listing.last_seen_at


def test_a_stale_lock_expires_and_the_next_sync_takes_it(feed):
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    with responses.RequestsMock() as upstream:
        upstream.get(f"{BASE}/agencies", json=envelope([]))
        upstream.get(f"{BASE}/ads", json=envelope([ad(1)]))
        run = sync_feed(feed)
    assert run.status == "success" and run.created == 1
    feed.refresh_from_db()
    assert feed.locked_until is None


def test_a_sync_whose_lock_was_taken_over_does_not_free_the_new_holder(feed):
    old = feed_lock(feed)
    # The old lock went stale and another sync took the feed over.
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    new = feed_lock(feed)
    assert new is not None and new != old
    feed_unlock(feed, old)
    feed.refresh_from_db()
    assert feed.locked_until == new
    assert feed_lock_extend(feed, old) is None
    assert feed_lock_extend(feed, new) is not None


class ScriptedProvider:
    """A provider of ready-made records, as another upstream (Apimo) would plug in; it
    confirms gone the ids its current pages lack."""

    ordered_ids = False

    def __init__(self, pages, *, cursor="42"):
        self.pages = pages
        self.cursor = cursor
        self.since = []

    def listing_pages(self, feed, *, since):
        self.since.append(since)
        for items in self.pages:
            yield RawPage(items=items, total=sum(len(p) for p in self.pages))

    def item_id(self, item):
        return item["id"]

    def map_listing(self, item):
        return ListingRecord(
            upstream_id=item["id"],
            title=item["title"],
            transaction="sell",
            price=100,
            public=item.get("public", True),
        )

    def agencies(self, feed):
        return AgencyPass(records=[], seen=set(), complete=False)

    def confirm_listings(self, feed, ids, *, budget):
        listed = {item["id"]: item for page in self.pages for item in page}
        return Confirmation(
            gone={i for i in ids if i not in listed},
            present=[listed[i] for i in ids if i in listed],
            requests=len(ids),
        )

    def confirm_agencies(self, feed, ids, *, budget):
        return Confirmation(gone=set(ids), requests=len(ids))

    def next_cursor(self):
        return self.cursor


def plug(monkeypatch, feed, provider):
    """Serve `feed`'s kind with `provider` for the test."""
    spec = dataclasses.replace(PROVIDERS[feed.kind], source=lambda feed: provider)
    monkeypatch.setitem(PROVIDERS, feed.kind, spec)


def test_a_listing_upstream_says_is_not_public_is_withdrawn_at_once(feed, monkeypatch):
    provider = ScriptedProvider([[{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]])
    plug(monkeypatch, feed, provider)
    sync_feed(feed, full=True)
    provider.pages = [[{"id": "a", "title": "A"}, {"id": "b", "title": "B", "public": False}]]
    run = sync_feed(feed, full=False)
    assert (run.withdrawn, run.unchanged) == (1, 1)
    assert Listing.objects.get(upstream_id="b").withdrawn_at is not None
    # Seen again, still not public: stays withdrawn, counted as unchanged.
    run = sync_feed(feed, full=False)
    assert (run.withdrawn, run.unchanged, run.updated) == (0, 2, 0)
    assert Listing.objects.live().count() == 1


def test_a_complete_full_pass_stores_the_cursor_for_incremental_passes(feed, monkeypatch):
    provider = ScriptedProvider([[{"id": "a", "title": "A"}]], cursor="1700000000")
    plug(monkeypatch, feed, provider)
    run = sync_feed(feed)
    feed.refresh_from_db()
    assert run.full_pass and run.complete
    assert feed.cursor == "1700000000" and feed.last_full_sync_at == run.finished_at
    # The next pass is incremental: it asks for changes since the cursor, withdraws nothing.
    provider.pages = [[]]
    run = sync_feed(feed)
    assert not run.full_pass and provider.since == [None, "1700000000"]
    assert run.withdrawn == 0 and Listing.objects.live().count() == 1


def test_a_feed_kind_without_provider_fails_its_run_with_a_clear_message(feed, monkeypatch):
    monkeypatch.delitem(PROVIDERS, feed.kind)
    run = sync_feed(feed)
    assert run.status == "failed" and "No provider for feeds of kind" in run.error
    feed.refresh_from_db()
    assert feed.locked_until is None


@responses.activate
def test_an_ad_without_id_is_rejected_but_does_not_block_withdrawals(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(None)], gone=[2])
    run = sync_feed(feed)
    assert run.rejected == 1 and run.complete
    assert run.withdrawn == 1


def test_the_sync_connection_gets_back_its_sqlite_settings(feed, monkeypatch):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas")
    provider = ScriptedProvider([[{"id": "a", "title": "A"}]])
    plug(monkeypatch, feed, provider)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
    sync_feed(feed)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


def test_the_raw_digest_follows_the_content_not_the_object():
    from showcase.feeds.sync import raw_hash

    assert raw_hash(ad(1)) == raw_hash(json.loads(json.dumps(ad(1))))
    assert raw_hash(ad(1)) != raw_hash(ad(1, price=1))
    assert raw_hash({"price": 1}) != raw_hash({"price": 1.0}) != raw_hash({"price": "1"})


@responses.activate
def test_unchanged_listings_refresh_last_seen_only_when_it_is_stale(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    old = timezone.now() - timedelta(days=1)
    Listing.objects.filter(upstream_id="1").update(last_seen_at=old)
    recent = Listing.objects.get(upstream_id="2").last_seen_at
    responses.reset()
    serve([ad(1), ad(2)])
    run = sync_feed(feed)
    assert (run.unchanged, run.withdrawn) == (2, 0)
    assert Listing.objects.get(upstream_id="1").last_seen_at > old
    assert Listing.objects.get(upstream_id="2").last_seen_at == recent


def test_a_sync_that_lost_its_lock_stops_and_leaves_the_new_holder_alone(
    feed, monkeypatch, settings
):
    from showcase.feeds import sync

    provider = ScriptedProvider([[{"id": "a", "title": "A"}], [{"id": "b", "title": "B"}]])
    plug(monkeypatch, feed, provider)
    settings.FEEDS_LOCK_HEARTBEAT_SECONDS = 0
    monkeypatch.setattr(sync, "feed_lock_extend", lambda feed, token: None)
    run = sync_feed(feed, full=True)
    assert run.status == "failed" and "taken over by another sync" in run.error
    assert run.withdrawn == 0
    feed.refresh_from_db()
    assert feed.locked_until is not None  # not ours to free any more
