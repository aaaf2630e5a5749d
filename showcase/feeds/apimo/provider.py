"""Apimo as the sync engine drives it, and its declaration for the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from showcase.feeds.apimo import mapping as apimo_mapping
from showcase.feeds.apimo.admin_actions import ApimoPanel
from showcase.feeds.apimo.catalogs import Catalogs, catalogs_load
from showcase.feeds.apimo.client import OFFICIAL_HOSTS, ApimoClient
from showcase.feeds.apimo.credentials import CREDENTIALS
from showcase.feeds.models import Feed, FeedKind
from showcase.feeds.providers import ProviderSpec
from showcase.feeds.records import AgencyRecord, ListingRecord, RawPage, RecordRejected

logger = logging.getLogger(__name__)


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

    def mapping_fingerprint(self) -> str:
        """What the mapping depends on besides the item: the catalog labels of this sync.

        The sync engine mixes it into each listing's digest (showcase/feeds/sync.py
        `raw_hash`), so a change of labels maps every listing again.
        """
        return f"apimo-catalogs:{self._catalogs().fingerprint}"

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


PROVIDER = ProviderSpec(
    kind=FeedKind.APIMO,
    cli_help="An Apimo feed.",
    credentials=CREDENTIALS,
    official_hosts=OFFICIAL_HOSTS,
    source=ApimoProvider,
    listing_panel=ApimoPanel(),
)
