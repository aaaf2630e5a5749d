"""Leads and alerts on the task workers (issue #18, point 1): a contact or seller request's
e-mails and its Apimo property are handled by tasks queued when it is stored; the periodic
tasks are the cron commands' services. Tasks run eagerly here (the real worker:
tests/test_celery_worker.py)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail

from showcase.alerts.tasks import alerts_purge_task, alerts_send_task
from showcase.celery import app, tasks_enabled
from showcase.leads.models import Delivery, Lead, Upstream, Valuation
from showcase.leads.services import valuation_retry_now
from showcase.leads.tasks import leads_purge_task, leads_retry_task
from tests.leads import test_seller

# Fixtures shared with tests/leads/test_seller.py.
apimo_site, fake, post = test_seller.apimo_site, test_seller.fake, test_seller.post

pytestmark = pytest.mark.django_db


def test_tasks_are_enabled_by_a_broker_only(settings):
    import showcase.settings as product

    assert product.TASKS_ON_WORKERS == bool(product.CELERY_BROKER_URL)
    assert not tasks_enabled()  # the suite's default (tests/celery_fixtures.py)
    settings.TASKS_ON_WORKERS = True
    assert tasks_enabled()


def test_the_app_reads_its_broker_and_queue_from_the_settings():
    import showcase.settings as product

    if product.CELERY_BROKER_URL:  # REDIS_URL by default
        assert app.conf.broker_url == product.CELERY_BROKER_URL
    assert app.conf.task_default_queue == "vitrine"
    assert app.conf.task_ignore_result is True


def test_a_seller_request_gets_its_e_mails_and_apimo_property_from_tasks_after_its_commit(
    client, apimo_site, fake, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, apimo_site["agency"])
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.notification_status == Delivery.SENT
    assert lead.acknowledgement == Delivery.SENT
    assert len(mail.outbox) == 2
    valuation = Valuation.objects.get()
    assert valuation.upstream_status == Upstream.CREATED
    assert valuation.upstream_id == str(fake.created[0]["id"])


def test_try_again_on_apimo_queues_the_retry_task(
    client, apimo_site, fake, settings, django_capture_on_commit_callbacks
):
    post(client, apimo_site["agency"])
    settings.TASKS_ON_WORKERS = True
    with (
        mock.patch.object(leads_retry_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),  # run before the patch ends
    ):
        assert valuation_retry_now(Valuation.objects.get()) is True
    queued.assert_called_once()


def test_the_periodic_lead_and_alert_tasks_run_the_cron_commands_services(
    client, apimo_site, fake, celery_eager
):
    post(client, apimo_site["agency"])
    result = leads_retry_task.apply().get()
    assert result["upstream"] == {"created": 1, "failed": 0}
    assert result["mail"]["sent"] == 2
    assert alerts_send_task.apply().get() == {"sent": 0, "failed": 0, "left": 0}
    assert leads_purge_task.apply().get() == 0
    assert alerts_purge_task.apply().get() == 0


@pytest.fixture
def unanswering_broker():
    """A port whose connections hang like a broker behind a dropped route: its listen
    backlog is full and nothing accepts, so the kernel drops every further SYN."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the backlog (its length is rounded up by the kernel)
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield f"redis://127.0.0.1:{port}/0"
    for sock in [*fillers, server]:
        sock.close()


@pytest.mark.django_db(False)
def test_a_broker_that_never_answers_holds_a_page_a_few_seconds_only(unanswering_broker):
    # A lead posted while the broker is unreachable is stored first; queuing its e-mails after
    # the commit must give up quickly, or gunicorn's timeout turns the page into an error.
    import threading

    from celery import Celery

    from showcase.celery import task_queue

    probe = Celery("probe")
    probe.config_from_object("django.conf:settings", namespace="CELERY")
    probe.conf.broker_url = unanswering_broker

    def nothing() -> None:
        pass

    task = probe.task(name="probe.nothing")(nothing)
    queued: list[bool] = []
    worker = threading.Thread(target=lambda: queued.append(task_queue(task)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert queued == [False], "still waiting for the broker after 20 s"
