"""The Feed fields a Gedeon feed needs: its API key, sent as `key` on every call."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from showcase.feeds.providers import Credential

CREDENTIALS = (
    Credential(
        field="api_key",
        option="--key",
        help="The Gedeon API key.",
        cli_message="A Gedeon feed needs its API key (--key).",
        admin_message=_("A Gedeon feed needs its API key."),
    ),
)
