"""Gedeon-shaped payloads for tests, built from the recorded fixture."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gedeon"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def ad(ad_id: int, **overrides: Any) -> dict[str, Any]:
    payload = copy.deepcopy(load("ad_full.json"))
    payload["id"] = ad_id
    payload["photos"] = [
        {"url": f"https://photos.example/{ad_id}/{n}/large/1700000000"} for n in (1, 2)
    ]
    payload.update(overrides)
    return payload


def envelope(items: list[Any], total: int | None = None) -> dict[str, Any]:
    return {
        "results": items,
        "nb_results": len(items),
        "total_results": len(items) if total is None else total,
    }
