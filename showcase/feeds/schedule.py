"""Each feed's own schedule (`Feed.sync_interval`): which feeds are due, and queuing their
syncs on the task workers (the beat's dispatcher, the admin's "Sync now")."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from showcase.celery import task_queue
from showcase.feeds.models import SYNC_INTERVAL_MAX, SYNC_INTERVAL_MIN, Feed, SyncRun
from showcase.feeds.sync import SyncAlreadyRunning

logger = logging.getLogger(__name__)

# The dispatcher runs every minute: a feed due a few seconds after a tick is taken at that
# tick rather than a whole minute later (an hourly feed stays hourly, not 61 minutes).
DISPATCH_SLACK = timedelta(seconds=30)


class SyncAlreadyQueued(SyncAlreadyRunning):
    """A sync task of this feed waits in the queue: a second one would only wait behind it."""


def interval_of(minutes: int) -> timedelta:
    """A stored interval (minutes) as the schedule reads it: within the admin's bounds, so a
    row written around them (SQL, an old fixture) neither queues a task that expires at once
    (0) nor waits for centuries."""
    return timedelta(minutes=min(max(minutes, SYNC_INTERVAL_MIN), SYNC_INTERVAL_MAX))


def sync_interval(feed: Feed) -> timedelta:
    return interval_of(feed.sync_interval)


def queued_recently(feed: Feed, now: datetime) -> bool:
    """A sync task of `feed` is in the queue (or waits for a retry). A mark older than the
    feed's interval is a lost task (its message expires with it, see feed_sync_queue)."""
    queued = feed.sync_queued_at
    return queued is not None and now - queued < sync_interval(feed)


def feeds_due(*, now: datetime | None = None) -> list[Feed]:
    """The active feeds whose interval has elapsed since their last sync started (or that
    never synced), that no sync holds and whose sync is not already queued.

    One query for the candidates: the last start of each feed is read from the
    (feed, -started_at) index of its runs."""
    now = now or timezone.now()
    last_start = (
        SyncRun.objects.filter(feed=OuterRef("pk")).order_by("-started_at").values("started_at")[:1]
    )
    candidates = (
        Feed.objects.filter(is_active=True)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .annotate(last_started_at=Subquery(last_start))
        .values_list("pk", "sync_interval", "sync_queued_at", "last_started_at")
    )
    due: list[int] = []
    for pk, minutes, queued_at, started_at in candidates:
        interval = interval_of(minutes)
        if queued_at is not None and now - queued_at < interval:
            continue
        if started_at is not None and now - started_at + DISPATCH_SLACK < interval:
            continue
        due.append(pk)
    return list(Feed.objects.filter(pk__in=due).order_by("name"))


def feed_sync_queue(*, feed: Feed, now: datetime | None = None, full: bool | None = None) -> bool:
    """Queue a sync task of `feed` for the workers; False when another dispatcher queued it
    first or the broker cannot be reached (logged).

    The feed is marked queued by a compare-and-set on the mark this process read, so that
    two dispatchers (two beats started by mistake) queue one task. The task expires after
    the feed's interval: a worker never starts a sync that the next one replaces."""
    from showcase.feeds.tasks import feed_sync

    now = now or timezone.now()
    claimed = Feed.objects.filter(pk=feed.pk, sync_queued_at=feed.sync_queued_at).update(
        sync_queued_at=now
    )
    if not claimed:
        return False
    feed.sync_queued_at = now
    expires = sync_interval(feed).total_seconds()
    if not task_queue(feed_sync, feed.pk, full, expires=expires):
        Feed.objects.filter(pk=feed.pk, sync_queued_at=now).update(sync_queued_at=None)
        feed.sync_queued_at = None
        return False
    return True


def feeds_dispatch_due(*, now: datetime | None = None) -> list[Feed]:
    """Queue a sync of every due feed (`feeds_due`); returns the feeds queued."""
    now = now or timezone.now()
    queued = [feed for feed in feeds_due(now=now) if feed_sync_queue(feed=feed, now=now)]
    if queued:
        logger.info("sync queued for %s", ", ".join(feed.name for feed in queued))
    return queued


def feed_sync_request(*, feed: Feed, now: datetime | None = None) -> None:
    """ "Sync now" on the workers: queue the feed's sync at once, whatever its schedule.

    Raises SyncAlreadyRunning while a sync holds the feed, SyncAlreadyQueued while one waits
    in the queue, ConnectionError when the broker cannot be reached."""
    now = now or timezone.now()
    feed.refresh_from_db(fields=["locked_until", "sync_queued_at"])
    if feed.locked_until is not None and feed.locked_until > now:
        raise SyncAlreadyRunning(f"A sync of feed '{feed.name}' is already running.")
    if queued_recently(feed, now):
        raise SyncAlreadyQueued(f"A sync of feed '{feed.name}' is already queued.")
    if not feed_sync_queue(feed=feed, now=now):
        feed.refresh_from_db(fields=["sync_queued_at"])
        if queued_recently(feed, now):
            raise SyncAlreadyQueued(f"A sync of feed '{feed.name}' is already queued.")
        raise ConnectionError("the task queue cannot be reached")
