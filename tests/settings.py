"""Settings of the test suite: the product's own, with the demo app always installed.

tests/demo/ exercises the fake upstreams and the `demo` command, which the product installs
only with DEBUG or DEMO on; the suite must not depend on how the shell running it is set.
Per-test speed and isolation (password hasher, mail backend, hosts) live in tests/conftest.py.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from showcase.settings import *  # noqa: F403
from showcase.settings import CACHES, INSTALLED_APPS, REDIS_URL

if "showcase.demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "showcase.demo"]

# Feeds in tests point at made-up hosts faked with `responses`, and at local fake upstreams.
FEEDS_EXTRA_ALLOWED_HOSTS = [
    "http://127.0.0.1",
    "http://gedeon.test",
    "http://apimo.test",
    "http://x.test",
]

# Each pytest-xdist worker gets its own Redis database: the suite clears the cache between
# tests (FLUSHDB), which would wipe what the other worker's test just stored.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    _url = urlsplit(REDIS_URL)
    _base = int(_url.path.strip("/") or 0)
    _db = (_base + 1 + int(_worker[2:])) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db}"))
    CACHES["lookups"] = CACHES["default"]
