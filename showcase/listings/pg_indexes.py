"""PostgreSQL-only partial indexes over live listings, for migrations: descending orders
with NULLs last (PostgreSQL's default descending order puts them first). SQLite needs
none: it reads its ascending (column, id) indexes backwards, NULLs last included, and its
CREATE INDEX has no NULLS clause, so these cannot be `Meta.indexes`."""

from __future__ import annotations

from django.db import migrations


def live_indexes(indexes: dict[str, str]) -> migrations.RunPython:
    """A migration operation creating (and on reverse dropping) `indexes`, name -> column
    list, each `WHERE withdrawn_at IS NULL`, on PostgreSQL only."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("listings", "Listing")._meta.db_table
        for name, columns in indexes.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns}) '
                "WHERE withdrawn_at IS NULL"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop)
