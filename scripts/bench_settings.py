"""Settings of `make bench`: the product's, with the framework's floor in the URLconf.

Selected with DJANGO_SETTINGS_MODULE=scripts.bench_settings (scripts/bench.py does it);
the product never imports scripts/.
"""

from __future__ import annotations

from showcase.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.bench_floor"
