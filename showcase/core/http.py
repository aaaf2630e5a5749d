"""The one HTTP seam: every upstream call goes through a session built here.

Timeouts, User-Agent and retries (429/5xx with back-off, honouring Retry-After)
are set once; failures become one exception family with a clear message.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
# An upstream asking us to come back in an hour must not stall a sync that long.
MAX_RETRY_AFTER_SECONDS = 120


class BoundedRetry(Retry):
    """urllib3's Retry, with the upstream's Retry-After honoured up to a bound."""

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER_SECONDS)


class UpstreamError(Exception):
    """An upstream API call failed; `str()` is a message for a human, `detail` the
    upstream's own explanation when it gave one (e.g. Apimo's missing scope)."""

    def __init__(
        self, message: str, *, status: int | None = None, feed: str = "", detail: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.feed = feed
        self.detail = detail


class UpstreamAuthError(UpstreamError):
    """The upstream refused our credentials (401/403): retrying will not help."""


class UpstreamNotFound(UpstreamError):
    """The upstream answered 404."""


class UpstreamUnavailable(UpstreamError):
    """Network failure, time-out, or 429/5xx still failing after the retries."""


class UpstreamBadResponse(UpstreamError):
    """The upstream answered, but not with the JSON its documentation promises."""


def build_session(
    *, auth: tuple[str, str] | None = None, retries: int | None = None
) -> requests.Session:
    total = settings.FEEDS_HTTP_RETRIES if retries is None else retries
    retry = BoundedRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=0.5,
        backoff_max=30,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # we only retry idempotent reads; writes pass retries=0
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=4)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.FEEDS_USER_AGENT
    session.headers["Accept"] = "application/json"
    if auth is not None:
        session.auth = auth
    return session


def upstream_message(response: requests.Response) -> str:
    """The upstream's own explanation, from `{"error": {"message": ...}}` or similar."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip()
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
        for key in ("message", "detail"):
            if body.get(key):
                return str(body[key])
    return ""


def request_json(
    session: requests.Session,
    method: str,
    url: str,
    *,
    provider: str,
    feed_name: str,
    params: dict[str, Any] | None = None,
    json: Any = None,
    credential: str = "credentials",
) -> Any:
    """Call the upstream and return its decoded JSON, or raise an UpstreamError."""
    timeout = settings.FEEDS_HTTP_TIMEOUT
    where = f"{provider} feed '{feed_name}'"
    try:
        response = session.request(method, url, params=params, json=json, timeout=timeout)
    except requests.Timeout as exc:
        raise UpstreamUnavailable(
            f"{where}: {provider} did not answer in time ({exc}).", feed=feed_name
        ) from exc
    except requests.RequestException as exc:
        # urllib3 raises MaxRetryError wrapped in requests' ConnectionError / RetryError.
        raise UpstreamUnavailable(
            f"{where}: {provider} could not be reached ({exc}).", feed=feed_name
        ) from exc

    status = response.status_code
    if status in (401, 403):
        detail = upstream_message(response)
        raise UpstreamAuthError(
            f"{provider} refused the {credential} of feed '{feed_name}' (HTTP {status})"
            + (f": {detail}" if detail else "."),
            status=status,
            feed=feed_name,
            detail=detail,
        )
    if status == 404:
        raise UpstreamNotFound(
            f"{where}: {url} not found (HTTP 404).", status=status, feed=feed_name
        )
    if status in RETRY_STATUSES:
        raise UpstreamUnavailable(
            f"{where}: {provider} kept failing (HTTP {status}) after retries.",
            status=status,
            feed=feed_name,
        )
    if status >= 400:
        detail = upstream_message(response)
        raise UpstreamError(
            f"{where}: {provider} answered HTTP {status}" + (f": {detail}" if detail else "."),
            status=status,
            feed=feed_name,
            detail=detail,
        )
    if status == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise UpstreamBadResponse(
            f"{where}: {provider} answered something that is not JSON (HTTP {status}).",
            status=status,
            feed=feed_name,
        ) from exc


def request_raw(
    session: requests.Session,
    url: str,
    *,
    provider: str,
    feed_name: str,
    params: dict[str, Any] | None = None,
) -> tuple[bytes, str]:
    """GET a non-JSON resource (an image): its bytes and content type, or an UpstreamError."""
    timeout = (2, 5)
    try:
        response = session.get(url, params=params, timeout=timeout)
    except requests.RequestException as exc:
        raise UpstreamUnavailable(f"{provider} could not be reached ({exc}).") from exc
    if response.status_code != 200:
        raise UpstreamError(
            f"{provider} answered HTTP {response.status_code}.", status=response.status_code
        )
    return response.content, response.headers.get("Content-Type", "")
