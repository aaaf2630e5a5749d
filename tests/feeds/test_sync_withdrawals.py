"""Withdrawals a sync may trust (issue #13): guarded, confirmed upstream, read in order,
for listings and agencies alike. Upstreams faked through the real clients."""

from __future__ import annotations

import io

import pytest
import responses
from django.core.management import call_command
from django.core.management.base import CommandError
from responses import matchers

from showcase.demo.fake_gedeon import FakeGedeon
from showcase.feeds.models import SyncStatus
from showcase.feeds.sync import (
    WithdrawalNotHeld,
    held_run,
    sync_feed,
    withdrawal_confirm,
    withdrawal_hold_reason,
)
from showcase.listings.models import Agency, Listing
from tests.factories import make_apimo_feed, make_feed
from tests.feeds.apimo.payloads import AGENCY, prop
from tests.feeds.apimo.payloads import envelope as apimo_envelope
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"


@pytest.fixture
def feed():
    return make_feed(name="parc", base_url=BASE, api_key="k3y")


def serve(ads, *, total=None, agencies=(), gone=(), listed=None):
    """The pages of `ads` (100 a page), the agencies list, a 404 for GET /ads/{id} of each
    id in `gone`, and the ad itself for each id of `listed` (still online upstream)."""
    responses.get(f"{BASE}/agencies", json=envelope(list(agencies)))
    total = len(ads) if total is None else total
    pages = [ads[i : i + 100] for i in range(0, len(ads), 100)] or [[]]
    for page in pages:
        responses.get(f"{BASE}/ads", json=envelope(page, total=total))
    for ad_id in gone:
        responses.get(f"{BASE}/ads/{ad_id}", status=404, json={"error": {"message": "Not found"}})
    for item in listed or ():
        responses.get(f"{BASE}/ads/{item['id']}", json=item)


def live_ids():
    return set(Listing.objects.live().values_list("upstream_id", flat=True))


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# 1. The mass-withdrawal guard.


@responses.activate
def test_an_empty_answer_withdraws_nothing_and_holds_the_run(feed):
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    # Gedeon answers 200 with an empty list: "complete" (0 ids = 0 announced), yet wrong.
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json={"results": [], "nb_results": 0, "total_results": 0})
    run = sync_feed(feed)
    assert run.status == SyncStatus.HELD and run.withdrawn == 0
    assert "listed no listings while 3 are live" in run.error
    assert run.held_ids["listings"] == ["1", "2", "3"]
    assert live_ids() == {"1", "2", "3"}
    assert not any(c.request.url.startswith(f"{BASE}/ads/") for c in responses.calls)


@responses.activate
def test_a_pass_withdrawing_more_than_the_guard_share_is_held(feed):
    serve([ad(i) for i in range(1, 11)])
    sync_feed(feed)
    responses.reset()
    serve([ad(i) for i in range(1, 7)])  # 4 of 10 gone: 40 % > 30 %
    run = sync_feed(feed)
    assert run.status == "held" and "4 of the 10 live listings (40%)" in run.error
    assert live_ids() == {str(i) for i in range(1, 11)}
    feed.refresh_from_db()
    assert feed.last_full_sync_at is None or feed.last_full_sync_at < run.started_at


@responses.activate
def test_a_withdrawal_within_the_guard_share_goes_ahead(feed, settings):
    settings.FEEDS_WITHDRAWAL_GUARD_FLOOR = 0
    serve([ad(i) for i in range(1, 11)])
    sync_feed(feed)
    responses.reset()
    serve([ad(i) for i in range(1, 8)], gone=[8, 9, 10])  # 30 %: not more than the share
    run = sync_feed(feed)
    assert (run.status, run.withdrawn) == ("success", 3)


def test_the_guard_holds_an_empty_list_a_large_share_and_lets_small_losses_through(settings):
    settings.FEEDS_WITHDRAWAL_GUARD_SHARE = 0.3
    settings.FEEDS_WITHDRAWAL_GUARD_FLOOR = 3
    assert withdrawal_hold_reason(what="listings", unseen=2, live=2, seen=0)
    assert withdrawal_hold_reason(what="listings", unseen=31, live=100, seen=69)
    assert withdrawal_hold_reason(what="listings", unseen=30, live=100, seen=70) is None
    assert withdrawal_hold_reason(what="listings", unseen=3, live=4, seen=1) is None
    assert withdrawal_hold_reason(what="listings", unseen=0, live=4, seen=0) is None


