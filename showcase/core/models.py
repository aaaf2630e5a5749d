"""Numbers every process shares, kept in the database (see showcase/core/cache.py)."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    """One shared number: a version that only grows (`expires_at` None, kept for ever), or
    the hits of a time window (rate limits, login lockouts; deleted once expired).

    In the database rather than Django's cache: without Redis that cache lives in each
    process's memory, so a change made by `feeds sync` or by one web worker went unseen by
    the others. Django's DatabaseCache would be shared, but its `incr` reads then writes
    (concurrent hits are lost) and it culls entries past MAX_ENTRIES, versions included.
    """

    key = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
