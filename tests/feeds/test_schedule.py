"""Each feed's own schedule (issue #18, point 1): an interval edited in the admin, read by the
workers' dispatcher (beat, every minute) and by cron's `feeds sync --due`."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import responses
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from showcase.celery import app
from showcase.feeds.models import Feed, SyncRun
from showcase.feeds.schedule import feed_sync_queue, feeds_dispatch_due, feeds_due
from showcase.feeds.sync import SyncAlreadyRunning
from showcase.feeds.tasks import feed_sync, feeds_dispatch
from tests.factories import make_feed
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"


def started(feed: Feed, minutes_ago: float) -> None:
    SyncRun.objects.create(
        feed=feed, status="success", started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def names(feeds) -> list[str]:
    return [feed.name for feed in feeds]


def test_a_feed_is_due_once_its_interval_has_elapsed_since_its_last_sync_started():
    never = make_feed(name="never")
    recent = make_feed(name="recent", sync_interval=60)
    started(recent, 20)
    late = make_feed(name="late", sync_interval=60)
    started(late, 61)
    frequent = make_feed(name="frequent", sync_interval=15)
    started(frequent, 20)
    # A tick a few seconds early takes it rather than a minute later.
    almost = make_feed(name="almost", sync_interval=60)
    started(almost, 59.8)
    assert names(feeds_due()) == ["almost", "frequent", "late", "never"]
    assert never.sync_interval == 60  # the default


def test_switched_off_running_and_queued_feeds_are_not_due():
    make_feed(name="off", is_active=False)
    make_feed(name="running", locked_until=timezone.now() + timedelta(seconds=30))
    make_feed(name="queued", sync_queued_at=timezone.now() - timedelta(minutes=5))
    # A queued mark older than the interval is a lost task (it expired with it).
    make_feed(name="lost", sync_queued_at=timezone.now() - timedelta(minutes=61))
    make_feed(name="stale-lock", locked_until=timezone.now() - timedelta(seconds=1))
    assert names(feeds_due()) == ["lost", "stale-lock"]


@pytest.mark.parametrize("minutes, valid", [(4, False), (5, True), (10080, True), (10081, False)])
def test_the_interval_stays_within_bounds(minutes, valid):
    feed = make_feed(name="parc", sync_interval=minutes)
    if valid:
        feed.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            feed.full_clean()
        assert "sync_interval" in error.value.message_dict


def test_an_operator_edits_the_interval_in_the_admin(client):
    user = get_user_model().objects.create_superuser("op", "op@example.test", "pw")
    client.force_login(user)
    feed = make_feed(name="parc", base_url="https://api.gedeon.im")
    url = reverse("admin:feeds_feed_change", args=[feed.pk])
    form = {
        "name": "parc",
        "kind": "gedeon",
        "base_url": "https://api.gedeon.im",
        "upstream_agency_id": "",
        "is_active": "on",
    }
    assert client.post(url, {**form, "sync_interval": "3"}).status_code == 200  # refused
    assert Feed.objects.get(pk=feed.pk).sync_interval == 60
    assert client.post(url, {**form, "sync_interval": "15"}).status_code == 302
    assert Feed.objects.get(pk=feed.pk).sync_interval == 15
    assert "15 min" in client.get(reverse("admin:feeds_feed_changelist")).content.decode()


def test_the_dispatcher_queues_one_task_per_due_feed_expiring_with_its_interval():
    due = make_feed(name="due", sync_interval=30)
    started(make_feed(name="fresh"), 5)
    with mock.patch.object(feed_sync, "apply_async") as queued:
        assert feeds_dispatch.apply().get() == ["due"]
    queued.assert_called_once_with(args=(due.pk, None), expires=30 * 60)
    assert Feed.objects.get(pk=due.pk).sync_queued_at is not None
    # Queued: the next tick does not queue it again.
    with mock.patch.object(feed_sync, "apply_async") as queued:
        assert feeds_dispatch_due() == []
    queued.assert_not_called()


def test_two_dispatchers_reading_the_same_feed_queue_it_once():
    feed = make_feed(name="due")
    copy = Feed.objects.get(pk=feed.pk)
    with mock.patch.object(feed_sync, "apply_async") as queued:
        assert feed_sync_queue(feed=feed) is True
        assert feed_sync_queue(feed=copy) is False
    assert queued.call_count == 1


def test_a_feed_whose_task_could_not_be_queued_is_due_again_at_the_next_tick():
    feed = make_feed(name="due")
    with mock.patch.object(feed_sync, "apply_async", side_effect=OSError("down")):
        assert feeds_dispatch_due() == []
    assert Feed.objects.get(pk=feed.pk).sync_queued_at is None
    assert names(feeds_due()) == ["due"]


def test_beat_runs_the_dispatcher_every_minute_and_every_periodic_task_exists():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule["feeds-dispatch-due"]["task"] == "feeds.dispatch_due"
    assert schedule["feeds-dispatch-due"]["schedule"] == timedelta(minutes=1)
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)


def test_cron_syncs_only_the_due_feeds_with_feeds_sync_due():
    make_feed(name="due", base_url=BASE, api_key="k")
    started(make_feed(name="fresh", base_url=BASE, api_key="k"), 5)
    out = StringIO()
    with responses.RequestsMock() as upstream:
        upstream.get(f"{BASE}/agencies", json=envelope([]))
        upstream.get(f"{BASE}/ads", json=envelope([ad(1)]))
        call_command("feeds", "sync", "--due", stdout=out, stderr=StringIO())
    assert "due: success" in out.getvalue()
    assert "fresh" not in out.getvalue()
    out = StringIO()
    call_command("feeds", "sync", "--due", stdout=out)
    assert "No feed is due." in out.getvalue()


def test_feeds_sync_due_names_no_feed():
    make_feed(name="due")
    with pytest.raises(CommandError, match="--due"):
        call_command("feeds", "sync", "due", "--due")


def test_feeds_sync_due_skips_a_feed_whose_sync_started_meanwhile():
    make_feed(name="due")
    out = StringIO()
    with mock.patch(
        "showcase.feeds.management.commands.feeds.sync_feed",
        side_effect=SyncAlreadyRunning("A sync of feed 'due' is already running."),
    ):
        call_command("feeds", "sync", "--due", stdout=out)  # exits 0
    assert "due: skipped" in out.getvalue()


@pytest.mark.parametrize("stored, minutes", [(0, 5), (1, 5), (10**9, 10080)])
def test_an_interval_stored_out_of_bounds_is_read_within_them(stored, minutes):
    # Rows written around the admin's validation (SQL, an old fixture): an interval of 0
    # made a task that expired the moment it was queued, so the feed never synced.
    feed = make_feed(name="odd")
    Feed.objects.filter(pk=feed.pk).update(sync_interval=stored)
    with mock.patch.object(feed_sync, "apply_async") as queued:
        assert names(feeds_dispatch_due()) == ["odd"]
    queued.assert_called_once_with(args=(feed.pk, None), expires=minutes * 60)
    started(feed, minutes - 1)
    Feed.objects.filter(pk=feed.pk).update(sync_queued_at=None)
    assert feeds_due() == []
