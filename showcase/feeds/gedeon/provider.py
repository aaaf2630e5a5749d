"""Gedeon as the sync engine drives it, and its declaration for the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from showcase.feeds.gedeon import mapping
from showcase.feeds.gedeon.client import OFFICIAL_HOSTS, GedeonClient
from showcase.feeds.gedeon.credentials import CREDENTIALS
from showcase.feeds.models import Feed, FeedKind
from showcase.feeds.providers import ProviderSpec
from showcase.feeds.records import AgencyRecord, ListingRecord, RawPage, RecordRejected

logger = logging.getLogger(__name__)


class GedeonProvider:
    """Gedeon has no change feed: every sync is a full pass."""

    def __init__(self, feed: Feed) -> None:
        self.client = GedeonClient(feed)

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]:
        return self.client.ad_pages()

    def item_id(self, item: Any) -> str | None:
        return mapping.ad_id(item)

    def map_listing(self, item: dict[str, Any]) -> ListingRecord:
        return mapping.map_ad(item)

    def agencies(self, feed: Feed) -> Iterator[AgencyRecord]:
        for page in self.client.agency_pages():
            for item in page.items:
                try:
                    yield mapping.map_agency(item)
                except RecordRejected as exc:
                    logger.warning("feed %s: agency rejected: %s", feed.name, exc)

    def next_cursor(self) -> str | None:
        return None


PROVIDER = ProviderSpec(
    kind=FeedKind.GEDEON,
    cli_help="A Gedeon feed.",
    credentials=CREDENTIALS,
    official_hosts=OFFICIAL_HOSTS,
    source=GedeonProvider,
)