@responses.activate
def test_the_sync_command_exits_non_zero_when_a_withdrawal_is_held(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([])
    with pytest.raises(CommandError, match="held their withdrawal"):
        command("sync", "parc")
    assert live_ids() == {"1", "2"}


@responses.activate
def test_an_operator_confirms_a_held_withdrawal_from_the_command_line(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([])
    held = sync_feed(feed)
    out, _ = command("sync", "parc", "--confirm-withdrawal")
    assert "2 listings withdrawn" in out
    assert live_ids() == set()
    held.refresh_from_db()
    assert held.confirmed_at is not None and held.withdrawn == 2
    with pytest.raises(CommandError, match="no withdrawal to confirm"):
        command("sync", "parc", "--confirm-withdrawal")


@responses.activate
def test_a_later_complete_pass_supersedes_a_hold_and_nothing_held_is_applied(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([])
    assert sync_feed(feed).status == "held"
    responses.reset()
    serve([ad(1), ad(2)])  # the upstream came back
    assert sync_feed(feed).status == "success"
    assert held_run(feed) is None
    with pytest.raises(WithdrawalNotHeld):
        withdrawal_confirm(feed=feed)
    assert live_ids() == {"1", "2"}


@responses.activate
def test_a_held_listing_seen_again_since_is_not_withdrawn_by_the_confirmation(feed):
    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([])
    held = sync_feed(feed)
    # An incremental pass (Apimo) saw ad 2 change after the hold.
    Listing.objects.filter(upstream_id="2").update(last_seen_at=held.finished_at)
    run = withdrawal_confirm(feed=feed)
    assert run.withdrawn == 1 and live_ids() == {"2"}


# 2. Each withdrawal confirmed upstream.


@responses.activate
def test_an_unseen_ad_is_withdrawn_only_when_its_own_page_answers_404(feed):
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(3)], gone=[2])
    run = sync_feed(feed)
    assert run.withdrawn == 1 and live_ids() == {"1", "3"}
    assert [c.request.url.split("?")[0] for c in responses.calls][-1] == f"{BASE}/ads/2"


@responses.activate
def test_an_unseen_ad_still_online_upstream_is_kept_and_updated(feed):
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(3)], listed=[ad(2, price=123456)])
    run = sync_feed(feed)
    assert (run.withdrawn, run.updated) == (0, 1)
    assert Listing.objects.get(upstream_id="2").price == 123456
    assert live_ids() == {"1", "2", "3"}


@responses.activate
def test_confirmations_past_the_bound_hold_the_withdrawal(feed, settings):
    settings.FEEDS_CONFIRMATION_LIMIT = 2
    serve([ad(i) for i in range(1, 11)])
    sync_feed(feed)
    responses.reset()
    serve([ad(i) for i in range(1, 8)])  # 3 unseen, within the share, above the bound
    run = sync_feed(feed)
    assert run.status == "held" and "more than the bound of 2" in run.error
    assert live_ids() == {str(i) for i in range(1, 11)}


@responses.activate
def test_a_failing_confirmation_fails_the_run_and_withdraws_nothing(feed, settings):
    settings.FEEDS_HTTP_RETRIES = 0
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(3)])
    responses.get(f"{BASE}/ads/2", status=500, json={"error": {"message": "oops"}})
    run = sync_feed(feed)
    assert run.status == "failed" and "Nothing was withdrawn" in run.error
    assert live_ids() == {"1", "2", "3"}


def test_a_shifting_list_keeps_the_live_ad_and_withdraws_the_deleted_one_next_time():
    ads = [ad(i) for i in range(1, 151)]

    def shift(fake, offset):
        # After page 1: ad 5 deleted upstream, ad 151 added; offset 100 now starts at 102.
        if offset == 0 and fake.count == 150 and any(a["id"] == 5 for a in fake.ads):
            fake.ads[:] = [a for a in fake.ads if a["id"] != 5] + [ad(151)]

    with FakeGedeon(ads, key="k") as fake:
        feed = make_feed(name="parc", base_url=fake.url, api_key="k")
        assert sync_feed(feed).created == 150
        fake.after_page = shift
        run = sync_feed(feed)
        fake.after_page = None
        # Ad 101 was never read (the list moved), but GET /ads/101 shows it still for sale.
        assert (run.status, run.withdrawn) == ("success", 0)
        assert "101" in live_ids() and "151" in live_ids()
        run = sync_feed(feed)  # the next pass misses ad 5; GET /ads/5 answers 404
        assert run.withdrawn == 1
    assert "5" not in live_ids() and len(live_ids()) == 150


