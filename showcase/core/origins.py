"""Web origins (`scheme://host[:port]`) as configuration, CSP headers and the public
forms' cross-site check (showcase/core/csrf.py) need them.

Pure: imported by the settings module (SITE_URL) as well as by code.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_ORIGIN = re.compile(rf"(https?)://((?:{_LABEL}\.)*{_LABEL})(?::([0-9]{{1,5}}))?/?")


def parse_origin(value: object) -> str | None:
    """`value` as a web origin, `scheme://host[:port]` (http or https, a DNS name, a port
    from 1 to 65535), lower-cased and without a trailing slash; None for anything else:
    wildcards (`https://*`), paths, userinfo, spaces or `;`, which would change the
    meaning of the CSP header the origin is written into."""
    text = value.strip().lower() if isinstance(value, str) else ""
    match = _ORIGIN.fullmatch(text)
    if match is None:
        return None
    scheme, host, port = match.groups()
    if port is not None and not 1 <= int(port) <= 65535:
        return None
    return f"{scheme}://{host}" + (f":{int(port)}" if port else "")


def _without_default_port(origin: str) -> str:
    for scheme, port in (("http", ":80"), ("https", ":443")):
        if origin.startswith(f"{scheme}://") and origin.endswith(port):
            return origin[: -len(port)]
    return origin


def same_origin(own: str, claimed: object) -> bool:
    """Whether `claimed` (an Origin header, or the scheme and host of a Referer) names
    the origin `own` (`scheme://host[:port]`), default ports aside. "null", anything
    that is not an origin, another scheme or host (another tenant's domain) are not."""
    parsed, mine = parse_origin(claimed), parse_origin(own)
    if parsed is None or mine is None:
        return False
    return _without_default_port(parsed) == _without_default_port(mine)


def posted_from(
    own: str, *, origin: str | None, fetch_site: str | None, referer: str | None
) -> bool:
    """Whether a browser says a form posted to `own` was sent from a page of `own`.

    The `Origin` header decides when the browser sent one (every current browser does on
    a POST, "null" included); without it, `Sec-Fetch-Site` (which pages cannot forge)
    must be "same-origin"; with neither, the `Referer` must be a page of `own`. Nothing
    to go on is a refusal: a browser that says nothing cannot be told from a forgery.
    """
    if origin is not None:
        return same_origin(own, origin)
    if fetch_site is not None:
        return fetch_site.strip().lower() == "same-origin"
    if referer:
        parts = urlsplit(referer)
        return bool(parts.netloc) and same_origin(own, f"{parts.scheme}://{parts.netloc}")
    return False
