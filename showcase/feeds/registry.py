"""The providers this deployment knows, by feed kind: one line each.

A new provider is one folder under showcase/feeds/ plus one line below (README,
"Adding a provider"). The command, the admin and the sync engine look providers up
here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from showcase.core.http import base_url_check
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


def base_url_clean(kind: str, url: str) -> str:
    """`url` without its trailing slash if a feed of `kind` may send its credentials there
    (the provider's official host, or one the operator allows); UpstreamHostRefused (a
    ValueError whose message says why, in English) otherwise, and for an unknown kind."""
    spec = PROVIDERS.get(kind)
    if spec is None:
        raise ValueError(f"No provider for feeds of kind {kind!r}.")
    return base_url_check(url, official_hosts=spec.official_hosts)