@responses.activate
def test_an_apimo_property_missed_by_both_passes_is_withdrawn():
    feed = make_apimo_feed(name="nice")
    base = f"{feed.base_url}/agencies/182/properties"
    responses.get(f"{feed.base_url}/agencies", json={"total_items": 1, "agencies": [AGENCY]})
    responses.get(base, json=apimo_envelope([prop(1), prop(2), prop(3)], timestamp=1700000000))
    sync_feed(feed)
    responses.reset()
    responses.get(f"{feed.base_url}/agencies", json={"total_items": 1, "agencies": [AGENCY]})
    # First pass misses 2 and 3; the confirming pass lists 3 again (a shifting list).
    responses.get(base, json=apimo_envelope([prop(1)], timestamp=1700000001))
    responses.get(base, json=apimo_envelope([prop(1), prop(3)], timestamp=1700000001))
    run = sync_feed(feed, full=True)
    assert (run.status, run.withdrawn) == ("success", 1)
    assert live_ids() == {"1", "3"}
    assert len([c for c in responses.calls if c.request.url.startswith(base)]) == 2


@responses.activate
def test_an_apimo_confirming_pass_that_is_incomplete_withdraws_nothing():
    feed = make_apimo_feed(name="nice")
    base = f"{feed.base_url}/agencies/182/properties"
    responses.get(f"{feed.base_url}/agencies", json={"total_items": 1, "agencies": [AGENCY]})
    responses.get(base, json=apimo_envelope([prop(1), prop(2)], timestamp=1700000000))
    sync_feed(feed)
    responses.reset()
    responses.get(f"{feed.base_url}/agencies", json={"total_items": 1, "agencies": [AGENCY]})
    responses.get(base, json=apimo_envelope([prop(1)], timestamp=1700000001))
    responses.get(base, json=apimo_envelope([prop(1)], total=2, timestamp=1700000001))
    run = sync_feed(feed, full=True)
    assert run.withdrawn == 0 and live_ids() == {"1", "2"}
    assert any("confirming pass was not complete" in w["reason"] for w in run.warnings)


# 3. Order checked.


@responses.activate
def test_the_client_reads_ads_by_increasing_id(feed):
    serve([ad(1)])
    sync_feed(feed)
    ads_calls = [c for c in responses.calls if c.request.url.split("?")[0] == f"{BASE}/ads"]
    assert matchers.query_param_matcher({"sort": "ad_id asc"}, strict_match=False)(
        ads_calls[0].request
    )[0]


@responses.activate
def test_ids_going_backwards_make_the_pass_inconsistent(feed):
    serve([ad(i) for i in range(1, 151)])
    sync_feed(feed)
    responses.reset()
    responses.get(f"{BASE}/agencies", json=envelope([]))
    # 150 distinct ids as announced, but page 2 starts below page 1's end.
    page_1 = [ad(i) for i in range(1, 101) if i != 60]
    page_2 = [ad(60), *[ad(i) for i in range(101, 150)]]
    responses.get(f"{BASE}/ads", json=envelope(page_1, total=150))
    responses.get(f"{BASE}/ads", json=envelope(page_2, total=150))
    run = sync_feed(feed)
    assert not run.complete and run.withdrawn == 0
    assert "the list changed while it was read" in run.error
    assert any("id 60 came out of order" in w["reason"] for w in run.warnings)
    assert "150" in live_ids()


@responses.activate
def test_an_id_repeated_across_pages_makes_the_pass_inconsistent(feed):
    serve([ad(i) for i in range(1, 4)])
    sync_feed(feed)
    responses.reset()
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope([ad(1), ad(2)], total=4))
    responses.get(f"{BASE}/ads", json=envelope([ad(2), ad(3)], total=4))
    run = sync_feed(feed)
    assert not run.complete and run.withdrawn == 0


def test_the_fake_gedeon_serves_a_given_list_by_id_when_asked():
    import requests

    with FakeGedeon([ad(3), ad(1), ad(2)], key="k") as fake:
        sorted_ids = [
            a["id"]
            for a in requests.get(
                f"{fake.url}/ads", params={"key": "k", "sort": "ad_id asc"}, timeout=5
            ).json()["results"]
        ]
        stored_ids = [
            a["id"]
            for a in requests.get(f"{fake.url}/ads", params={"key": "k"}, timeout=5).json()[
                "results"
            ]
        ]
    assert sorted_ids == [1, 2, 3] and stored_ids == [3, 1, 2]


# 6. Agencies follow the same rules.


def agency(agency_id, name="Agence"):
    return {"id": agency_id, "name": f"{name} {agency_id}", "city": "Nice", "zipcode": "06000"}


