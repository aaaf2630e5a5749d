from __future__ import annotations

from unittest import mock

import pytest
import responses

from showcase.feeds.models import Feed, SyncStatus
from showcase.feeds.signals import feed_synced
from showcase.feeds.sync import SyncAlreadyRunning, feed_lock, sync_feed
from showcase.listings.models import Agency, Listing, Photo
from tests.factories import make_feed
from tests.feeds.gedeon_payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"


@pytest.fixture
def feed():
    return make_feed(name="parc", base_url=BASE, api_key="k3y")


def serve(ads, *, total=None, agencies=()):
    """Register the upstream pages of `ads` (100 a page) and the agencies list."""
    responses.get(f"{BASE}/agencies", json=envelope(list(agencies)))
    total = len(ads) if total is None else total
    pages = [ads[i : i + 100] for i in range(0, len(ads), 100)] or [[]]
    for page in pages:
        responses.get(f"{BASE}/ads", json=envelope(page, total=total))


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
    serve([ad(1), ad(3)])
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
    serve([ad(1), ad(2, transaction_code="Z", transaction_type="?"), ad(3, price="abc")])
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
    serve([ad(1), ad(2, price="abc")])
    run = sync_feed(feed)
    assert run.withdrawn == 0
    assert Listing.objects.live().count() == 2


@responses.activate
def test_a_withdrawn_listing_that_reappears_comes_back(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)])
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
    Listing.objects.filter(upstream_id="1").update(
        hidden=True, featured=True, display_order=4, internal_note="call owner"
    )
    responses.reset()
    serve([ad(1, price=1)])
    sync_feed(feed)
    listing = Listing.objects.get(upstream_id="1")
    assert listing.price == 1
    assert (listing.hidden, listing.featured, listing.display_order, listing.internal_note) == (
        True,
        True,
        4,
        "call owner",
    )


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
