"""Apimo as the sync engine drives it, and its declaration for the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from showcase.feeds.apimo import mapping as apimo_mapping
from showcase.feeds.apimo.admin_actions import ApimoPanel
from showcase.feeds.apimo.catalogs import Catalogs, catalogs_load
from showcase.feeds.apimo.client import OFFICIAL_HOSTS, PAGE_SIZE, ApimoClient
from showcase.feeds.apimo.credentials import CREDENTIALS
from showcase.feeds.models import Feed, FeedKind
from showcase.feeds.providers import ProviderSpec
from showcase.feeds.records import (
    AgencyPass,
    Confirmation,
    ConfirmationUnavailable,
    ListingRecord,
    RawPage,
    RecordRejected,
)

logger = logging.getLogger(__name__)


class ApimoProvider:
    """Apimo reads only what changed since the stored `timestamp` (incremental passes);
    the engine decides when a full pass is due and only a full pass withdraws.

    Apimo has no single-property read: a property a full pass missed is confirmed gone
    by a second complete pass that misses it too."""

    # The properties list documents no order.
    ordered_ids = False

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.client = ApimoClient(feed)
        self.catalogs: Catalogs | None = None
        self.announced = 0

    def _catalogs(self) -> Catalogs:
        if self.catalogs is None:
            self.catalogs = catalogs_load(self.client.catalog)
        return self.catalogs

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]:
        self._catalogs()  # before the pages: mapping runs while the next page is read
        return self._counted(self.client.property_pages(since=since))

    def _counted(self, pages: Iterator[RawPage]) -> Iterator[RawPage]:
        """Pass the pages on, keeping the announced total (it sizes a confirming pass)."""
        for page in pages:
            self.announced = page.total
            yield page

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

    def agencies(self, feed: Feed) -> AgencyPass:
        """The feed's one agency, from GET /agencies (one complete read of the list)."""
        catalogs = self._catalogs()
        agency = self.client.agency()
        if agency is None:
            logger.warning(
                "feed %s: agency %s not in /agencies", feed.name, feed.upstream_agency_id
            )
            return AgencyPass(records=[], seen=set(), complete=True)
        seen = {str(feed.upstream_agency_id)}
        try:
            records = [apimo_mapping.map_agency(agency, catalogs=catalogs)]
        except RecordRejected as exc:
            logger.warning("feed %s: agency rejected: %s", feed.name, exc)
            records = []
        return AgencyPass(records=records, seen=seen, complete=True)

    def confirm_listings(self, feed: Feed, ids: list[str], *, budget: int) -> Confirmation:
        """A second complete full pass: ids it misses too are gone, those it lists present.

        Costs one request a page of 200; raises ConfirmationUnavailable past `budget`."""
        pages = max(1, -(-self.announced // PAGE_SIZE))
        if pages > budget:
            raise ConfirmationUnavailable(
                f"confirming by a second pass would take {pages} requests, "
                f"more than the bound of {budget}"
            )
        wanted = set(ids)
        found = Confirmation()
        seen: set[str] = set()
        total = 0
        totals: set[int] = set()  # more than one: the list moved between the pages
        anonymous = 0  # items without an id: counted in the total, never in the ids
        cursor = self.client.pass_timestamp  # the first pass's: the cursor to keep
        try:
            for page in self.client.property_pages(since=None):
                found.requests += 1
                totals.add(page.total)
                total = page.total
                for item in page.items:
                    upstream_id = self.item_id(item)
                    if upstream_id is None:
                        anonymous += 1
                        continue
                    seen.add(upstream_id)
                    if upstream_id in wanted:
                        found.present.append(item)
        finally:
            self.client.pass_timestamp = cursor
        # An empty list, after a full pass that listed properties, is no evidence either.
        if not seen or len(seen) + anonymous != total or len(totals) > 1:
            announced = "/".join(str(t) for t in sorted(totals)) or "0"
            found.note = (
                f"the confirming pass was not complete ({len(seen)} ids, {announced} announced): "
                "the missing properties are kept until a later pass"
            )
            return found
        found.gone = wanted - seen
        return found

    def confirm_agencies(self, feed: Feed, ids: list[str], *, budget: int) -> Confirmation:
        """A second read of GET /agencies: the feed's agency is its only one."""
        if budget < 1:
            raise ConfirmationUnavailable("confirming would take 1 request, above the bound")
        agencies = self.agencies(feed)
        found = Confirmation(requests=1)
        found.gone = set(ids) - agencies.seen
        found.present = [r for r in agencies.records if r.upstream_id in ids]
        return found

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
