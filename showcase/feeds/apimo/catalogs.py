"""Apimo catalogs: what the numeric codes mean (docs/upstreams/apimo.md, "Catalogs").

The French catalogs ship with the code (showcase/feeds/apimo/catalogs-fr.json, every
code the endpoint served) so a sync never depends on the catalogs endpoint; labels
refreshed from `GET /catalogs/{name}?culture=fr` overlay them (the endpoint stays
authoritative: codes added since the dump come from it).
Ids are the stable keys (labels repeat), so our normalized values are keyed by
id in the mapping; the labels only name things (subtype, period, room names).

Refreshed catalogs live in Django's cache (Redis in production), not in a table:
they are derived data the endpoint gives back at any time, every worker shares
them through Redis, losing them only costs a refresh (or falls back to the
snapshot), and they need no migration or admin screen.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

from showcase.core.http import UpstreamNotFound

logger = logging.getLogger(__name__)

CULTURE = "fr"
CACHE_KEY = "apimo:catalog:{name}:{culture}"
# The French catalogs as the endpoint served them (docs/upstreams/apimo.md, "The catalogs
# file"): the one copy of the data, read at import.
SNAPSHOT_FILE = Path(__file__).resolve().parent / "catalogs-fr.json"
# The catalogs the mapping reads, under the names the endpoint serves them by.
NAMES = (
    "property_category",
    "property_type",
    "property_subtype",
    "property_step",
    "property_status",
    "property_period",
    "property_agreement",
    "property_areas",
    "property_regulation",
    "property_condition",
    "property_standing",
    "unit_area",
)


def snapshot_load(path: Path = SNAPSHOT_FILE) -> dict[str, dict[int, str]]:
    """The shipped catalogs `{"catalogs": {name: {code: label}}}` -> {name: {int code: label}}.

    Raises OSError or ValueError when the file is missing or malformed: the code cannot
    name anything without it, so a broken deployment fails at start, not mid-sync.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = data["catalogs"] if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        raise ValueError(f"{path}: no `catalogs` object")
    return {
        name: {int(code): str(label) for code, label in labels.items()}
        for name, labels in tables.items()
        if isinstance(labels, dict)
    }


SNAPSHOT: dict[str, dict[int, str]] = snapshot_load()


class Catalogs:
    """Labels per catalog and code: the snapshot overlaid with refreshed labels."""

    def __init__(self, refreshed: Mapping[str, Mapping[int, str]] | None = None) -> None:
        self.tables: dict[str, dict[int, str]] = {
            name: dict(SNAPSHOT.get(name, {})) for name in NAMES
        }
        for name, labels in (refreshed or {}).items():
            self.tables.setdefault(name, {}).update(labels)

    def label(self, name: str, code: int | None) -> str | None:
        if code is None:
            return None
        return self.tables.get(name, {}).get(code)

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every label these catalogs give (hex, 16 characters).

        Listings mapped with other labels (the endpoint was down, or relabelled a code)
        are mapped again when it changes: the sync mixes it into each listing's digest.
        """
        encoded = json.dumps(
            {name: sorted(self.tables.get(name, {}).items()) for name in NAMES},
            ensure_ascii=False,
        )
        return hashlib.sha256(encoded.encode()).hexdigest()[:16]


def parse_catalog(entries: Any) -> dict[int, str]:
    """`[{id, culture, name, name_plurial}]` → {id: name}; malformed entries skipped."""
    labels: dict[int, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        try:
            code = int(str(entry.get("id")).strip())
        except ValueError:
            continue
        name = str(entry.get("name") or "").strip()
        if name:
            labels[code] = name[:120]
    return labels


def catalogs_load(fetch: Callable[[str], list[Any]] | None = None) -> Catalogs:
    """The catalogs for one sync: cached labels, refreshed through `fetch` when stale.

    `fetch(name)` calls the endpoint (the client's `catalog`). A 404 skips that catalog;
    any other failure stops the refresh and the snapshot (plus what the cache holds) is
    used: catalogs only name things, a sync never fails for them.
    """
    ttl = settings.FEEDS_APIMO_CATALOG_TTL_HOURS * 3600
    refreshed: dict[str, dict[int, str]] = {}
    for name in NAMES:
        key = CACHE_KEY.format(name=name, culture=CULTURE)
        labels = cache.get(key)
        if labels is None and fetch is not None:
            try:
                labels = parse_catalog(fetch(name))
            except UpstreamNotFound:
                labels = {}  # a catalog this account does not serve: the snapshot stays
            except Exception as exc:  # noqa: BLE001 - any failure: keep the snapshot
                logger.warning("Apimo catalog %s not refreshed: %s", name, exc)
                fetch = None
                continue
            # Integer keys survive the cache's pickling (Redis too).
            cache.set(key, labels, ttl)
        if labels:
            refreshed[name] = labels
    return Catalogs(refreshed)
