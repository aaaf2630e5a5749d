"""Outbox writes: queue (inside the caller's transaction), send (outside any), requeue, purge.

With task workers (showcase/celery.py), each message queued or requeued is sent by a task
queued when the transaction commits (`outbox.send`); the periodic `outbox.send_due`, like
`manage.py outbox send` from cron without workers, sends the due ones and retries failures
with the back-off below."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from showcase.celery import task_queue_on_commit
from showcase.outbox.models import Message, Status

if TYPE_CHECKING:
    from showcase.tenants.models import Tenant
from showcase.outbox.signals import delivery_recorded

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Sent and abandoned messages are kept this long (days) for the admin, then purged.
KEEP_DAYS = 30
# How long a runner owns a message it took; a runner that dies leaves it due again after.
CLAIM = timedelta(minutes=15)
# The server refused this one message: the next ones may still go through.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    ValueError,  # e.g. a malformed address or header
)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 5 min, 10, 20, ... capped at 6 hours."""
    return timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 360))


def sender(tenant: Tenant | None) -> str:
    """The configured address under the site's name, so the visitor and the agency see
    whom the e-mail is from (the platform's own sender when no site is concerned)."""
    name = " ".join(str(getattr(tenant, "name", "") or "").split())[:100]
    display, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not name or not address:
        return settings.DEFAULT_FROM_EMAIL
    return str(Address(display_name=name, addr_spec=address))


def message_queue(
    *,
    kind: str,
    to: Iterable[str],
    subject: str,
    body: str,
    ref: object = "",
    tenant: Tenant | None = None,
    reply_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> Message:
    """Store one e-mail to send (no network). Call it inside the transaction that stores
    what the e-mail is about, so both are committed or neither is; with task workers, its
    sending task is queued when that transaction commits."""
    message = Message.objects.create(
        kind=kind,
        ref=str(ref),
        tenant=tenant,
        from_email=sender(tenant),
        to=list(to),
        reply_to=list(reply_to),
        headers=dict(headers or {}),
        subject=" ".join(subject.split())[:300],
        body=body,
    )
    _send_after_commit(message)
    return message


def _send_after_commit(message: Message) -> None:
    from showcase.outbox.tasks import message_send_task

    task_queue_on_commit(message_send_task, message.pk)


def message_requeue(message: Message, now: datetime | None = None) -> bool:
    """Make an unsent or failed message due now (an agent's "send again"); False when it
    was already sent."""
    now = now or timezone.now()
    requeued = bool(
        Message.objects.filter(pk=message.pk)
        .exclude(status=Status.SENT)
        .update(status=Status.QUEUED, next_attempt_at=now)
    )
    if requeued:
        _send_after_commit(message)
    return requeued


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    # Due messages left for the next run because the mail server could not be reached.
    left: int = 0


def _record(message: Message, now: datetime, error: BaseException | None) -> None:
    message.attempts += 1
    if error is None:
        message.status, message.sent_at, message.last_error = Status.SENT, now, ""
    else:
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        message.status = Status.GAVE_UP if message.attempts >= MAX_ATTEMPTS else Status.FAILED
        message.next_attempt_at = now + backoff(message.attempts)
    # Autocommit: one short write after the conversation with the mail server is over.
    Message.objects.filter(pk=message.pk).update(
        attempts=message.attempts,
        status=message.status,
        sent_at=message.sent_at,
        last_error=message.last_error,
        next_attempt_at=message.next_attempt_at,
    )
    # The outcome is stored: a receiver's failure is logged and the run goes on.
    for receiver, result in delivery_recorded.send_robust(sender=Message, message=message):
        if isinstance(result, Exception):
            logger.error("e-mail %s: %r failed: %r", message.pk, receiver, result)


def message_send(message: Message, now: datetime | None = None) -> BaseException | None:
    """Talk to the mail server for one message and record the outcome; returns the error,
    or None when sent. Never call it inside a transaction: SMTP can take EMAIL_TIMEOUT
    seconds per step, and the database must stay writable meanwhile."""
    error: BaseException | None = None
    try:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=message.to,
            reply_to=message.reply_to or None,
            headers=message.headers or None,
            connection=get_connection(fail_silently=False),
        ).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        error = exc
        logger.warning("e-mail %s (%s) not sent: %s", message.pk, message.kind, exc)
    _record(message, timezone.now() if now is None else now, error)
    return error


def message_claim(message: Message, now: datetime) -> bool:
    """Take `message` for this run: a compare-and-set on the status and next attempt this
    run read, so of two runs that read the same row only one sends it."""
    return bool(
        Message.objects.filter(
            pk=message.pk, status=message.status, next_attempt_at=message.next_attempt_at
        ).update(next_attempt_at=now + CLAIM)
    )


def outbox_send_one(*, message_id: int, now: datetime | None = None) -> bool | None:
    """Send one message if it is due (the task queued when it was stored): True when sent,
    False when it failed (retried later with the back-off), None when there was nothing to
    do: sent already, not due, gone, or claimed by another runner."""
    now = now or timezone.now()
    message = Message.objects.due(now).filter(pk=message_id).first()
    if message is None or not message_claim(message, now):
        return None
    return message_send(message, now) is None


def outbox_send(
    *, kind_prefix: str = "", now: datetime | None = None, limit: int = 500
) -> SendReport:
    """Send the due messages (those whose kind starts with `kind_prefix`), oldest first,
    one by one, outside any transaction. Safe to run concurrently: each message is claimed
    by a compare-and-set before it is sent. When the mail server cannot be reached at all,
    the run stops after that message instead of waiting EMAIL_TIMEOUT on every other one.
    """
    now = now or timezone.now()
    report = SendReport()
    due = list(
        Message.objects.due(now)
        .filter(kind__startswith=kind_prefix)
        .order_by("next_attempt_at", "pk")[:limit]
    )
    for index, message in enumerate(due):
        if not message_claim(message, now):
            continue  # another runner took it
        error = message_send(message, now)
        if error is None:
            report.sent += 1
            continue
        report.failed += 1
        if not isinstance(error, MESSAGE_ERRORS):
            report.left = len(due) - index - 1
            break
    return report


def outbox_purge(*, older_than: datetime) -> int:
    """Delete the sent and abandoned messages queued before `older_than`."""
    deleted, _detail = Message.objects.filter(
        created_at__lt=older_than, status__in=[Status.SENT, Status.GAVE_UP]
    ).delete()
    return deleted
