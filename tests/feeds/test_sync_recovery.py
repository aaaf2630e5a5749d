"""Interrupted syncs recover in minutes (issue #13, point 5): the lock lives a few
heartbeats, a dead run is marked failed, a killed `feeds sync` frees its feed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import responses
from django.utils import timezone

from showcase.demo.fake_gedeon import FakeGedeon
from showcase.feeds.models import Feed, SyncRun, SyncStatus
from showcase.feeds.sync import feed_lock, feed_lock_extend, sync_feed
from showcase.listings.models import Listing
from tests.factories import make_feed
from tests.feeds.gedeon.payloads import ad, envelope

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://gedeon.test"


@pytest.mark.django_db
def test_a_lock_lives_only_a_few_heartbeats(settings):
    settings.FEEDS_LOCK_HEARTBEAT_SECONDS = 10
    settings.FEEDS_LOCK_STALE_HEARTBEATS = 3
    feed = make_feed(name="parc")
    before = timezone.now()
    token = feed_lock(feed)
    assert token is not None
    assert timedelta(seconds=29) < token - before <= timedelta(seconds=31)
    extended = feed_lock_extend(feed, token)
    assert extended is not None and extended >= token


@pytest.mark.django_db
def test_a_run_left_running_by_a_dead_process_is_marked_failed_by_the_next_sync():
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    dead = SyncRun.objects.create(feed=feed, heartbeat_at=timezone.now() - timedelta(minutes=2))
    Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    with responses.RequestsMock() as upstream:
        upstream.get(f"{BASE}/agencies", json=envelope([]))
        upstream.get(f"{BASE}/ads", json=envelope([ad(1)]))
        run = sync_feed(feed)
    assert run.status == "success"
    dead.refresh_from_db()
    assert dead.status == SyncStatus.FAILED and dead.finished_at is not None
    assert "stopped before finishing" in dead.error and "Nothing was withdrawn" in dead.error


@pytest.mark.django_db
def test_a_sync_records_its_progress_and_last_heartbeat_on_its_run():
    feed = make_feed(name="parc", base_url=BASE, api_key="k")
    with responses.RequestsMock() as upstream:
        upstream.get(f"{BASE}/agencies", json=envelope([]))
        upstream.get(f"{BASE}/ads", json=envelope([ad(1), ad(2)]))
        run = sync_feed(feed)
    run.refresh_from_db()
    assert (run.seen, run.announced) == (2, 2)
    assert run.heartbeat_at == run.finished_at


def manage(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def runs(db: Path) -> list[tuple[int, str, str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, status, error, seen FROM feeds_syncrun ORDER BY id"
        ).fetchall()


def test_a_sync_killed_with_sigkill_frees_its_feed_within_a_few_heartbeats(tmp_path):
    """A real `feeds sync` against a slow upstream, killed with SIGKILL mid-pass."""
    db = tmp_path / "db.sqlite3"
    (tmp_path / "recovery_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        # Free 2 s after the last heartbeat: wide enough that a loaded machine (CI, two
        # cores) never delays a live heartbeat past it.
        "FEEDS_LOCK_HEARTBEAT_SECONDS = 0.5\n"
        "FEEDS_LOCK_STALE_HEARTBEATS = 4\n"
        "FEEDS_HTTP_RETRIES = 0\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "recovery_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "1",
    }
    # Pages slower than the staleness window: only the heartbeat thread keeps the lock.
    with FakeGedeon(count=500, key="k", page_delay=3) as fake:
        assert manage("migrate", "-v", "0", env=env).returncode == 0
        added = manage(
            "feeds",
            "add",
            "gedeon",
            "--name",
            "slow",
            "--key",
            "k",
            "--base-url",
            fake.url,
            env=env,
        )
        assert added.returncode == 0, added.stderr
        sync = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "feeds", "sync", "slow"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not any(seen for _id, _status, _error, seen in runs_or_empty(db)):
                assert time.monotonic() < deadline, "the sync never reported progress"
                assert sync.poll() is None, "the sync ended before it could be killed"
                time.sleep(0.1)
            # Alive and mid-page: a second sync is refused.
            second = manage("feeds", "sync", "slow", env=env)
            assert second.returncode != 0 and "already running" in second.stderr
            sync.send_signal(signal.SIGKILL)
            sync.wait(10)
        finally:
            if sync.poll() is None:
                sync.kill()
                sync.wait(10)
        killed_id, status, _error, _seen = runs(db)[0]
        assert status == "running"  # nobody could say otherwise: the process died
        time.sleep(2.5)  # past the 2 s staleness window
        fake.page_delay = 0
        again = manage("feeds", "sync", "slow", env=env)
    assert again.returncode == 0, again.stderr
    by_id = {run_id: (status, error) for run_id, status, error, _seen in runs(db)}
    assert by_id[killed_id][0] == "failed"
    assert "stopped before finishing" in by_id[killed_id][1]
    assert [status for status, _error in by_id.values()].count("success") == 1


def runs_or_empty(db: Path) -> list[tuple[int, str, str, int]]:
    try:
        return runs(db)
    except sqlite3.OperationalError:  # the database is being written: ask again
        return []


@pytest.mark.django_db
@responses.activate
def test_a_sync_whose_lock_was_taken_over_during_its_confirmations_withdraws_nothing():
    feed = make_feed(name="parc", base_url=BASE, api_key="k3y")
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope([ad(1), ad(2), ad(3)], total=3))
    sync_feed(feed)
    responses.reset()
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope([ad(1), ad(2)], total=2))

    def gone_and_taken_over(request):
        # The process stalled past its lock's life (a paused VM, a long stop): another
        # sync took the feed over while this one waited on the network.
        Feed.objects.filter(pk=feed.pk).update(locked_until=timezone.now() + timedelta(hours=1))
        return (404, {}, '{"error": {"message": "Not found"}}')

    responses.add_callback(responses.GET, f"{BASE}/ads/3", callback=gone_and_taken_over)
    run = sync_feed(feed)
    assert run.status == SyncStatus.FAILED and "taken over by another sync" in run.error
    assert run.withdrawn == 0
    assert Listing.objects.live().filter(upstream_id="3").exists()
