"""Feed syncs on the task workers (issue #18, point 1): one task per sync under the feed's
lock, retried with back-off on an upstream outage only, and "Sync now" queuing a task."""

from __future__ import annotations

import html
import re
import sys
from datetime import timedelta
from unittest import mock

import pytest
import responses
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from showcase.feeds.models import Feed, SyncRun, SyncStatus
from showcase.feeds.tasks import (
    SYNC_RETRIES,
    feed_sync,
    sync_retry_countdown,
)
from showcase.listings.models import Listing
from tests.factories import make_feed, make_listing
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"
FEEDS = reverse("admin:feeds_feed_changelist")


@pytest.fixture(autouse=True)
def _no_http_retries(settings):
    settings.FEEDS_HTTP_RETRIES = 0


def sync(feed: Feed) -> dict:
    """Run the task as a worker would (its request, its retries), in this thread."""
    return feed_sync.apply(args=[feed.pk]).get()


def test_the_sync_task_syncs_the_feed_and_clears_its_queued_mark():
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    Feed.objects.filter(pk=feed.pk).update(sync_queued_at=timezone.now())
    with responses.RequestsMock() as upstream:
        upstream.get(f"{BASE}/agencies", json=envelope([]))
        upstream.get(f"{BASE}/ads", json=envelope([ad(1), ad(2)]))
        result = sync(feed)
    run = SyncRun.objects.get()
    assert result == {"feed": "parc", "status": "success", "run": run.pk}
    assert Listing.objects.filter(feed=feed).count() == 2
    assert Feed.objects.get(pk=feed.pk).sync_queued_at is None


def test_a_task_that_finds_the_feed_locked_does_not_sync_it_a_second_time(caplog):
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() + timedelta(minutes=1))
    with responses.RequestsMock():  # no request may be sent
        result = sync(feed)
    assert result["status"] == "skipped"
    assert "already running" in result["reason"]
    assert not SyncRun.objects.exists()
    assert "skipped" in caplog.text and "already running" in caplog.text


def test_an_upstream_outage_is_retried_with_exponential_back_off():
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    with (
        responses.RequestsMock() as upstream,
        mock.patch.object(feed_sync, "retry", wraps=feed_sync.retry) as retry,
    ):
        upstream.get(re.compile(f"{BASE}/.*"), status=503)
        feed_sync.apply(args=[feed.pk])
    countdowns = [call.kwargs["countdown"] for call in retry.call_args_list]
    assert countdowns == [60, 120, 240, 480]
    # Each attempt is a run of its own, kept failed with its reason; then it gives up.
    runs = SyncRun.objects.filter(feed=feed)
    assert runs.count() == SYNC_RETRIES + 1
    assert set(runs.values_list("status", flat=True)) == {SyncStatus.FAILED}


def test_the_back_off_doubles_from_a_minute():
    assert [sync_retry_countdown(n) for n in range(4)] == [60, 120, 240, 480]


def test_a_held_withdrawal_is_not_retried():
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    for upstream_id in ("1", "2", "3"):
        make_listing(feed=feed, upstream_id=upstream_id)
    with (
        responses.RequestsMock() as upstream,
        mock.patch.object(feed_sync, "retry") as retry,
    ):
        upstream.get(f"{BASE}/agencies", json=envelope([]))
        upstream.get(f"{BASE}/ads", json=envelope([]))
        result = sync(feed)
    retry.assert_not_called()
    assert result["status"] == "held"
    assert SyncRun.objects.get().status == SyncStatus.HELD
    assert Listing.objects.live().filter(feed=feed).count() == 3


@pytest.mark.parametrize(
    "status, why", [(401, "refused credentials"), (404, "a wrong base URL or agency")]
)
def test_a_configuration_error_is_not_retried(status, why):
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    with (
        responses.RequestsMock() as upstream,
        mock.patch.object(feed_sync, "retry") as retry,
    ):
        upstream.get(re.compile(f"{BASE}/.*"), status=status)
        result = sync(feed)
    retry.assert_not_called()
    assert result["status"] == "failed", why
    assert SyncRun.objects.count() == 1


