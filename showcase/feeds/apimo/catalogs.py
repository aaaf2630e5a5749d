"""Apimo catalogs: what the numeric codes mean (docs/upstreams/apimo.md, "Catalogs").

A French snapshot ships in the code so a sync never depends on the catalogs
endpoint; labels refreshed from `GET /catalogs/{name}?culture=fr` overlay it.
Ids are the stable keys (labels repeat), so our normalized values are keyed by
id in the mapping; the labels only name things (subtype, period, room names).

Refreshed catalogs live in Django's cache (Redis in production), not in a table:
they are derived data the endpoint gives back at any time, every worker shares
them through Redis, losing them only costs a refresh (or falls back to the
snapshot), and they need no migration or admin screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache

from showcase.core.http import UpstreamNotFound

logger = logging.getLogger(__name__)

CULTURE = "fr"
CACHE_KEY = "apimo:catalog:{name}:{culture}"

# The French snapshot of 2026-07 (docs/upstreams/apimo.md, "Catalogs").
SNAPSHOT: dict[str, dict[int, str]] = {
    "property_category": {
        1: "Vente",
        2: "Location",
        3: "Location saisonnière",
        4: "Programme",
        5: "Viager",
        6: "Enchère",
    },
    "property_type": {
        1: "Appartement",
        2: "Maison",
        3: "Terrain",
        4: "Commerce",
        5: "Garage/Parking",
        6: "Immeuble",
        7: "Bureau",
        8: "Bateau",
        9: "Locaux d'activité/Entrepôts",
        10: "Cave/Box",
    },
    "property_step": {1: "En cours", 2: "En attente", 3: "Terminé", 4: "Supprimé"},
    "property_status": {
        1: "En cours",
        20: "Attente mandat",
        21: "Mandat expiré",
        22: "Sous offre/réservation",
        24: "Sous contrat",
        25: "Attente acte/bail",
        27: "Attente correction",
        28: "Attente validation",
        29: "Autre",
        30: "Vendu/loué par l'agence",
        31: "Vendu/loué par le propriétaire",
        32: "Vendu/loué par un confrère",
        33: "Retiré par l'agence",
        34: "Retiré par le propriétaire",
        35: "Annulé",
        39: "Autre",
        40: "À détruire",
    },
    "property_period": {
        1: "Jour",
        2: "Semaine",
        3: "Quinzaine",
        4: "Mois",
        5: "Trimestre",
        6: "Bimensuel",
        7: "Semestre",
        8: "An",
    },
    "property_agreement": {
        1: "Simple",
        2: "Co-exclusif",
        3: "Exclusif",
        4: "Délégation",
        5: "Agent exclusif",
        6: "Confrère",
        7: "Verbal",
    },
    # Only the groups the snapshot names; the endpoint gives the other room names.
    "property_areas": {
        1: "Chambre",
        53: "Chambre",
        70: "Chambre",
        8: "Salle de bains",
        13: "Salle d'eau",
        41: "Salle d'eau",
        42: "Salle de bains",
        5: "Parking",
        6: "Cave",
        43: "Balcon",
    },
    # Regulation type 1 = DPE energy, 2 = GES (docs/upstreams/apimo.md, "Regulations").
    "property_regulation": {1: "DPE", 2: "GES"},
    # Unit 1 is the square metre, the only unit French agencies use (inference).
    "property_unit": {1: "m²"},
}
# Catalogs with no snapshot: known from the endpoint only, unknown codes otherwise.
REFRESHED_ONLY = ("property_subtype", "property_condition", "property_standing")
NAMES = (*SNAPSHOT, *REFRESHED_ONLY)


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
