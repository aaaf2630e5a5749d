"""PostgreSQL indexes for "newest first" with undated listings last, as on SQLite: its
default descending order puts NULLs first, so `published_at DESC NULLS LAST` could not
read listing_pub_newest or listing_pub_tx_newest and sorted every match. SQLite needs
none (see 0010)."""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "listing_pub_newest_nl": "published_at DESC NULLS LAST, id DESC, transaction",
    "listing_pub_tx_newest_nl": "transaction, published_at DESC NULLS LAST, id DESC",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("listings", "Listing")._meta.db_table
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns}) '
            "WHERE withdrawn_at IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("listings", "0010_descending_sorts_nulls_last")]

    operations = [migrations.RunPython(create, drop)]