@responses.activate
def test_an_agency_no_longer_listed_is_withdrawn_once_upstream_confirms_it(feed):
    serve([ad(1)], agencies=[agency("a1"), agency("a2")])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], agencies=[agency("a1")])
    responses.get(f"{BASE}/agencies/a2", status=404, json={"error": {"message": "Not found"}})
    run = sync_feed(feed)
    assert run.status == "success"
    assert Agency.objects.get(upstream_id="a2").withdrawn_at is not None
    assert Agency.objects.get(upstream_id="a1").withdrawn_at is None


@responses.activate
def test_an_unlisted_agency_still_answering_upstream_is_kept(feed):
    serve([ad(1)], agencies=[agency("a1"), agency("a2")])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], agencies=[agency("a1")])
    responses.get(f"{BASE}/agencies/a2", json=agency("a2", name="Renamed"))
    sync_feed(feed)
    kept = Agency.objects.get(upstream_id="a2")
    assert kept.withdrawn_at is None and kept.name == "Renamed a2"


@responses.activate
def test_an_empty_agencies_list_holds_their_withdrawal(feed):
    agencies = [agency(f"a{i}") for i in range(1, 5)]
    serve([ad(1)], agencies=agencies)
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], agencies=[])
    run = sync_feed(feed)
    assert run.status == "held" and "listed no agencies while" in run.error
    assert set(run.held_ids["agencies"]) == {"a1", "a2", "a3", "a4"}
    assert Agency.objects.filter(feed=feed, withdrawn_at__isnull=True).count() >= 4
    withdrawal_confirm(feed=feed)
    assert not Agency.objects.filter(upstream_id__in=["a1", "a2"], withdrawn_at__isnull=True)


@responses.activate
def test_an_agency_whose_listings_are_seen_stays_even_when_unlisted(feed):
    serve([ad(1)], agencies=[agency("a1")])
    sync_feed(feed)
    named = Listing.objects.get(upstream_id="1").agency
    assert named is not None and named.upstream_id != "a1"
    responses.reset()
    serve([ad(1)], agencies=[agency("a1")])
    run = sync_feed(feed)
    assert run.status == "success"
    named.refresh_from_db()
    assert named.withdrawn_at is None


@responses.activate
def test_a_held_listing_seen_again_unchanged_by_an_incomplete_pass_is_not_withdrawn_on_confirm(
    feed,
):
    ads = [ad(i) for i in range(1, 11)]
    serve(ads)
    sync_feed(feed)
    responses.reset()
    serve(ads[:2])  # 8 of 10 missing: held
    assert sync_feed(feed).status == "held"
    responses.reset()
    serve(ads, total=11)  # all back, unchanged, but the pass is inconsistent
    later = sync_feed(feed)
    assert later.complete is False and held_run(feed) is not None
    run = withdrawal_confirm(feed=feed)
    assert run.withdrawn == 0 and len(live_ids()) == 10


@responses.activate
def test_an_apimo_confirming_pass_whose_total_changes_between_pages_withdraws_nothing():
    feed = make_apimo_feed(name="nice")
    base = f"{feed.base_url}/agencies/182/properties"
    agencies = {"total_items": 1, "agencies": [AGENCY]}
    props = [prop(i) for i in range(1, 251)]
    responses.get(f"{feed.base_url}/agencies", json=agencies)
    responses.get(base, json=apimo_envelope(props[:200], total=250, timestamp=1700000000))
    responses.get(base, json=apimo_envelope(props[200:], total=250, timestamp=1700000000))
    sync_feed(feed)
    assert len(live_ids()) == 250
    responses.reset()
    responses.get(f"{feed.base_url}/agencies", json=agencies)
    # The full pass misses 250; so does the confirming pass, whose list moved between
    # its pages (250 announced, then 249): it proves nothing.
    responses.get(base, json=apimo_envelope(props[:200], total=249, timestamp=1700000001))
    responses.get(base, json=apimo_envelope(props[200:249], total=249, timestamp=1700000001))
    responses.get(base, json=apimo_envelope(props[:200], total=250, timestamp=1700000001))
    responses.get(base, json=apimo_envelope(props[200:249], total=249, timestamp=1700000001))
    run = sync_feed(feed, full=True)
    assert run.withdrawn == 0 and "250" in live_ids()
    assert any("confirming pass was not complete" in w["reason"] for w in run.warnings)


