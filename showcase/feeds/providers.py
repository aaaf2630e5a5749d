"""Registry of providers: the (client, mapping) pair of each upstream kind."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from showcase.feeds.gedeon import GedeonClient
from showcase.feeds.mapping import gedeon as gedeon_mapping
from showcase.feeds.models import Feed, FeedKind
from showcase.feeds.records import AgencyRecord, ListingRecord, Provider, RawPage, RecordRejected

logger = logging.getLogger(__name__)


class GedeonProvider:
    """Gedeon has no change feed: every sync is a full pass."""

    def __init__(self, feed: Feed) -> None:
        self.client = GedeonClient(feed)

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]:
        return self.client.ad_pages()

    def item_id(self, item: Any) -> str | None:
        return gedeon_mapping.ad_id(item)

    def map_listing(self, item: dict[str, Any]) -> ListingRecord:
        return gedeon_mapping.map_ad(item)

    def agencies(self, feed: Feed) -> Iterator[AgencyRecord]:
        for page in self.client.agency_pages():
            for item in page.items:
                try:
                    yield gedeon_mapping.map_agency(item)
                except RecordRejected as exc:
                    logger.warning("feed %s: agency rejected: %s", feed.name, exc)

    def next_cursor(self) -> str | None:
        return None


PROVIDERS: dict[str, Callable[[Feed], Provider]] = {FeedKind.GEDEON: GedeonProvider}


def register(kind: str, factory: Callable[[Feed], Provider]) -> None:
    PROVIDERS[kind] = factory


def provider_for(feed: Feed) -> Provider:
    try:
        return PROVIDERS[feed.kind](feed)
    except KeyError:
        raise ValueError(f"No provider for feeds of kind {feed.kind!r}.") from None
