"""No mixed content: image URLs from upstreams come out over https (issue #14, point 13)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# A development upstream (the demo's and the tests' fake servers) serves plain http on the
# loopback interface; no visitor on another machine could load those images anyway.
LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secure_url(url: str) -> str:
    """`url` with `http://` upgraded to `https://`, except on a loopback host.

    Browsers upgrade (or block) `http://` images on an https page themselves, so the
    upgrade loses no photo a visitor would have seen. Any other URL is returned as is.
    """
    if url[:7].lower() != "http://":
        return url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return url if is_loopback(host) else "https://" + url[7:]
