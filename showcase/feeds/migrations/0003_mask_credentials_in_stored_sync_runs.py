"""Runs recorded before errors were masked at the source may quote a feed's credentials
(Gedeon's `key` in request URLs, an upstream echoing it): mask them in place."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from showcase.core.http import redact


def _masked(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [_masked(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item, secrets) for key, item in value.items()}
    return value


def mask_runs(apps: Any, schema_editor: Any) -> None:
    SyncRun = apps.get_model("feeds", "SyncRun")
    runs = SyncRun.objects.select_related("feed").only(
        "error", "warnings", "rejections", "feed__api_key", "feed__token"
    )
    for run in runs.iterator(chunk_size=500):
        secrets = (run.feed.api_key, run.feed.token)
        fields = {
            "error": _masked(run.error, secrets),
            "warnings": _masked(run.warnings, secrets),
            "rejections": _masked(run.rejections, secrets),
        }
        if any(getattr(run, name) != value for name, value in fields.items()):
            SyncRun.objects.filter(pk=run.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("feeds", "0002_feed_manage_connection_permission")]

    operations = [migrations.RunPython(mask_runs, migrations.RunPython.noop, elidable=True)]
