"""Versions and hit counters live in the database, where every process sees them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from showcase.core.cache import hits_count, hits_get, version_bump, version_get
from showcase.core.models import Counter

pytestmark = pytest.mark.django_db


def test_a_version_starts_at_one_without_writing_anything():
    assert version_get("pages:7") == 1
    assert not Counter.objects.exists()


def test_a_bumped_version_only_grows_and_is_read_from_the_database():
    version_bump("pages:7")
    version_bump("pages:7")
    assert version_get("pages:7") == 3
    assert Counter.objects.get(key="version:pages:7").value == 3
    assert version_get("pages:8") == 1  # each name its own


def test_versions_survive_the_purge_of_expired_windows():
    version_bump("tenancy")
    Counter.objects.create(key="old", value=9, expires_at=timezone.now() - timedelta(seconds=1))
    hits_count("new-key", 60)  # a new window purges the ended ones
    assert not Counter.objects.filter(key="old").exists()
    assert version_get("tenancy") == 2


def test_hits_are_counted_within_their_window():
    assert [hits_count("login:x", 60) for _ in range(3)] == [1, 2, 3]
    assert hits_get("login:x") == 3
    assert hits_get("login:y") == 0


def test_a_window_restarts_once_it_has_ended():
    hits_count("leads:x", 60)
    hits_count("leads:x", 60)
    Counter.objects.filter(key="leads:x").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert hits_get("leads:x") == 0
    assert hits_count("leads:x", 60) == 1
    assert Counter.objects.get(key="leads:x").expires_at > timezone.now() + timedelta(seconds=50)


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_never_lost():
    """Each thread has its own database connection, as each gunicorn worker does."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("an in-memory SQLite database is private to one connection")
    threads_count, per_thread = 4, 10

    def hammer() -> None:
        try:
            for _ in range(per_thread):
                hits_count("burst", 60)
                version_bump("burst")
        finally:
            connection.close()

    threads = [threading.Thread(target=hammer) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert hits_get("burst") == threads_count * per_thread
    assert version_get("burst") == 1 + threads_count * per_thread
