"""Existing rows get what a sync now writes (issue #19): the place key folding "St" and
arrondissements, and `is_new` for Apimo properties in "Neuf" condition."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("listings", "0008_agency_legal_identity_and_fee_schedule")]
AFTER = [("listings", "0009_place_keys_and_new_builds")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(transactional_db):
    apps = migrate(BEFORE)
    Feed = apps.get_model("feeds", "Feed")
    Listing = apps.get_model("listings", "Listing")
    apimo = Feed.objects.create(name="apimo", kind="apimo", base_url="http://a.test")
    gedeon = Feed.objects.create(name="gedeon", kind="gedeon", base_url="http://g.test")
    neuf = {"condition": {"name": "État", "value": "Neuf", "display": True}}
    Listing.objects.create(
        feed=apimo,
        upstream_id="1",
        transaction="sell",
        city="St-Malo",
        city_key="st malo",
        extras=neuf,
    )
    Listing.objects.create(
        feed=gedeon,
        upstream_id="2",
        transaction="sell",
        city="Paris 15e Arrondissement",
        city_key="paris 15e arrondissement",
        extras=neuf,
    )
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_rows_get_the_new_place_keys_and_apimo_new_builds(old_rows):
    apps = migrate(AFTER)
    rows = set(
        apps.get_model("listings", "Listing").objects.values_list(
            "upstream_id", "city_key", "is_new"
        )
    )
    # Gedeon's own `new` flag says what is new there; the extras are not read.
    assert rows == {("1", "saint malo", True), ("2", "paris 15", False)}
