"""Web origins (`scheme://host[:port]`) as configuration and CSP headers need them.

Pure: imported by the settings module (SITE_URL) as well as by code.
"""

from __future__ import annotations

import re

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
