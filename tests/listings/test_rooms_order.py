"""Rooms show in the agency's order even after PostgreSQL's jsonb reordered their keys."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from showcase.feeds.coerce import ranked
from showcase.listings.templatetags.listing_tags import rooms_rows


def test_rooms_come_back_in_the_agencys_order_whatever_the_key_order_stored():
    upstream = {"Entrée": {"surface": 6}, "Séjour": {"surface": 30}, "Cave": {}}
    stored = dict(sorted(ranked(upstream).items(), key=lambda item: (len(item[0]), item[0])))
    assert list(stored) != list(upstream)  # what jsonb does: shorter keys first
    names = [row["name"] for row in rooms_rows(SimpleNamespace(rooms_details=stored))]
    assert names == ["Entrée", "Séjour", "Cave"]


def test_rooms_stored_before_ranks_existed_keep_their_stored_order():
    stored = {"salon": {"surface": 32}, "chambre 1": {"surface": 13}, "wc": "?"}
    names = [row["name"] for row in rooms_rows(SimpleNamespace(rooms_details=stored))]
    assert names == ["salon", "chambre 1", "wc"]


def test_rooms_rows_read_as_the_table_shows_them():
    stored = {
        "séjour": {"surface": 30.5, "desc": "parquet", "nb": 1},
        "chambre": {"nb": 2},
        "cave": {"surface": 0, "nb": 0},
    }
    with translation.override("fr"):
        rows = rooms_rows(SimpleNamespace(rooms_details=stored))
    assert rows == [
        {"name": "séjour", "surface": "30,5 m²", "details": "parquet, × 1"},
        {"name": "chambre", "surface": "", "details": "× 2"},
        {"name": "cave", "surface": "", "details": ""},
    ]
