from __future__ import annotations

import pytest

# Every test runs in cron mode (no task queued) unless it asks for `celery_eager` or a real
# worker: the suite behaves the same with REDIS_URL set (CI's second pass) or not.
from tests.celery_fixtures import _cron_mode_unless_asked, celery_eager  # noqa: F401


@pytest.fixture(autouse=True, scope="session")
def _counting_threads_stopped(django_db_setup):
    """Search counts run on threads with connections of their own (showcase/listings/
    search.py): closed before the test database is dropped, which PostgreSQL refuses while
    one is open."""
    yield
    from showcase.listings.search import stop_counting

    stop_counting()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tenancy decides which hosts exist; tests use many made-up hosts.
    settings.ALLOWED_HOSTS = ["*"]
    # The operators' host: the admin and the whole catalogue, whatever tenants exist.
    settings.PLATFORM_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _french_by_default():
    """Requests activate their language in this thread; start each test from French."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def two_agencies(db):
    """Personas: tenant A and tenant B, each with its feed, listing, agency and agent."""
    from django.contrib.auth import get_user_model

    from tests.factories import make_agency, make_feed, make_listing, make_tenant

    users = get_user_model()
    feed_a, feed_b = make_feed(name="feed-a"), make_feed(name="feed-b")
    tenant_a = make_tenant(
        "agence-a.test", feeds=[feed_a], aliases=["www.agence-a.test"], name="Agence A"
    )
    tenant_b = make_tenant("agence-b.test", feeds=[feed_b], name="Agence B")
    agency_a = make_agency(feed=feed_a, name="Agency A")
    agency_b = make_agency(feed=feed_b, name="Agency B")
    alice = users.objects.create_user("alice", "alice@a.test", "pw", is_staff=True)
    bob = users.objects.create_user("bob", "bob@b.test", "pw", is_staff=True)
    tenant_a.agents.add(alice)
    tenant_b.agents.add(bob)
    return {
        "a": tenant_a,
        "b": tenant_b,
        "feed_a": feed_a,
        "feed_b": feed_b,
        "listing_a": make_listing(feed=feed_a, agency=agency_a, upstream_id="A1", title="Maison A"),
        "listing_b": make_listing(feed=feed_b, agency=agency_b, upstream_id="B1", title="Maison B"),
        "agency_a": agency_a,
        "agency_b": agency_b,
        "alice": alice,
        "bob": bob,
    }


@pytest.fixture(autouse=True)
def _no_apimo_throttle(monkeypatch):
    """Apimo's per-account throttle (10 requests/s) would slow every sync test down;
    the throttle's own test uses a fresh Throttle."""
    from showcase.feeds.apimo import client as apimo_client

    monkeypatch.setattr(apimo_client.THROTTLE, "interval", 0)
