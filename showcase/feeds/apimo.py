"""Apimo API client (specs/apimo-api.txt). HTTP only: returns decoded JSON.

Basic auth `provider:token` on every call; at most 10 requests per second per
provider account (upstream-facts.md), reads retried on 429/5xx with back-off,
writes never retried (a repeated POST could create a second picture).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from showcase.feeds.http import build_session, request_json
from showcase.feeds.models import Feed

MAX_REQUESTS_PER_SECOND = 10


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

    @property
    def agency_path(self) -> str:
        return f"agencies/{self.feed.upstream_agency_id}"

    def property_path(self, property_id: str | int) -> str:
        return f"{self.agency_path}/properties/{property_id}"

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
        )

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
