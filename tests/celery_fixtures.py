"""Fixtures for the task engine, made suite-wide by tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from showcase.celery import app

# The app reads its configuration once, lazily: read it now, from the settings as they are,
# before any test changes them.
app.conf.broker_url  # noqa: B018


@pytest.fixture(autouse=True)
def _cron_mode_unless_asked(settings) -> None:
    """Work left to cron, as on a machine without Redis: the suite behaves the same whether
    REDIS_URL is set (CI's second pass) or not (the app keeps its broker). Tests of the workers' path ask for
    `celery_eager` (or tests/test_celery_worker.py's real worker)."""
    settings.TASKS_ON_WORKERS = False


@pytest.fixture
def celery_eager(settings) -> Iterator[None]:
    """Tasks enabled, each run at once in this thread when it is queued (on commit for
    those queued on commit); exceptions propagate."""
    settings.TASKS_ON_WORKERS = True
    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
