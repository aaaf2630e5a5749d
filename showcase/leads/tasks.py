"""Lead tasks for the Celery workers (showcase/celery.py), thin wrappers over the services
that `manage.py leads retry|purge` runs from cron without workers."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from showcase.leads.services import leads_purge, leads_retry


@shared_task(name="leads.retry", ignore_result=True)
def leads_retry_task() -> dict[str, Any]:
    """Queue the notifications that could not be queued, create the due sellers' properties
    on Apimo, send the due lead e-mails (each step claims its rows: runs may overlap)."""
    mail, upstream = leads_retry()
    return {"mail": asdict(mail), "upstream": asdict(upstream)}


@shared_task(name="leads.purge", ignore_result=True)
def leads_purge_task() -> int:
    """Delete the leads older than LEADS_RETENTION_DAYS, and their e-mails."""
    return leads_purge(older_than=timezone.now() - timedelta(days=settings.LEADS_RETENTION_DAYS))
