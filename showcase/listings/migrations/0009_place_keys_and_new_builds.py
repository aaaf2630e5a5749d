"""Existing rows get what a sync now writes: the place key that folds "St"/"Saint" and
arrondissements (showcase/listings/text.py `city_key`), and `is_new` for Apimo
properties whose condition is "Neuf" (the mapping stores the condition in `extras`)."""

from __future__ import annotations

from django.db import migrations

from showcase.listings.text import city_key

BATCH = 2000


def refold_city_keys(apps, schema_editor):
    Listing = apps.get_model("listings", "Listing")
    changed = []
    for pk, city, key in Listing.objects.values_list("pk", "city", "city_key").iterator(BATCH):
        new = city_key(city)
        if new != key:
            changed.append(Listing(pk=pk, city_key=new))
        if len(changed) >= BATCH:
            Listing.objects.bulk_update(changed, ["city_key"])
            changed = []
    Listing.objects.bulk_update(changed, ["city_key"])


def mark_new_builds(apps, schema_editor):
    Listing = apps.get_model("listings", "Listing")
    Listing.objects.filter(feed__kind="apimo", extras__condition__value="Neuf").update(
        is_new=True
    )


class Migration(migrations.Migration):
    dependencies = [("listings", "0008_agency_legal_identity_and_fee_schedule")]

    operations = [
        migrations.RunPython(refold_city_keys, migrations.RunPython.noop),
        migrations.RunPython(mark_new_builds, migrations.RunPython.noop),
    ]
