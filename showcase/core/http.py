"""The one HTTP seam: every upstream call goes through a session built here.

Timeouts, User-Agent and retries (429/5xx with back-off, honouring Retry-After)
are set once; failures become one exception family with a clear message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

MASK = "••••"
# Query parameters that carry a credential (Gedeon's `key`), and URL user-info
# (`//provider:token@host`): masked in every message, whatever produced it.
_SECRET_PARAM = re.compile(
    r"(?i)\b((?:api_?)?key|token|password|secret|access_token)=[^&\s'\"<>)]+"
)
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"<>]+@")
# Literal secrets shorter than this are not searched for in free text: a 2-letter "token"
# would mask half of every message and protects nothing anyway.
_MIN_LITERAL_SECRET = 4
# The loggers of the HTTP stack, whose debug and retry lines quote request URLs.
_HTTP_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.poolmanager")
# The longest upstream explanation quoted in a message (characters).
MAX_DETAIL_CHARS = 200

RETRY_STATUSES = (429, 500, 502, 503, 504)
# The most bytes read of a non-JSON resource fetched on a visitor's request (an SVG label).
MAX_RAW_BYTES = 512 * 1024
# An upstream asking us to come back in an hour must not stall a sync that long.
MAX_RETRY_AFTER_SECONDS = 120


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with credentials replaced by "••••": `key=`/`token=`-like query parameters,
    user-info in URLs, and each of `secrets` (the feed's own credentials) wherever it appears.
    """
    for secret in sorted({s for s in secrets if s and len(s) >= _MIN_LITERAL_SECRET}, key=len)[
        ::-1
    ]:
        text = text.replace(secret, MASK)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}={MASK}", text)
    return _URL_USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", text)


