"""The task engine: Celery on the Redis broker, configured from Django's settings (CELERY_*).

With a broker (`CELERY_BROKER_URL`, by default `REDIS_URL`), feed syncs and e-mails run as
tasks on workers, `celery -A showcase worker`, and one `celery -A showcase beat` queues the
periodic ones below. Without a broker nothing here runs: cron calls the same services through
the management commands (`feeds sync`, `outbox send`, `leads retry`, `alerts send`, ...).
Each task is a thin wrapper over a service; the database stays the source of truth (a task
lost with the broker is caught up by the next periodic run).
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings")

logger = logging.getLogger(__name__)

app = Celery("showcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py (showcase/feeds/tasks.py, ...).
app.autodiscover_tasks()

# What cron does without a broker (README "Running in production"), here for beat.
app.conf.beat_schedule = {
    # Queues a sync of each feed whose own interval (Feed.sync_interval) has elapsed.
    "feeds-dispatch-due": {"task": "feeds.dispatch_due", "schedule": timedelta(minutes=1)},
    # Each e-mail is sent by a task queued when it is stored; this retries the failed ones
    # with the outbox's back-off, and sends what could not be queued (broker down).
    "outbox-send-due": {"task": "outbox.send_due", "schedule": timedelta(minutes=1)},
    # Notifications that could not be queued, sellers' properties created on Apimo.
    "leads-retry": {"task": "leads.retry", "schedule": timedelta(minutes=5)},
    # Saved-search digests: queued when due, sent by the outbox.
    "alerts-send": {"task": "alerts.send", "schedule": timedelta(minutes=15)},
    "leads-purge": {"task": "leads.purge", "schedule": crontab(hour=3, minute=0)},
    "outbox-purge": {"task": "outbox.purge", "schedule": crontab(hour=3, minute=30)},
    "alerts-purge": {"task": "alerts.purge", "schedule": crontab(hour=3, minute=45)},
}


def tasks_enabled() -> bool:
    """True when a broker is configured (settings.TASKS_ON_WORKERS): work is queued for the
    workers, not left to cron."""
    from django.conf import settings

    return bool(getattr(settings, "TASKS_ON_WORKERS", False))


def task_queue(task: Task[Any, Any], *args: Any, **options: Any) -> bool:
    """Queue `task(*args)` now; False (logged) when the broker cannot be reached.

    Never raises: what a task would do is recorded in the database first, and the periodic
    tasks (or cron) do it later if the message is lost. `options` go to `apply_async`.
    """
    try:
        task.apply_async(args=args, **options)
    except Exception:  # noqa: BLE001 - kombu raises its own and the OS's errors
        logger.warning("task %s%r not queued: the broker is unreachable", task.name, args)
        return False
    return True


def task_queue_on_commit(task: Task[Any, Any], *args: Any, **options: Any) -> None:
    """Queue `task(*args)` once the current transaction commits (at once outside one), when
    tasks are enabled; the worker must find the rows the caller has just written."""
    if not tasks_enabled():
        return
    from django.db import transaction

    transaction.on_commit(lambda: task_queue(task, *args, **options))
