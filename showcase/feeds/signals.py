"""Signals other apps listen to (page cache, alerts)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a sync that created, updated or withdrew something: kwargs feed, run.
feed_synced = Signal()
