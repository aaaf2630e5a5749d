"""PostgreSQL indexes for the descending sorts with unknown values last (price on
request, no surface): its default descending order puts NULLs first, so `price DESC NULLS
LAST` could not read the (price, id) index backwards and sorted every match. SQLite needs
none: it reads its (column, id) indexes in either order, NULLs last included, and its
CREATE INDEX has no NULLS clause, so these are not `Meta.indexes`."""

from __future__ import annotations

from django.db import migrations

from showcase.listings.pg_indexes import live_indexes

INDEXES = {
    "listing_pub_price_desc": "price DESC NULLS LAST, id DESC",
    "listing_pub_surface_desc": "surface DESC NULLS LAST, id DESC",
}


class Migration(migrations.Migration):
    dependencies = [("listings", "0009_place_keys_and_new_builds")]

    operations = [live_indexes(INDEXES)]
