"""Gedeon API client (docs/upstreams/gedeon.md). HTTP only: returns decoded JSON.

The key goes in the `key` query parameter of every call. Lists are paged
(`limit` at most 100, `offset`) in a stable order (`sort=ad_id asc`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

from showcase.core.http import build_session, request_json
from showcase.feeds.models import Feed
from showcase.feeds.records import RawPage

# The only host the key is sent to unless the operator allows another
# (settings.FEEDS_EXTRA_ALLOWED_HOSTS; showcase.core.http.base_url_check).
OFFICIAL_HOSTS = ("api.gedeon.im",)
PAGE_SIZE = 100
# Every transaction, sold included: without `transaction` Gedeon leaves sold ads out.
ALL_TRANSACTIONS = "sell,rent,holidays,viager,program,sold"


class GedeonClient:
    """Reads ads and agencies of one Gedeon feed."""

    provider = "Gedeon"

    def __init__(self, feed: Feed, *, session: requests.Session | None = None) -> None:
        self.feed = feed
        self.base_url = feed.base_url.rstrip("/")
        self.session = session or build_session()

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        query = {"key": self.feed.api_key, **(params or {})}
        return request_json(
            self.session,
            "GET",
            f"{self.base_url}/{path.lstrip('/')}",
            params=query,
            provider=self.provider,
            feed_name=self.feed.name,
            credential="API key",
            official_hosts=OFFICIAL_HOSTS,
            secrets=(self.feed.api_key,),
        )

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[RawPage]:
        """Spec "Pagination": limit ≤ 100 and offset until total_results."""
        offset = 0
        while True:
            body = self._get(path, {**params, "limit": PAGE_SIZE, "offset": offset})
            page = RawPage.from_envelope(
                body, items="results", total="total_results", where=f"Gedeon {path} offset {offset}"
            )
            yield page
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return

    def ad_pages(self) -> Iterator[RawPage]:
        """GET /ads, every transaction, with `priceInfo` (spec "Ads", "priceInfo")."""
        return self._pages(
            "ads", {"transaction": ALL_TRANSACTIONS, "priceInfo": "html", "sort": "ad_id asc"}
        )

    def agency_pages(self) -> Iterator[RawPage]:
        """GET /agencies (spec "Agencies")."""
        return self._pages("agencies", {"sort": "id asc"})

    def ad(self, ad_id: str) -> dict[str, Any]:
        """GET /ads/{id}."""
        return self._get(f"ads/{ad_id}", {"priceInfo": "html"})

    def agency(self, agency_id: str) -> dict[str, Any]:
        """GET /agencies/{id}."""
        return self._get(f"agencies/{agency_id}")