def test_a_feed_removed_before_its_task_ran_is_skipped():
    feed = make_feed(name="parc")
    pk = feed.pk
    feed.delete()
    assert feed_sync.apply(args=[pk]).get()["status"] == "skipped"


# "Sync now" in the admin


@pytest.fixture
def operator(client):
    user = get_user_model().objects.create_superuser("op", "op@example.test", "pw")
    client.force_login(user)
    return user


def act(client, feed) -> str:
    """The page after "Sync now", as read (entities decoded)."""
    response = client.post(
        FEEDS, {"action": "sync_now", "_selected_action": [feed.pk]}, follow=True
    )
    return html.unescape(response.content.decode())


def test_sync_now_queues_a_task_when_a_broker_is_configured(client, operator, settings):
    settings.TASKS_ON_WORKERS = True
    feed = make_feed(name="parc", sync_interval=30)
    with (
        mock.patch.object(feed_sync, "apply_async") as queued,
        mock.patch("showcase.feeds.services.subprocess.Popen") as popen,
    ):
        response = act(client, feed)
    popen.assert_not_called()
    queued.assert_called_once()
    assert queued.call_args.kwargs["args"] == (feed.pk, None)
    assert queued.call_args.kwargs["expires"] == 30 * 60  # replaced by the next one after
    assert "file d'attente" in response
    assert Feed.objects.get(pk=feed.pk).sync_queued_at is not None
    assert not SyncRun.objects.exists()  # nothing ran inside the request
    # The feed list says a worker will start it.
    assert "un worker la lance sous peu" in html.unescape(client.get(FEEDS).content.decode())


def test_sync_now_does_not_queue_a_second_task_while_one_waits(client, operator, settings):
    settings.TASKS_ON_WORKERS = True
    feed = make_feed(name="parc")
    Feed.objects.filter(pk=feed.pk).update(sync_queued_at=timezone.now() - timedelta(minutes=2))
    with mock.patch.object(feed_sync, "apply_async") as queued:
        response = act(client, feed)
    queued.assert_not_called()
    assert "déjà en file d'attente" in response


def test_sync_now_refuses_a_feed_whose_sync_is_running_with_workers_too(client, operator, settings):
    settings.TASKS_ON_WORKERS = True
    feed = make_feed(name="parc")
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() + timedelta(minutes=1))
    with mock.patch.object(feed_sync, "apply_async") as queued:
        response = act(client, feed)
    queued.assert_not_called()
    assert "déjà en cours" in response


def test_sync_now_says_so_when_the_broker_cannot_be_reached(client, operator, settings):
    settings.TASKS_ON_WORKERS = True
    feed = make_feed(name="parc")
    with mock.patch.object(feed_sync, "apply_async", side_effect=ConnectionRefusedError(111)):
        response = act(client, feed)
    assert "n'a pas pu démarrer" in response
    assert Feed.objects.get(pk=feed.pk).sync_queued_at is None  # a later try may queue it


def test_sync_now_without_a_broker_still_starts_a_detached_process(client, operator):
    feed = make_feed(name="parc")
    with (
        mock.patch.object(feed_sync, "apply_async") as queued,
        mock.patch("showcase.feeds.services.subprocess.Popen") as popen,
    ):
        act(client, feed)
    queued.assert_not_called()
    assert popen.call_args.args[0][0] == sys.executable


def test_a_feed_switched_off_while_its_sync_waited_for_a_retry_is_not_retried(caplog):
    from showcase.feeds import tasks

    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    first_attempt = tasks.sync_feed

    def attempt_then_switch_off(feed: Feed, **options):
        run = first_attempt(feed, **options)
        Feed.objects.filter(pk=feed.pk).update(is_active=False)  # the agent, meanwhile
        return run

    with (
        responses.RequestsMock() as upstream,
        mock.patch.object(tasks, "sync_feed", side_effect=attempt_then_switch_off),
    ):
        upstream.get(re.compile(f"{BASE}/.*"), status=503)
        feed_sync.apply(args=[feed.pk])
    assert SyncRun.objects.filter(feed=feed).count() == 1
    assert Feed.objects.get(pk=feed.pk).sync_queued_at is None
    assert "switched off" in caplog.text
