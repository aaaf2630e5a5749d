"""Settings of the test suite: the product's own, with the demo app always installed.

tests/demo/ exercises the fake upstreams and the `demo` command, which the product installs
only with DEBUG or DEMO on; the suite must not depend on how the shell running it is set.
Per-test speed and isolation (password hasher, mail backend, hosts) live in tests/conftest.py.
"""

from __future__ import annotations

from showcase.settings import *  # noqa: F403
from showcase.settings import INSTALLED_APPS

if "showcase.demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "showcase.demo"]

# Feeds in tests point at made-up hosts faked with `responses`, and at local fake upstreams.
FEEDS_EXTRA_ALLOWED_HOSTS = [
    "http://127.0.0.1",
    "http://gedeon.test",
    "http://apimo.test",
    "http://x.test",
]
