"""Feed tasks for the Celery workers (showcase/celery.py): thin wrappers over the sync
engine and the schedule, which cron runs through `manage.py feeds sync` without workers."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from showcase.core.http import UpstreamUnavailable
from showcase.feeds.models import Feed, SyncRun, SyncStatus
from showcase.feeds.schedule import feeds_dispatch_due
from showcase.feeds.sync import SyncAlreadyRunning, sync_feed

logger = logging.getLogger(__name__)

# A sync that failed on an upstream outage is tried again after 1, 2, 4 then 8 minutes
# (each attempt is a run of its own); then the feed waits for its next scheduled sync.
SYNC_RETRIES = 4
SYNC_RETRY_FIRST_SECONDS = 60


def sync_retry_countdown(retries: int) -> int:
    """Seconds before attempt `retries + 2`: 60, 120, 240, 480 (exponential back-off)."""
    return int(SYNC_RETRY_FIRST_SECONDS * 2**retries)


def sync_retryable(run: SyncRun) -> bool:
    """Whether another attempt may cure this run: only a failure of the upstream's network
    or servers (UpstreamUnavailable: time-outs, 429 and 5xx after the HTTP retries). A held
    withdrawal waits for an operator; refused credentials, a wrong base URL, a provider this
    deployment lacks or a crash need a person, not a retry."""
    return run.status == SyncStatus.FAILED and isinstance(run.failure, UpstreamUnavailable)


@shared_task(bind=True, name="feeds.sync", max_retries=SYNC_RETRIES, ignore_result=True)
def feed_sync(self: Task[Any, Any], feed_id: int, full: bool | None = None) -> dict[str, Any]:
    """Sync one feed under its lock (`sync_feed`); returns what happened, also logged:
    {"feed", "status": success|failed|held|skipped, "run": run id, "reason"}.

    A feed whose lock another sync holds is skipped, never synced twice at once."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        logger.info("feed %s: removed before its queued sync started", feed_id)
        return {"feed": feed_id, "status": "skipped", "reason": "no such feed"}
    Feed.objects.filter(pk=feed.pk).update(sync_queued_at=None)
    if self.request.retries and not feed.is_active:
        # Switched off while this sync waited for its retry: the agent's choice wins.
        logger.info("feed %s: switched off before its sync was tried again", feed.name)
        return {"feed": feed.name, "status": "skipped", "reason": "switched off"}
    try:
        run = sync_feed(feed, full=full)
    except SyncAlreadyRunning as exc:
        logger.info("feed %s: skipped, %s", feed.name, exc)
        return {"feed": feed.name, "status": "skipped", "reason": str(exc)}
    result: dict[str, Any] = {"feed": feed.name, "status": str(run.status), "run": run.pk}
    if run.status == SyncStatus.FAILED:
        result["reason"] = run.error
    if sync_retryable(run) and self.request.retries < SYNC_RETRIES:
        countdown = sync_retry_countdown(self.request.retries)
        logger.warning(
            "feed %s: sync failed on an upstream outage, retried in %s s", feed.name, countdown
        )
        # Marked queued meanwhile: the dispatcher and "Sync now" do not add another.
        Feed.objects.filter(pk=feed.pk).update(sync_queued_at=timezone.now())
        raise self.retry(countdown=countdown, exc=run.failure)
    logger.info("feed %s: sync %s (run %s)", feed.name, run.status, run.pk)
    return result


@shared_task(name="feeds.dispatch_due", ignore_result=True)
def feeds_dispatch() -> list[str]:
    """Queue a sync of each feed whose own interval has elapsed (beat, every minute)."""
    return [feed.name for feed in feeds_dispatch_due()]
