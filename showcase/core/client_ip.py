"""The visitor's IP address, for rate limits and login lockouts.

Behind the documented nginx, REMOTE_ADDR is nginx's own address (127.0.0.1): counted as is,
every visitor would share one budget and anyone could lock an agent out. Each proxy appends
the address it saw connecting to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`), so
with TRUSTED_PROXY_COUNT = N proxies of ours in front, the visitor is the N-th entry from
the right; entries further left were sent by the visitor and are never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def parse_ip(raw: str) -> str | None:
    """`raw` as a normalised address ("192.0.2.1", "2001:db8::1"); None when it is not one.

    Accepts what proxies write: a bare address, IPv4 with a port ("192.0.2.1:5678"), IPv6
    in brackets with or without a port ("[2001:db8::1]:443"); an IPv4-mapped IPv6 address
    is read as the IPv4 one, so one visitor has one address whichever way it came.
    """
    value = raw.strip()
    if value.startswith("["):
        inside, closed, port = value[1:].partition("]")
        if not closed or (port and not port.startswith(":")):
            return None
        value = inside
    elif value.count(":") == 1:  # IPv4 with a port; IPv6 has two colons at least
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def forwarded_client(forwarded_for: str, trusted_proxies: int) -> str | None:
    """The address `trusted_proxies` hops from the right of an X-Forwarded-For value.

    With fewer entries than trusted proxies, the request came through fewer of them: the
    leftmost entry is then the farthest address one of ours recorded. None when that entry
    is not an IP address (a misconfigured proxy, or a forged header on a bypassed hop).
    """
    entries = [entry for entry in forwarded_for.split(",") if entry.strip()]
    if not entries or trusted_proxies <= 0:
        return None
    return parse_ip(entries[max(0, len(entries) - trusted_proxies)])


def client_ip(request: HttpRequest) -> str:
    """The visitor's address (settings.TRUSTED_PROXY_COUNT; 0: REMOTE_ADDR as is).

    Falls back to REMOTE_ADDR when X-Forwarded-For is missing or its trusted entry is not
    an address, so a bad header groups its senders with the proxy rather than letting them
    pick an address; "unknown" when even REMOTE_ADDR is missing or malformed.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted)
        if forwarded is not None:
            return forwarded
    return parse_ip(request.META.get("REMOTE_ADDR", "")) or UNKNOWN


def client_network(request: HttpRequest) -> str:
    """Who to count in rate limits and lockouts: the visitor's IPv4 address, or the /64
    network of an IPv6 one ("2001:db8:1:2::/64"): one subscriber usually holds a whole /64
    and can change address within it at will, which would reset any per-address count."""
    ip = client_ip(request)
    if ip == UNKNOWN or ":" not in ip:
        return ip
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
