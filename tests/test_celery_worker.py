"""End to end on the task engine (issue #18, point 1): a real Celery worker consuming from the
real Redis runs a feed sync against a local fake Gedeon, and the outbox's e-mails.

The worker is Celery's own (WorkController, as `celery -A showcase worker` runs it), started
in a thread of this process so that it reads the test database on SQLite (shared in-memory)
as on PostgreSQL; each test consumes a queue of its own, so runs sharing one Redis (CI
jobs, a developer's worker) never take each other's tasks. Skipped without REDIS_URL."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from showcase.celery import app
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.feeds.models import Feed, SyncRun, SyncStatus
from showcase.feeds.tasks import feed_sync
from showcase.listings.models import Listing
from showcase.outbox.models import Message, Status
from showcase.outbox.services import message_queue
from tests.factories import make_feed

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not REDIS_URL,
        reason="REDIS_URL is not set: the end-to-end Celery tests need a Redis broker "
        "(CI runs them in its PostgreSQL + Redis pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


def wait_for(check: Callable[[], bool], *, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the worker did not do it in time"
        time.sleep(0.1)


def forget_routing() -> None:
    """Celery caches its queues and router on first use: rebuilt from the current conf."""
    for name in ("queues", "default_queue", "router", "send_task_message"):
        app.amqp.__dict__.pop(name, None)


@pytest.fixture
def worker(settings) -> Iterator[str]:
    """A Celery worker on the real broker, consuming a queue of this test only; yields the
    queue's name. Tasks the code queues go there too (the default queue is switched)."""
    settings.TASKS_ON_WORKERS = True
    assert app.conf.broker_url == REDIS_URL, "the Celery app must read its broker from REDIS_URL"
    queue = f"vitrine-test-{uuid.uuid4().hex[:12]}"
    saved = {
        key: app.conf[key]
        for key in ("task_default_queue", "worker_enable_remote_control", "task_always_eager")
    }
    app.conf.worker_enable_remote_control = False  # no broadcast queue left behind
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    forget_routing()
    assert app.amqp.default_queue.name == queue
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
        ):
            yield queue
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        forget_routing()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def test_a_worker_syncs_a_queued_feed_from_the_upstream_into_the_database(worker):
    with FakeGedeon(count=30, key="k") as upstream:
        feed = make_feed(name="port", base_url=upstream.url, api_key="k")
        feed_sync.apply_async(args=[feed.pk], queue=worker)
        wait_for(lambda: SyncRun.objects.filter(feed=feed).exclude(status="running").exists())
    run = SyncRun.objects.get(feed=feed)
    assert run.status == SyncStatus.SUCCESS, run.error
    assert run.created == 30
    assert Listing.objects.filter(feed=feed).count() == 30


def test_sync_now_queues_the_sync_and_the_worker_runs_it(worker, settings):
    """The admin's path: sync_start_background queues on the default queue (this test's)."""
    from showcase.feeds.services import sync_start_background

    with FakeGedeon(count=5, key="k") as upstream:
        feed = make_feed(name="colline", base_url=upstream.url, api_key="k")
        assert sync_start_background(feed=feed) is None  # queued, no process started
        wait_for(lambda: SyncRun.objects.filter(feed=feed, status="success").exists())
    assert Listing.objects.filter(feed=feed).count() == 5
    assert Feed.objects.get(pk=feed.pk).sync_queued_at is None


def test_a_worker_sends_an_e_mail_queued_on_commit(worker):
    message = message_queue(
        kind="test.note", to=["camille@example.org"], subject="Bonjour", body="Un message."
    )
    wait_for(lambda: Message.objects.get(pk=message.pk).status == Status.SENT)
    assert [m.subject for m in mail.outbox] == ["Bonjour"]
