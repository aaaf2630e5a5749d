"""Recorded-style Apimo payloads: the spec's example property, varied per test."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apimo"
EXAMPLE = json.loads((FIXTURES / "properties_spec_example.json").read_text())["properties"][0]
PRIVATE = json.loads((FIXTURES / "property_private_mode.json").read_text())


def prop(upstream_id: int | None = 181297, **overrides: Any) -> dict[str, Any]:
    """The spec's example property (a rental in Nice) with `overrides` applied."""
    item = copy.deepcopy(EXAMPLE)
    item["id"] = upstream_id
    item.update(overrides)
    return item


def private_prop(upstream_id: int = 900001) -> dict[str, Any]:
    """A published sale whose private-mode fields are all filled with marker values."""
    item = copy.deepcopy(PRIVATE)
    item["id"] = upstream_id
    return item


def envelope(
    items: list[dict[str, Any]], *, total: int | None = None, timestamp: Any = 1460493045
) -> dict[str, Any]:
    return {
        "total_items": len(items) if total is None else total,
        "timestamp": timestamp,
        "properties": items,
    }


AGENCY = {
    "id": 182,
    "name": "Agence Gambetta",
    "company": {"id": 9, "name": "Gambetta Immobilier SARL"},
    "legal_form": "SARL au capital de 10 000 €",
    "rcs": "RCS Nice 123 456 789",
    "email": "contact@gambetta.example",
    "phone": "+33 4 93 00 00 00",
    "url": "https://www.gambetta.example",
    "logo": "https://cdn.apimo.example/logo/182.png",
    "address": "12 avenue Gambetta",
    "city": {"id": 2123, "name": "Nice", "zipcode": "06000"},
    "latitude": 43.7,
    "longitude": 7.26,
    "rates": [
        {"category": 1, "range_min": 0, "range_max": 100000, "commission_price": 6000},
        {"category": 1, "range_min": 100001, "range_max": 500000, "commission_rate": 5},
        {"category": 2, "commission_rate": "8.5", "comment": "du loyer annuel"},
        {"category": 2},
    ],
}


def fixture(name: str) -> dict[str, Any]:
    """One recorded-shape property of tests/fixtures/apimo/ (personal data invented)."""
    item: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return item
