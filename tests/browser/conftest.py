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


# No test reaches the network: every host but the local test server resolves to nothing.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium per test module, shared by its tests."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls here are ours.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
