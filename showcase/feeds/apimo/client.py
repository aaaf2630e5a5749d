"""Apimo API client (docs/upstreams/apimo.md). HTTP only: returns decoded JSON.

Basic auth `provider:token` on every call; at most 10 requests per second per
provider account (docs/upstreams/apimo.md, "Throttling and retries"), reads retried on 429/5xx with back-off,
writes never retried (a repeated POST could create a second picture).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import requests

from showcase.core.http import UpstreamBadResponse, build_session, request_json
from showcase.feeds.models import Feed
from showcase.feeds.records import RawPage

# The only host the provider id and token go to unless the operator allows another
# (settings.FEEDS_EXTRA_ALLOWED_HOSTS; showcase.core.http.base_url_check).
OFFICIAL_HOSTS = ("api.apimo.pro",)
MAX_REQUESTS_PER_SECOND = 10
# Spec "Retrieve the properties list": limit at most 200.
PAGE_SIZE = 200


class Throttle:
    """Spaces calls sharing one key (a provider account) at least `interval` apart."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_at.get(key, now))
            self._next_at[key] = start + self.interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)


# One per process: every client of the same provider account shares the budget.
THROTTLE = Throttle(MAX_REQUESTS_PER_SECOND)


class ApimoClient:
    """Calls of one Apimo feed (provider id, token, agency id)."""

    provider = "Apimo"

    def __init__(
        self,
        feed: Feed,
        *,
        session: requests.Session | None = None,
        write_session: requests.Session | None = None,
    ) -> None:
        self.feed = feed
        self.base_url = feed.base_url.rstrip("/")
        auth = (feed.provider_id, feed.token)
        self.session = session or build_session(auth=auth)
        self.write_session = write_session or build_session(auth=auth, retries=0)
        # The `timestamp` answered when the last pass began: the next cursor.
        self.pass_timestamp: str | None = None

    @property
    def agency_path(self) -> str:
        # Quoted: an id is one path segment, never a way to another agency's path.
        return f"agencies/{quote(str(self.feed.upstream_agency_id), safe='')}"

    def property_path(self, property_id: str | int) -> str:
        return f"{self.agency_path}/properties/{quote(str(property_id), safe='')}"

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        THROTTLE.wait(self.feed.provider_id)
        session = self.session if method == "GET" else self.write_session
        return request_json(
            session,
            method,
            f"{self.base_url}/{path.lstrip('/')}",
            params=params,
            json=json,
            provider=self.provider,
            feed_name=self.feed.name,
            credential="provider id and token",
            official_hosts=OFFICIAL_HOSTS,
            secrets=(self.feed.token,),
        )

    # Read endpoints; the sync engine calls these through ApimoProvider.

    def property_pages(self, *, since: str | None = None) -> Iterator[RawPage]:
        """GET /agencies/{agency}/properties, `limit`=200 pages by `offset` until
        `total_items`; with `since`, only the properties changed after that timestamp.

        The first page's `timestamp` (the most recent item when the pass began) is the
        cursor to send next time, read once the pass is complete. Not the newest of all
        pages: a property changed on a page already read, while later pages were read,
        has an older timestamp than those pages and would never be read again.
        """
        self.pass_timestamp = None
        offset = 0
        while True:
            params: dict[str, Any] = {"limit": PAGE_SIZE, "offset": offset}
            if since:
                params["timestamp"] = since
            body = self._call("GET", f"{self.agency_path}/properties", params=params)
            page = RawPage.from_envelope(
                body, items="properties", total="total_items", where=f"Apimo offset {offset}"
            )
            if offset == 0:
                self.pass_timestamp = _timestamp(body.get("timestamp"))
            yield page
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return

    def agency(self) -> dict[str, Any] | None:
        """The feed's agency object, from GET /agencies (docs/upstreams/apimo.md, "Agencies")."""
        body = self._call("GET", "agencies")
        items = body.get("agencies") if isinstance(body, dict) else body
        if not isinstance(items, list):
            raise UpstreamBadResponse(f"Apimo feed '{self.feed.name}': /agencies has no list.")
        wanted = str(self.feed.upstream_agency_id)
        return next((a for a in items if isinstance(a, dict) and str(a.get("id")) == wanted), None)

    def catalog(self, name: str, *, culture: str = "fr") -> list[Any]:
        """GET /catalogs/{name}?culture=fr → [{id, culture, name, name_plurial}]."""
        body = self._call("GET", f"catalogs/{name}", params={"culture": culture})
        if not isinstance(body, list):
            raise UpstreamBadResponse(
                f"Apimo feed '{self.feed.name}': catalog {name} is not a list."
            )
        return body

    # Write endpoints (spec "Agencies/properties"); the admin calls these.

    def create_property(self, data: dict[str, Any]) -> dict[str, Any]:
        """POST /agencies/{agency}/properties → {"id", "created_at", "updated_at"}."""
        return self._call("POST", f"{self.agency_path}/properties", json=data) or {}

    def add_media(
        self, property_id: str | int, *, media_type: int, content: str, reference: str
    ) -> dict[str, Any]:
        """POST …/medias: a video, virtual tour or HTML embed → {"id"}."""
        body = {"reference": reference, "type": str(media_type), "content": content}
        return self._call("POST", f"{self.property_path(property_id)}/medias", json=body) or {}

    def delete_media(self, property_id: str | int, media_id: str | int) -> dict[str, Any]:
        """DELETE …/medias/{media_id} → {"success": true}."""
        return self._call("DELETE", f"{self.property_path(property_id)}/medias/{media_id}") or {}

    def add_picture(
        self, property_id: str | int, *, content_base64: str, reference: str
    ) -> dict[str, Any]:
        """POST …/pictures with base64 content → {"id", "rank", "url", "width_max", ...}."""
        body = {"reference": reference, "content": content_base64}
        return self._call("POST", f"{self.property_path(property_id)}/pictures", json=body) or {}

    def delete_picture(self, property_id: str | int, picture_id: str | int) -> dict[str, Any]:
        """DELETE …/pictures/{picture_id} → {"success": true}."""
        return (
            self._call("DELETE", f"{self.property_path(property_id)}/pictures/{picture_id}") or {}
        )

    def property_providers(self, property_id: str | int) -> Any:
        """GET …/providers: the providers with access to the property and their step."""
        return self._call("GET", f"{self.property_path(property_id)}/providers")

    def set_provider_access(
        self, property_id: str | int, *, provider: str | int, active: bool
    ) -> dict[str, Any]:
        """POST …/providers with step 1 (grant) or 2 (revoke)."""
        body = {"provider": str(provider), "step": "1" if active else "2"}
        return self._call("POST", f"{self.property_path(property_id)}/providers", json=body) or {}


def _timestamp(value: Any) -> str | None:
    """A positive UNIX timestamp as digits, or None (absent, 0, null, not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    text = str(value).strip()
    # ASCII digits only ("²" and "١" are digits to str.isdigit), and a UNIX timestamp's
    # length at most: the cursor is sent back as is and stored in 50 characters.
    if not (text.isascii() and text.isdigit() and len(text) <= 20):
        return None
    return text if int(text) > 0 else None
