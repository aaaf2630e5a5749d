"""The move from global agent flags to per-site ones keeps every listing as it was shown:
hidden stays hidden and featured stays featured on every site reading its feed and on the
platform; going back restores one global value."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("listings", "0005_type_first_search_index")]
AFTER = [("listings", "0006_agent_flags_per_site")]


def migrate(targets):
    """Migrate the listings to `targets`; the models as they were then (tenants' as now)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    tenants = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "tenants"]
    return executor.loader.project_state([*targets, *tenants]).apps


@pytest.fixture
def old_world(transactional_db):
    apps = migrate(BEFORE)
    Feed = apps.get_model("feeds", "Feed")
    Listing = apps.get_model("listings", "Listing")
    Tenant = apps.get_model("tenants", "Tenant")
    shared = Feed.objects.create(name="shared", kind="gedeon", base_url="http://g.test")
    alone = Feed.objects.create(name="alone", kind="gedeon", base_url="http://g.test")
    a = Tenant.objects.create(name="A", slug="a")
    b = Tenant.objects.create(name="B", slug="b")
    a.feeds.add(shared)
    b.feeds.add(shared)
    hidden = Listing.objects.create(
        feed=shared, upstream_id="1", transaction="sell", hidden=True, internal_note="vendu"
    )
    featured = Listing.objects.create(
        feed=alone, upstream_id="2", transaction="sell", featured=True, display_order=2
    )
    plain = Listing.objects.create(feed=shared, upstream_id="3", transaction="sell")
    yield {"a": a.pk, "b": b.pk, "hidden": hidden.pk, "featured": featured.pk, "plain": plain.pk}
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_global_flags_become_rows_of_every_site_reading_the_feed_and_come_back(old_world):
    apps = migrate(AFTER)
    rows = set(
        apps.get_model("listings", "ListingFlags").objects.values_list(
            "tenant_id", "listing_id", "hidden", "featured", "display_order", "internal_note"
        )
    )
    w = old_world
    assert rows == {
        (None, w["hidden"], True, False, 0, "vendu"),
        (w["a"], w["hidden"], True, False, 0, "vendu"),
        (w["b"], w["hidden"], True, False, 0, "vendu"),
        (None, w["featured"], False, True, 2, ""),
    }
    # Going back: one global value again.
    apps = migrate(BEFORE)
    Listing = apps.get_model("listings", "Listing")
    flags = {
        pk: rest
        for pk, *rest in Listing.objects.values_list(
            "pk", "hidden", "featured", "display_order", "internal_note"
        )
    }
    assert flags == {
        w["hidden"]: [True, False, 0, "vendu"],
        w["featured"]: [False, True, 2, ""],
        w["plain"]: [False, False, 0, ""],
    }