class RedactingFilter(logging.Filter):
    """Masks credentials (see `redact`) in a log record's message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call is the handler's to report
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_redaction() -> None:
    """Mask credentials in the HTTP stack's own log lines (urllib3 logs request URLs,
    Gedeon's `key` included). Filters on these loggers act where records are made, so
    every handler (console, files, test capture) receives masked lines. Idempotent."""
    for name in _HTTP_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())


class UpstreamHostRefused(ValueError):
    """A base URL the deployment may not send credentials to; `str()` says why."""


def _origin(scheme: str, host: str, port: int | None) -> tuple[str, str, int]:
    return scheme, host.rstrip(".").lower(), port or (443 if scheme == "https" else 80)


def _allowed_entry(entry: str) -> tuple[str, str, int | None] | None:
    """An operator's FEEDS_EXTRA_ALLOWED_HOSTS entry as (scheme, host, port or None for any
    port): "host" and "host:port" mean https; "http://host[:port]" allows plain http."""
    text = entry.strip()
    if not text:
        return None
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.rstrip(".").lower(), parts.port


def base_url_check(url: str, *, official_hosts: Collection[str]) -> str:
    """`url` without a trailing slash if credentials may be sent there: https on one of
    `official_hosts` (the provider's own API host, default port), or an origin the operator
    allows in settings.FEEDS_EXTRA_ALLOWED_HOSTS. Raises UpstreamHostRefused otherwise, and
    for user-info, a query, a fragment or a URL that parsers read differently."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
        ours = parse_url(text)
    except (ValueError, LocationParseError) as exc:
        raise UpstreamHostRefused(f"{text!r} is not a valid URL.") from exc
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise UpstreamHostRefused(f"{text!r} is not an http(s) URL.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UpstreamHostRefused("A base URL cannot carry a user name or password.")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise UpstreamHostRefused("A base URL has no query string or fragment.")
    # What requests/urllib3 will actually connect to must be what we checked.
    if (ours.host or "").rstrip(".").lower() != host or (ours.port or None) != port:
        raise UpstreamHostRefused(f"{text!r} is not a valid URL.")
    origin = _origin(parts.scheme, host, port)
    official = {_origin("https", h, None) for h in official_hosts}
    if origin in official:
        return text.rstrip("/")
    for entry in getattr(settings, "FEEDS_EXTRA_ALLOWED_HOSTS", ()):
        allowed = _allowed_entry(entry)
        if allowed is None:
            continue
        scheme, allowed_host, allowed_port = allowed
        if (parts.scheme, host) == (scheme, allowed_host) and allowed_port in (None, port):
            return text.rstrip("/")
    hosts = ", ".join(f"https://{h}" for h in official_hosts)
    raise UpstreamHostRefused(
        f"{host} is not this provider's API ({hosts}); the operator may allow another host "
        "in FEEDS_EXTRA_ALLOWED_HOSTS."
    )


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


class UpstreamNotAllowed(UpstreamError):
    """Nothing was sent: the feed's base URL is not a host credentials may go to, or its
    credentials cannot be written into a request."""


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


def _is_api_content(response: requests.Response) -> bool:
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _same_origin(url_a: str, url_b: str) -> bool:
    a, b = urlsplit(url_a), urlsplit(url_b)
    return _origin(a.scheme, a.hostname or "", a.port) == _origin(
        b.scheme, b.hostname or "", b.port
    )


def upstream_message(
    response: requests.Response, *, requested_url: str = "", secrets: Iterable[str] = ()
) -> str:
    """The upstream's own explanation, from `{"error": {"message": ...}}` or similar, on one
    line, at most MAX_DETAIL_CHARS characters, credentials masked.

    Only a JSON answer of the host we asked (`requested_url`, when given) is quoted: an HTML
    page, a proxy's or an internal service's error page is never repeated to the user."""
    if requested_url and not _same_origin(response.url or requested_url, requested_url):
        return ""
    if not _is_api_content(response):
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    text = ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            text = error["message"]
        elif isinstance(error, str):
            text = error
        else:
            text = next(
                (body[k] for k in ("message", "detail") if isinstance(body.get(k), str)), ""
            )
    text = " ".join(text.split())  # control characters and newlines: one plain line
    if len(text) > MAX_DETAIL_CHARS:
        text = text[: MAX_DETAIL_CHARS - 1].rstrip() + "…"
    return redact(text, secrets)


def request_json(
    session: requests.Session,
    method: str,
    url: str,
    *,
    provider: str,
    feed_name: str,
    params: dict[str, Any] | None = None,
    json: Any = None,
    official_hosts: Collection[str],
    credential: str = "credentials",
    secrets: Iterable[str] = (),
) -> Any:
    """Call the upstream and return its decoded JSON, or raise an UpstreamError.

    Redirects are not followed (an API that moves is a configuration change for the
    operator, and a redirect must not carry the credentials elsewhere). Nothing is sent
    unless `url` passes `base_url_check` with `official_hosts` (UpstreamNotAllowed).
    Every message is masked: `secrets` (the feed's credentials) and credential-like URL
    parts."""
    secrets = tuple(secrets)
    timeout = settings.FEEDS_HTTP_TIMEOUT
    where = f"{provider} feed '{feed_name}'"

    def fail(kind: type[UpstreamError], message: str, **kwargs: Any) -> UpstreamError:
        return kind(redact(message, secrets), feed=feed_name, **kwargs)

    try:
        base_url_check(url, official_hosts=official_hosts)
    except UpstreamHostRefused as exc:
        raise fail(UpstreamNotAllowed, f"{where}: nothing sent. {exc}") from None

    try:
        response = session.request(
            method, url, params=params, json=json, timeout=timeout, allow_redirects=False
        )
    except requests.Timeout as exc:
        raise fail(
            UpstreamUnavailable, f"{where}: {provider} did not answer in time ({exc})."
        ) from None
    except requests.RequestException as exc:
        # urllib3 raises MaxRetryError wrapped in requests' ConnectionError / RetryError.
        # `from None`: the chained exception's text quotes the request URL unmasked.
        raise fail(
            UpstreamUnavailable, f"{where}: {provider} could not be reached ({exc})."
        ) from None
    except UnicodeError:
        # requests encodes Basic credentials as Latin-1: a pasted invisible character (a
        # zero-width space) fails there, and the error's repr holds the whole credential.
        raise fail(
            UpstreamNotAllowed,
            f"{where}: nothing sent. The {credential} hold a character an HTTP request cannot "
            "carry (outside Latin-1, e.g. an invisible one pasted with them); enter them again.",
        ) from None

    status = response.status_code
    if status in (401, 403):
        detail = upstream_message(response, requested_url=url, secrets=secrets)
        raise fail(
            UpstreamAuthError,
            f"{provider} refused the {credential} of feed '{feed_name}' (HTTP {status})"
            + (f": {detail}" if detail else "."),
            status=status,
            detail=detail,
        )
    if status == 404:
        raise fail(UpstreamNotFound, f"{where}: {url} not found (HTTP 404).", status=status)
    if status in RETRY_STATUSES:
        raise fail(
            UpstreamUnavailable,
            f"{where}: {provider} kept failing (HTTP {status}) after retries.",
            status=status,
        )
    if 300 <= status < 400:
        raise fail(
            UpstreamBadResponse,
            f"{where}: {provider} answered a redirect (HTTP {status}), which is not followed; "
            "check the feed's base URL.",
            status=status,
        )
    if status >= 400:
        detail = upstream_message(response, requested_url=url, secrets=secrets)
        raise fail(
            UpstreamError,
            f"{where}: {provider} answered HTTP {status}" + (f": {detail}" if detail else "."),
            status=status,
            detail=detail,
        )
    if status == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise fail(
            UpstreamBadResponse,
            f"{where}: {provider} answered something that is not JSON (HTTP {status}).",
            status=status,
        ) from None


def request_raw(
    session: requests.Session,
    url: str,
    *,
    provider: str,
    feed_name: str,
    params: dict[str, Any] | None = None,
    max_bytes: int = MAX_RAW_BYTES,
) -> tuple[bytes, str]:
    """GET a non-JSON resource (an image): its bytes and content type, or an UpstreamError.

    Fetched on a visitor's request: a redirect is not followed (it could point anywhere,
    an internal address too) and no more than `max_bytes` are read."""
    timeout = (2, 5)
    try:
        response = session.get(
            url, params=params, timeout=timeout, allow_redirects=False, stream=True
        )
    except requests.RequestException as exc:
        raise UpstreamUnavailable(redact(f"{provider} could not be reached ({exc}).")) from None
    with response:
        if response.status_code != 200:
            raise UpstreamError(
                f"{provider} answered HTTP {response.status_code}.", status=response.status_code
            )
        try:
            body = response.raw.read(max_bytes + 1, decode_content=True)
        except (requests.RequestException, OSError, ValueError) as exc:
            raise UpstreamUnavailable(
                redact(f"{provider} could not be read ({type(exc).__name__}).")
            ) from None
        if len(body) > max_bytes:
            raise UpstreamBadResponse(f"{provider} answered more than {max_bytes} bytes.")
        return body, response.headers.get("Content-Type", "")
