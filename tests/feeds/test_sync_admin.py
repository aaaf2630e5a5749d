"""The feeds admin around syncs (issue #13): "Sync now" in the background, progress,
held withdrawals and their confirmation."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from showcase.feeds.models import Feed, SyncRun, SyncStatus
from showcase.listings.models import Listing
from showcase.tenants.models import Tenant
from tests.factories import make_feed, make_listing

pytestmark = pytest.mark.django_db
FEEDS = reverse("admin:feeds_feed_changelist")


@pytest.fixture
def operator(client):
    user = get_user_model().objects.create_superuser("op", "op@example.test", "pw")
    client.force_login(user)
    return user


def act(client, action, feed):
    return client.post(FEEDS, {"action": action, "_selected_action": [feed.pk]}, follow=True)


def held_feed():
    feed = make_feed(name="parc")
    for upstream_id in ("1", "2"):
        make_listing(feed=feed, upstream_id=upstream_id)
    Listing.objects.update(last_seen_at=timezone.now() - timedelta(hours=1))
    SyncRun.objects.create(
        feed=feed,
        status=SyncStatus.HELD,
        complete=True,
        finished_at=timezone.now(),
        error="Withdrawal held: the upstream listed no listings while 2 are live.",
        held_ids={"listings": ["1", "2"], "agencies": []},
    )
    return feed


def test_sync_now_starts_a_detached_sync_process_and_returns_at_once(client, operator):
    feed = make_feed(name="parc")
    with mock.patch("showcase.feeds.services.subprocess.Popen") as popen:
        response = act(client, "sync_now", feed)
    args, kwargs = popen.call_args
    assert args[0] == [sys.executable, str(Path(args[0][1])), "feeds", "sync", "parc"]
    assert args[0][1].endswith("manage.py")
    assert kwargs["start_new_session"] is True
    assert "arrière-plan" in response.content.decode()
    assert not SyncRun.objects.exists()  # nothing ran inside the request


def test_sync_now_refuses_a_feed_whose_sync_is_running(client, operator):
    feed = make_feed(name="parc")
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() + timedelta(minutes=1))
    with mock.patch("showcase.feeds.services.subprocess.Popen") as popen:
        response = act(client, "sync_now", feed)
    popen.assert_not_called()
    assert "déjà en cours" in response.content.decode()


def test_the_feed_list_shows_a_running_sync_and_its_progress(client, operator):
    feed = make_feed(name="parc")
    SyncRun.objects.create(feed=feed, seen=120, announced=500, heartbeat_at=timezone.now())
    body = client.get(FEEDS).content.decode()
    assert "en cours" in body and "120 lues sur 500" in body


def test_a_held_withdrawal_shows_a_notice_on_the_feed_list_and_page(client, operator):
    feed = held_feed()
    listing_page = client.get(FEEDS).content.decode()
    assert "Retrait retenu" in listing_page and "2 annonces" in listing_page
    change = reverse("admin:feeds_feed_change", args=[feed.pk])
    assert "Retrait retenu" in client.get(change).content.decode()


def test_an_operator_confirms_a_held_withdrawal_in_the_admin(client, operator):
    feed = held_feed()
    response = act(client, "confirm_withdrawal", feed)
    assert "retrait confirmé, 2 annonces retirées" in response.content.decode()
    assert not Listing.objects.live().exists()
    assert "Retrait retenu" not in client.get(FEEDS).content.decode()


def test_confirming_a_feed_without_a_held_withdrawal_says_so(client, operator):
    feed = make_feed(name="parc")
    make_listing(feed=feed, upstream_id="1")
    response = act(client, "confirm_withdrawal", feed)
    assert "aucun retrait retenu" in response.content.decode()
    assert Listing.objects.live().count() == 1


def test_the_sync_run_page_shows_progress_and_what_is_held(client, operator):
    feed = held_feed()
    run = SyncRun.objects.get(feed=feed)
    body = client.get(reverse("admin:feeds_syncrun_change", args=[run.pk])).content.decode()
    assert "Retrait retenu" in body and "avancement" in body.lower()


def test_a_run_whose_process_died_shows_it_has_stopped(client, operator, settings):
    settings.FEEDS_LOCK_HEARTBEAT_SECONDS = 20
    feed = make_feed(name="parc")
    SyncRun.objects.create(
        feed=feed,
        started_at=timezone.now() - timedelta(minutes=10),
        heartbeat_at=timezone.now() - timedelta(minutes=5),
    )
    body = client.get(FEEDS).content.decode()
    assert "aucun signe de vie depuis" in body


def test_an_agent_cannot_confirm_a_held_withdrawal_of_their_own_feed(client):
    feed = held_feed()
    tenant = Tenant.objects.create(name="Agence du Parc", slug="parc")
    tenant.feeds.add(feed)
    agent = get_user_model().objects.create_user("alice", "alice@example.test", "pw", is_staff=True)
    tenant.agents.add(agent)
    client.force_login(agent)
    listing = client.get(FEEDS).content.decode()
    assert 'value="sync_now"' in listing
    assert 'value="confirm_withdrawal"' not in listing
    act(client, "confirm_withdrawal", feed)
    assert Listing.objects.filter(withdrawn_at__isnull=True).count() == 2


def test_a_held_withdrawal_notice_gives_the_runs_own_reason(client, operator):
    feed = held_feed()
    SyncRun.objects.filter(feed=feed).update(
        error="Withdrawal held: confirming 250 ads would take 250 requests (GET /ads/{id}), "
        "more than the bound of 200. Nothing was withdrawn. If these 2 listings and 0 "
        "agencies are really gone, confirm the withdrawal."
    )
    page = client.get(FEEDS).content.decode()
    assert "Retrait retenu" in page and "more than the bound of 200" in page
    # Not a mass loss: the notice must not claim one.
    assert "plus qu'une synchronisation ne peut en retirer seule" not in page
