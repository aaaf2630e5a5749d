"""E-mails sent by the task workers (issue #18, point 1): each message queued or requeued is
sent by a task queued when its transaction commits; the periodic task retries failures with
the outbox's back-off. Without a broker, nothing is queued: cron's `outbox send` sends."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from showcase.outbox.models import Message, Status
from showcase.outbox.services import backoff, message_queue, message_requeue
from showcase.outbox.tasks import message_send_task, outbox_purge_task, outbox_send_task

pytestmark = pytest.mark.django_db


def queue(subject: str = "Bonjour") -> Message:
    return message_queue(kind="test.note", to=["camille@example.org"], subject=subject, body="…")


def test_a_queued_message_is_sent_by_a_task_once_its_transaction_commits(
    celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message = queue()
            assert mail.outbox == []  # not before the commit: the worker must find the row
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Bonjour"]


def test_without_a_broker_no_task_is_queued(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(message_send_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        message = queue()
    assert callbacks == []
    queued.assert_not_called()
    assert Message.objects.get(pk=message.pk).status == Status.QUEUED  # for `outbox send`


def test_a_broker_down_loses_no_e_mail(settings, django_capture_on_commit_callbacks):
    settings.TASKS_ON_WORKERS = True
    with (
        mock.patch.object(message_send_task, "apply_async", side_effect=ConnectionError) as sent,
        django_capture_on_commit_callbacks(execute=True),  # run before the patch ends
    ):
        message = queue()  # no exception reaches the page that stored it
    sent.assert_called_once()
    assert Message.objects.get(pk=message.pk).status == Status.QUEUED
    assert outbox_send_task.apply().get() == {"sent": 1, "failed": 0, "left": 0}
    assert Message.objects.get(pk=message.pk).status == Status.SENT


def test_a_failed_send_is_retried_by_the_periodic_task_after_the_back_off(
    celery_eager, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("refused")):
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert message.next_attempt_at >= timezone.now() + backoff(1) - timedelta(seconds=5)
    # Not due yet: the periodic task leaves it; due: it sends it.
    assert outbox_send_task.apply().get()["sent"] == 0
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_send_task.apply().get()["sent"] == 1
    assert Message.objects.get(pk=message.pk).status == Status.SENT


def test_the_task_sends_a_message_once_even_if_queued_twice(celery_eager):
    message = queue()
    assert message_send_task.apply(args=[message.pk]).get() is True
    assert message_send_task.apply(args=[message.pk]).get() is None  # sent already
    assert len(mail.outbox) == 1


def test_send_again_queues_the_task_too(celery_eager, django_capture_on_commit_callbacks):
    message = queue()
    Message.objects.filter(pk=message.pk).update(
        status=Status.GAVE_UP, next_attempt_at=timezone.now() + timedelta(hours=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert message_requeue(message) is True
    assert Message.objects.get(pk=message.pk).status == Status.SENT


def test_the_purge_task_forgets_old_sent_messages(celery_eager):
    old = queue()
    Message.objects.filter(pk=old.pk).update(
        status=Status.SENT, created_at=timezone.now() - timedelta(days=31)
    )
    queue()
    assert outbox_purge_task.apply().get() == 1
    assert Message.objects.count() == 1
