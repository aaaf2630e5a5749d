"""The Loi Carrez surface of a Gedeon ad (`extras.surface_carrez`, upstream-facts.md)."""

from __future__ import annotations

import copy

from showcase.feeds.gedeon.mapping import map_ad
from tests.feeds.gedeon.payloads import ad


def test_the_carrez_surface_of_a_gedeon_ad_comes_from_its_extras():
    payload = ad(1)
    extras = copy.deepcopy(payload["extras"])
    extras["surface_carrez"] = {"name": "Surface Carrez", "value": "61.35", "display": True}
    assert map_ad(ad(1, extras=extras)).surface_carrez == 61.35
    assert map_ad(ad(2)).surface_carrez is None
    assert map_ad(ad(2)).country == "FR"
