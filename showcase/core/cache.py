"""Counters kept in Django's default cache (Redis in production, shared by every worker).

Two shapes, written once here: a version number that only grows (bumping it makes every
cache entry keyed on the old number stale at once), and a hit counter over a window of
seconds (rate limits, login lockouts).
"""

from __future__ import annotations

from django.core.cache import cache


def version_get(name: str) -> int:
    """The current version of `name` (1 when never bumped); never expires."""
    key = f"version:{name}"
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, None)
        version = cache.get(key, 1)
    return int(version)


def version_bump(name: str) -> None:
    """Move `name` to a new version: entries keyed on the old one are never read again."""
    key = f"version:{name}"
    try:
        cache.incr(key)
    except ValueError:  # never read, or evicted: any number above the default will do
        cache.set(key, 2, None)


def hits_count(key: str, period: int) -> int:
    """Count one hit on `key` and return the hits in the current window of `period` s."""
    cache.add(key, 0, period)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        return 1
