"""`delivery_recorded(sender=Message, message=...)`: sent after each attempt is recorded,
so the app that queued the message keeps its own status truthful (a lead's notification)."""

from __future__ import annotations

from django.dispatch import Signal

delivery_recorded = Signal()
