"""PostgreSQL indexes for "newest first" with undated listings last, as on SQLite: its
default descending order puts NULLs first, so `published_at DESC NULLS LAST` could not
read listing_pub_newest or listing_pub_tx_newest and sorted every match. SQLite needs
none (see 0010)."""

from __future__ import annotations

from django.db import migrations

from showcase.listings.pg_indexes import live_indexes

INDEXES = {
    "listing_pub_newest_nl": "published_at DESC NULLS LAST, id DESC, transaction",
    "listing_pub_tx_newest_nl": "transaction, published_at DESC NULLS LAST, id DESC",
}


class Migration(migrations.Migration):
    dependencies = [("listings", "0010_descending_sorts_nulls_last")]

    operations = [live_indexes(INDEXES)]