@responses.activate
def test_an_apimo_confirming_pass_that_lists_nothing_confirms_nothing():
    feed = make_apimo_feed(name="nice")
    base = f"{feed.base_url}/agencies/182/properties"
    agencies = {"total_items": 1, "agencies": [AGENCY]}
    responses.get(f"{feed.base_url}/agencies", json=agencies)
    responses.get(base, json=apimo_envelope([prop(1), prop(2), prop(3)], timestamp=1700000000))
    sync_feed(feed)
    responses.reset()
    responses.get(f"{feed.base_url}/agencies", json=agencies)
    responses.get(base, json=apimo_envelope([prop(1), prop(2)], timestamp=1700000001))
    # The full pass listed two properties a moment ago: an empty answer is no evidence.
    responses.get(base, json=apimo_envelope([], total=0, timestamp=1700000001))
    run = sync_feed(feed, full=True)
    assert run.withdrawn == 0 and live_ids() == {"1", "2", "3"}


@responses.activate
def test_a_confirmation_answering_another_ad_neither_withdraws_nor_creates_it(feed):
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(1), ad(2)], listed=[])
    responses.get(f"{BASE}/ads/3", json=ad(99))  # not the ad asked for
    run = sync_feed(feed)
    assert (run.withdrawn, run.created) == (0, 0)
    assert live_ids() == {"1", "2", "3"}
    assert not Listing.objects.filter(upstream_id="99").exists()


@responses.activate
def test_an_agency_confirmation_answering_another_agency_neither_withdraws_nor_creates_it(
    feed,
):
    serve([ad(1)], agencies=[agency("a1"), agency("a2")])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], agencies=[agency("a1")])
    responses.get(f"{BASE}/agencies/a2", json=agency("a7"))  # not the agency asked for
    sync_feed(feed)
    assert Agency.objects.get(upstream_id="a2").withdrawn_at is None
    assert not Agency.objects.filter(upstream_id="a7").exists()


@responses.activate
def test_the_guard_share_is_of_the_listings_live_before_the_pass_not_diluted_by_new_ones(feed):
    serve([ad(i) for i in range(1, 11)])
    sync_feed(feed)
    responses.reset()
    # 4 of the 10 live ads (40 %) vanish while 20 new ones appear.
    serve([ad(i) for i in [*range(1, 7), *range(100, 120)]], gone=range(7, 11))
    run = sync_feed(feed)
    assert run.status == SyncStatus.HELD and "4 of the 10 live listings" in run.error
    assert run.withdrawn == 0 and {"7", "8", "9", "10"} <= live_ids()


@responses.activate
def test_a_small_feed_whose_every_listing_vanishes_behind_other_ads_is_held(feed):
    # A key now reading another agency's account: its ads are listed, ours answer 404.
    serve([ad(1), ad(2), ad(3)])
    sync_feed(feed)
    responses.reset()
    serve([ad(50), ad(51)], gone=[1, 2, 3])
    run = sync_feed(feed)
    assert run.status == SyncStatus.HELD and run.withdrawn == 0
    assert {"1", "2", "3"} <= live_ids()


def test_the_guard_holds_the_loss_of_every_live_item_whatever_the_floor(settings):
    settings.FEEDS_WITHDRAWAL_GUARD_FLOOR = 3
    assert withdrawal_hold_reason(what="listings", unseen=1, live=1, seen=1)
    assert withdrawal_hold_reason(what="listings", unseen=3, live=3, seen=40)
    assert withdrawal_hold_reason(what="listings", unseen=2, live=3, seen=40) is None


@responses.activate
def test_a_pass_that_only_withdraws_an_agency_refreshes_the_cached_pages(feed):
    from showcase.feeds.signals import feed_synced

    serve([ad(1)], agencies=[agency("a1"), agency("a2")])
    sync_feed(feed)
    responses.reset()
    serve([ad(1)], agencies=[agency("a1")])
    responses.get(f"{BASE}/agencies/a2", status=404, json={"error": {"message": "Not found"}})
    synced = []

    def receiver(sender, feed, **kwargs):
        synced.append(feed.pk)

    feed_synced.connect(receiver, dispatch_uid="test-agency-withdrawn")
    try:
        sync_feed(feed)
    finally:
        feed_synced.disconnect(dispatch_uid="test-agency-withdrawn")
    assert Agency.objects.get(upstream_id="a2").withdrawn_at is not None
    assert synced == [feed.pk]


@responses.activate
def test_confirming_while_a_sync_runs_says_so_and_keeps_the_hold(feed):
    from showcase.feeds.sync import feed_lock

    serve([ad(1), ad(2)])
    sync_feed(feed)
    responses.reset()
    serve([])
    sync_feed(feed)
    assert feed_lock(feed) is not None  # a sync is running
    with pytest.raises(CommandError, match="a sync is running"):
        command("sync", "parc", "--confirm-withdrawal")
    assert held_run(feed) is not None and live_ids() == {"1", "2"}
