"""Debian's Chromium for the browser tests: skipped, saying how to get it, when it is missing
on a workstation; failed in CI (CI=true), which must always run them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The same variable as `make audit` (scripts/audit/run.py).
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser's executable; skips (fails in CI) when it is not installed."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: run `make browser-deps`"
        # CI services set CI=true (some CI=1 or a name): anything but a "no" counts.
        if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}:
            pytest.fail(f"{message} (CI runs the browser tests, never skips them)")
        pytest.skip(message)
    return CHROMIUM
