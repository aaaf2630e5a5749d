"""Counters every process shares, kept in the database (the `Counter` table).

Two shapes, written once here: a version number that only grows (bumping it makes every
cache entry keyed on the old number stale at once, in every web worker and command), and
a hit counter over a window of seconds (rate limits, login lockouts).

Why the database and not Django's cache: without REDIS_URL the cache is each process's own
memory, so a bump made by `feeds sync` (or one gunicorn worker) reached no other process
and pages stayed stale for PAGE_CACHE_SECONDS; every deployment has the database. Reads are
one primary-key SELECT; writes are single conditional UPDATEs, atomic on SQLite and
PostgreSQL alike, so concurrent hits are never lost.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone

from showcase.core.models import Counter

_VERSION_SQL = f'SELECT "value" FROM "{Counter._meta.db_table}" WHERE "key" = %s'
_RETRIES = 5  # a create that lost a race is retried as an update; more is a bug


def version_get(name: str) -> int:
    """The current version of `name` (1 when never bumped); versions never expire."""
    # Read on every page view, cached or not: plain SQL costs a fraction of building and
    # compiling a QuerySet (measured: ~40 µs instead of ~200 µs a read on SQLite).
    with connections[router.db_for_read(Counter)].cursor() as cursor:
        cursor.execute(_VERSION_SQL, [f"version:{name}"])
        row = cursor.fetchone()
    return int(row[0]) if row else 1


def version_bump(name: str) -> None:
    """Move `name` to a new version: entries keyed on the old one are never read again."""
    key = f"version:{name}"
    for _ in range(_RETRIES):
        if Counter.objects.filter(key=key).update(value=F("value") + 1):
            return
        try:
            with transaction.atomic():
                Counter.objects.create(key=key, value=2)  # above version_get's default
            return
        except IntegrityError:  # created meanwhile by another process: bump that one
            continue
    raise RuntimeError(f"could not bump version {name!r}")


def hits_count(key: str, period: int) -> int:
    """Count one hit on `key`; return the hits in its current window of `period` seconds
    (the window starts at the first hit after the previous one expired)."""
    for _ in range(_RETRIES):
        now = timezone.now()
        with transaction.atomic():
            live = Counter.objects.filter(key=key, expires_at__gt=now)
            if live.update(value=F("value") + 1):
                # Our UPDATE holds the row until commit: the value read is ours.
                return Counter.objects.values_list("value", flat=True).get(key=key)
            # No live window: restart an expired one (the condition lets one process win).
            restarted = Counter.objects.filter(key=key, expires_at__lte=now).update(
                value=1, expires_at=now + timedelta(seconds=period)
            )
        if restarted:
            return 1
        try:
            with transaction.atomic():
                Counter.objects.create(key=key, value=1, expires_at=now + timedelta(seconds=period))
        except IntegrityError:  # another process started this window first: count in it
            continue
        # A new key: a good moment to drop windows that ended (one indexed DELETE).
        Counter.objects.filter(expires_at__lte=now).delete()
        return 1
    raise RuntimeError(f"could not count a hit on {key!r}")


def hits_get(key: str) -> int:
    """The hits on `key` in its current window, without counting one (0 when none)."""
    found = Counter.objects.filter(key=key, expires_at__gt=timezone.now())
    return next(iter(found.values_list("value", flat=True)), 0)
