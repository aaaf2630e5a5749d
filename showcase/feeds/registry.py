"""The providers this deployment knows, by feed kind: one line each.

A new provider is one folder under showcase/feeds/ plus one line below (README,
"Adding a provider"). The command, the admin and the sync engine look providers up
here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from showcase.feeds.apimo.provider import PROVIDER as APIMO
from showcase.feeds.gedeon.provider import PROVIDER as GEDEON
from showcase.feeds.models import Feed
from showcase.feeds.providers import Credential, ProviderSpec
from showcase.feeds.records import Provider

# In the order the command lists them.
PROVIDERS: dict[str, ProviderSpec] = {spec.kind: spec for spec in (GEDEON, APIMO)}


def provider_for(feed: Feed) -> Provider:
    """The sync adapter of `feed`; ValueError when no provider serves its kind."""
    try:
        spec = PROVIDERS[feed.kind]
    except KeyError:
        raise ValueError(f"No provider for feeds of kind {feed.kind!r}.") from None
    return spec.source(feed)


def missing_credentials(kind: str, values: Mapping[str, Any]) -> list[Credential]:
    """The credentials a feed of `kind` needs and `values` leaves empty; none for an
    unknown kind (its callers refuse the kind itself)."""
    spec = PROVIDERS.get(kind)
    return spec.missing_credentials(values) if spec else []
