"""Gedeon as the sync engine drives it, and its declaration for the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from showcase.core.http import UpstreamNotFound
from showcase.feeds.gedeon import mapping
from showcase.feeds.gedeon.client import OFFICIAL_HOSTS, GedeonClient
from showcase.feeds.gedeon.credentials import CREDENTIALS
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


class GedeonProvider:
    """Gedeon has no change feed: every sync is a full pass, read in `ad_id asc` order."""

    ordered_ids = True

    def __init__(self, feed: Feed) -> None:
        self.client = GedeonClient(feed)

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]:
        return self.client.ad_pages()

    def item_id(self, item: Any) -> str | None:
        return mapping.ad_id(item)

    def map_listing(self, item: dict[str, Any]) -> ListingRecord:
        return mapping.map_ad(item)

    def agencies(self, feed: Feed) -> AgencyPass:
        """Every page of GET /agencies; complete when the distinct ids match the total."""
        records = []
        seen: set[str] = set()
        total = 0
        for page in self.client.agency_pages():
            total = page.total
            for item in page.items:
                upstream_id = item.get("id") if isinstance(item, dict) else None
                if upstream_id not in (None, ""):
                    seen.add(str(upstream_id))
                try:
                    records.append(mapping.map_agency(item))
                except RecordRejected as exc:
                    logger.warning("feed %s: agency rejected: %s", feed.name, exc)
        return AgencyPass(records=records, seen=seen, complete=len(seen) == total)

    def confirm_listings(self, feed: Feed, ids: list[str], *, budget: int) -> Confirmation:
        """GET /ads/{id} for each id: 404 → gone; an answer → present (the sync withdraws
        it if it is no longer public, else keeps and updates it)."""
        if len(ids) > budget:
            raise ConfirmationUnavailable(
                f"confirming {len(ids)} ads would take {len(ids)} requests "
                f"(GET /ads/{{id}}), more than the bound of {budget}"
            )
        found = Confirmation()
        strays: list[str] = []
        for ad_id in ids:
            found.requests += 1
            try:
                item = self.client.ad(ad_id)
            except UpstreamNotFound:
                found.gone.add(ad_id)
                continue
            answered = mapping.ad_id(item)
            if answered is not None and answered != ad_id:
                # Another ad than the one asked for: no evidence either way (kept as it is),
                # and never a way in for an ad the list did not give.
                strays.append(f"{ad_id} -> {answered}")
                continue
            found.present.append(item)
        if strays:
            found.note = (
                f"GET /ads/{{id}} answered another ad ({', '.join(strays[:10])}): kept as they are"
            )
        return found

    def confirm_agencies(self, feed: Feed, ids: list[str], *, budget: int) -> Confirmation:
        """GET /agencies/{id} for each id: 404 → gone; an answer → present."""
        if len(ids) > budget:
            raise ConfirmationUnavailable(
                f"confirming {len(ids)} agencies would take {len(ids)} requests "
                f"(GET /agencies/{{id}}), more than the bound of {budget}"
            )
        found = Confirmation()
        for agency_id in ids:
            found.requests += 1
            try:
                item = self.client.agency(agency_id)
            except UpstreamNotFound:
                found.gone.add(agency_id)
                continue
            try:
                record = mapping.map_agency(item)
            except RecordRejected as exc:
                # Listed but unreadable: kept as it is, neither gone nor updated.
                logger.warning("feed %s: agency rejected: %s", feed.name, exc)
                continue
            if record.upstream_id != agency_id:
                # Another agency than the one asked for: kept as it is, nothing created.
                logger.warning(
                    "feed %s: GET /agencies/%s answered agency %s",
                    feed.name,
                    agency_id,
                    record.upstream_id,
                )
                continue
            found.present.append(record)
        return found

    def next_cursor(self) -> str | None:
        return None


PROVIDER = ProviderSpec(
    kind=FeedKind.GEDEON,
    cli_help="A Gedeon feed.",
    credentials=CREDENTIALS,
    official_hosts=OFFICIAL_HOSTS,
    source=GedeonProvider,
)
