"""Outbox tasks for the Celery workers (showcase/celery.py), thin wrappers over the
services that `manage.py outbox send|purge` runs from cron without workers."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from showcase.outbox.services import KEEP_DAYS, outbox_purge, outbox_send, outbox_send_one


@shared_task(name="outbox.send", ignore_result=True)
def message_send_task(message_id: int) -> bool | None:
    """Send one queued message now (queued when it was stored or requeued); a failure is
    recorded on it and retried by `outbox.send_due` with the outbox's back-off."""
    return outbox_send_one(message_id=message_id)


@shared_task(name="outbox.send_due", ignore_result=True)
def outbox_send_task() -> dict[str, int]:
    """Send every due message: retries after the back-off, and those whose task was lost."""
    return asdict(outbox_send())


@shared_task(name="outbox.purge", ignore_result=True)
def outbox_purge_task() -> int:
    return outbox_purge(older_than=timezone.now() - timedelta(days=KEEP_DAYS))
