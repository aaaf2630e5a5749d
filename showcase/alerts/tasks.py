"""Alert tasks for the Celery workers (showcase/celery.py), thin wrappers over the services
that `manage.py alerts send|purge` runs from cron without workers."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from showcase.alerts.services import alerts_purge, alerts_send


@shared_task(name="alerts.send", ignore_result=True)
def alerts_send_task() -> dict[str, int]:
    """Queue the digests of the due alerts, then send the due alert e-mails."""
    return asdict(alerts_send())


@shared_task(name="alerts.purge", ignore_result=True)
def alerts_purge_task() -> int:
    """Delete alerts older than LEADS_RETENTION_DAYS and expired confirmation requests."""
    return alerts_purge(older_than=timezone.now() - timedelta(days=settings.LEADS_RETENTION_DAYS))
