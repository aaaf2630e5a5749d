"""Writes on feeds themselves (the `feeds` command and the admin call these)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from showcase.celery import tasks_enabled
from showcase.feeds.models import DEFAULT_BASE_URLS, Feed, FeedKind
from showcase.feeds.registry import missing_credentials


def feed_create(
    *,
    kind: str,
    name: str,
    base_url: str | None = None,
    api_key: str = "",
    provider_id: str = "",
    token: str = "",
    upstream_agency_id: str = "",
) -> Feed:
    """Create a feed after checking every value; raises ValidationError with clear messages."""
    if kind not in FeedKind.values:
        raise ValidationError(
            f"Unknown feed kind {kind!r}; use one of {', '.join(FeedKind.values)}."
        )
    feed = Feed(
        kind=kind,
        name=name,
        base_url=(base_url or DEFAULT_BASE_URLS[FeedKind(kind)]).rstrip("/"),
        api_key=api_key.strip(),
        provider_id=provider_id.strip(),
        token=token.strip(),
        upstream_agency_id=upstream_agency_id.strip(),
    )
    errors: dict[str, str] = {}
    try:
        URLValidator(schemes=["http", "https"])(feed.base_url)
    except ValidationError:
        errors["base_url"] = f"{feed.base_url!r} is not an http(s) URL."
    for credential in missing_credentials(kind, model_to_dict(feed)):
        errors[credential.field] = credential.cli_message
    if errors:
        raise ValidationError(errors)
    feed.full_clean()
    with transaction.atomic():
        feed.save()
    return feed


def sync_start_background(*, feed: Feed) -> subprocess.Popen[bytes] | None:
    """Start the feed's sync outside the request and return at once: queued for the task
    workers when a broker is configured (None), else `manage.py feeds sync <feed>` in a
    detached process (returned).

    The admin's "Sync now" calls this: a sync outlives any web request (gunicorn kills a
    worker after 30 s). The sync writes its progress on its SyncRun at each heartbeat;
    a process's output is dropped, since the run records the result and any error.
    Raises SyncAlreadyRunning when the feed's lock is held (checked again by the sync),
    SyncAlreadyQueued (a SyncAlreadyRunning) when its task waits in the queue, and
    ConnectionError when the broker cannot be reached.
    """
    from showcase.feeds.schedule import feed_sync_request
    from showcase.feeds.sync import SyncAlreadyRunning

    if tasks_enabled():
        feed_sync_request(feed=feed)
        return None
    feed.refresh_from_db(fields=["locked_until"])
    if feed.locked_until is not None and feed.locked_until > timezone.now():
        raise SyncAlreadyRunning(f"A sync of feed '{feed.name}' is already running.")
    manage = Path(settings.BASE_DIR) / "manage.py"
    process = subprocess.Popen(
        [sys.executable, str(manage), "feeds", "sync", feed.name],
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own session: not killed with the web worker that started it.
        start_new_session=True,
    )
    # Reap it when it ends, so that a long-lived web worker keeps no zombie.
    threading.Thread(target=process.wait, name="sync-reaper", daemon=True).start()
    return process
