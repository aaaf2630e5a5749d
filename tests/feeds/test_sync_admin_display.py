"""Issue #17 point 5: agents read sync runs in words, on the site's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from showcase.feeds.models import SyncRun, SyncStatus
from tests.factories import make_feed

STARTED = datetime(2026, 11, 30, 1, 5, 12, 345678, tzinfo=UTC)  # 02:05:12 in Paris


@pytest.fixture
def operator(client, db):
    client.force_login(get_user_model().objects.create_superuser("op", "op@x.test", "pw"))
    return client


def test_sync_runs_show_paris_time_seconds_and_status_in_words(operator):
    feed = make_feed(name="demo")
    run = SyncRun.objects.create(
        feed=feed,
        started_at=STARTED,
        finished_at=STARTED + timedelta(seconds=12, microseconds=400000),
        status=SyncStatus.SUCCESS,
        warnings=[{"catalog": "property_type", "code": 99, "id": "700001"}],
    )
    listing = operator.get("/admin/feeds/syncrun/").content.decode()
    assert "30/11/2026 02:05:12" in listing and "12 s" in listing
    assert "réussie" in listing and ">success<" not in listing
    page = operator.get(f"/admin/feeds/syncrun/{run.pk}/change/").content.decode()
    assert "30/11/2026 02:05:12" in page and "30/11/2026 02:05:24" in page
    assert "None" not in page and ".345678" not in page and "01:05" not in page
    assert "code inconnu 99 dans property_type (enregistrement 700001)" in page
    feeds = operator.get("/admin/feeds/feed/").content.decode()
    assert "30/11/2026 02:05:12" in feeds and "01:05" not in feeds


def test_a_running_sync_says_so_instead_of_a_duration(operator):
    SyncRun.objects.create(feed=make_feed(), started_at=STARTED, status=SyncStatus.RUNNING)
    listing = operator.get("/admin/feeds/syncrun/").content.decode()
    assert "en cours" in listing and "None" not in listing
