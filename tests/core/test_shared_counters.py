"""Versions and hit counters live in the database, where every process sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
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


# Concurrent hits from several processes: tests/test_processes_share_fresh_pages.py (the
# suite's in-memory database cannot be shared by connections the way a file is).
