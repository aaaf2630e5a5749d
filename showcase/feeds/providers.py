"""Registry of providers: the (client, mapping) pair of each upstream kind."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from showcase.feeds.apimo import ApimoClient
from showcase.feeds.gedeon import GedeonClient
from showcase.feeds.mapping import apimo as apimo_mapping
from showcase.feeds.mapping import gedeon as gedeon_mapping
from showcase.feeds.mapping.apimo_catalogs import Catalogs, catalogs_load
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


class ApimoProvider:
    """Apimo reads only what changed since the stored `timestamp` (incremental passes);
    the engine decides when a full pass is due and only a full pass withdraws."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.client = ApimoClient(feed)
        self.catalogs: Catalogs | None = None

    def _catalogs(self) -> Catalogs:
        if self.catalogs is None:
            self.catalogs = catalogs_load(self.client.catalog)
        return self.catalogs

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]:
        self._catalogs()  # before the pages: mapping runs while the next page is read
        return self.client.property_pages(since=since)

    def item_id(self, item: Any) -> str | None:
        return apimo_mapping.property_id(item)

    def map_listing(self, item: dict[str, Any]) -> ListingRecord:
        return apimo_mapping.map_property(
            item, catalogs=self._catalogs(), agency_id=self.feed.upstream_agency_id
        )

    def agencies(self, feed: Feed) -> Iterator[AgencyRecord]:
        catalogs = self._catalogs()
        agency = self.client.agency()
        if agency is None:
            logger.warning(
                "feed %s: agency %s not in /agencies", feed.name, feed.upstream_agency_id
            )
            return
        try:
            yield apimo_mapping.map_agency(agency, catalogs=catalogs)
        except RecordRejected as exc:
            logger.warning("feed %s: agency rejected: %s", feed.name, exc)

    def next_cursor(self) -> str | None:
        """The `timestamp` of this pass, never older than the stored cursor."""
        latest = self.client.pass_timestamp
        current = self.feed.cursor
        if latest is None or (current.isdigit() and int(current) >= int(latest)):
            return None
        return latest


PROVIDERS: dict[str, Callable[[Feed], Provider]] = {
    FeedKind.GEDEON: GedeonProvider,
    FeedKind.APIMO: ApimoProvider,
}


def register(kind: str, factory: Callable[[Feed], Provider]) -> None:
    PROVIDERS[kind] = factory


def provider_for(feed: Feed) -> Provider:
    try:
        return PROVIDERS[feed.kind](feed)
    except KeyError:
        raise ValueError(f"No provider for feeds of kind {feed.kind!r}.") from None
