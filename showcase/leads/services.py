"""Writes on leads: receive (store, queue the e-mails), follow their delivery, purge and erase."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from showcase.core.cache import hits_count
from showcase.leads.models import Delivery, Lead
from showcase.leads.notifications import (
    ACKNOWLEDGEMENT,
    NOTIFICATION,
    queue_acknowledgement,
    queue_notification,
)
from showcase.listings.models import Agency, Listing
from showcase.outbox.models import Message, Status
from showcase.outbox.services import (
    CLAIM,
    MAX_ATTEMPTS,
    SendReport,
    backoff,
    message_requeue,
    outbox_send,
)
from showcase.tenants.models import Tenant

logger = logging.getLogger(__name__)
DEDUPE_WINDOW = 600  # seconds


class RateLimited(Exception):
    pass


def _hit(key: str, limit: int, period: int) -> bool:
    """Count one hit; True while within `limit` per `period` seconds."""
    return hits_count(key, period) <= limit


def lead_rate_check(*, ip: str, email: str) -> None:
    """Raise RateLimited when this address or e-mail sent too much lately."""
    limit, period = settings.LEADS_RATE_LIMIT
    ip_key = "leads:rate:ip:" + hashlib.sha256(ip.encode()).hexdigest()[:32]
    mail_key = "leads:rate:mail:" + hashlib.sha256(email.lower().encode()).hexdigest()[:32]
    ip_ok = _hit(ip_key, limit * 2, period)
    mail_ok = _hit(mail_key, limit, period)
    if not (ip_ok and mail_ok):
        raise RateLimited


def _dedupe_key(
    tenant: Tenant | None, listing: Listing | None, agency: Agency | None, email: str, message: str
) -> str:
    bucket = int(timezone.now().timestamp() // DEDUPE_WINDOW)
    raw = "|".join(
        [
            str(tenant.pk if tenant else ""),
            str(listing.pk if listing else ""),
            str(agency.pk if agency else ""),
            email.lower().strip(),
            " ".join(message.split()),
            str(bucket),
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def lead_receive(
    *,
    tenant: Tenant | None,
    listing: Listing | None,
    agency: Agency | None,
    data: dict[str, Any],
    language: str,
) -> tuple[Lead, bool]:
    """Store the lead and queue its two e-mails in one transaction; no mail server is
    involved (`manage.py outbox send` sends them). Returns (lead, created).

    A repeated submission (double click, reload) returns the first lead unchanged. When the
    e-mails cannot be queued (no address to notify), the lead is stored all the same, its
    notification marked failed with the reason, and `leads retry` queues it later.
    """
    key = _dedupe_key(tenant, listing, agency, data["email"], data["message"])
    existing = Lead.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            lead = Lead.objects.create(
                tenant=tenant,
                listing=listing,
                agency=agency or (listing.agency if listing else None),
                listing_label=(
                    f"{listing} ({listing.reference or listing.upstream_id})" if listing else ""
                )[:300],
                name=data["name"],
                email=data["email"],
                phone=data.get("phone", ""),
                message=data["message"],
                consent=bool(data.get("consent")),
                language=language,
                dedupe_key=key,
            )
            _queue_notification(lead)
            _queue_acknowledgement(lead)
    except IntegrityError:
        return Lead.objects.get(dedupe_key=key), False
    return lead, True


def _queue_notification(lead: Lead, now: datetime | None = None) -> bool:
    """Queue the agency's notification in a savepoint: whatever fails here, the lead stays
    stored and says why in `last_error`."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            message = queue_notification(lead)
    except Exception as exc:  # noqa: BLE001 - the lead must be kept whatever happens here
        lead.attempts += 1
        lead.notification_status = (
            Delivery.GAVE_UP if lead.attempts >= MAX_ATTEMPTS else Delivery.FAILED
        )
        lead.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        lead.next_attempt_at = now + backoff(lead.attempts)
        logger.warning("lead %s: notification not queued: %s", lead.pk, exc)
    else:
        lead.recipient = message.to[0]
        lead.notification_status = Delivery.PENDING
        lead.last_error = ""
        lead.next_attempt_at = message.next_attempt_at
    Lead.objects.filter(pk=lead.pk).update(
        recipient=lead.recipient,
        notification_status=lead.notification_status,
        attempts=lead.attempts,
        last_error=lead.last_error,
        next_attempt_at=lead.next_attempt_at,
    )
    return lead.notification_status == Delivery.PENDING


def _queue_acknowledgement(lead: Lead) -> None:
    try:
        with transaction.atomic():
            queue_acknowledgement(lead)
    except Exception as exc:  # noqa: BLE001 - the lead must be kept whatever happens here
        logger.warning("lead %s: acknowledgement not queued: %s", lead.pk, exc)
        lead.acknowledgement = Delivery.GAVE_UP
        Lead.objects.filter(pk=lead.pk).update(acknowledgement=Delivery.GAVE_UP)


DELIVERY_OF = {
    Status.QUEUED: Delivery.PENDING,
    Status.SENT: Delivery.SENT,
    Status.FAILED: Delivery.FAILED,
    Status.GAVE_UP: Delivery.GAVE_UP,
}


def lead_record_delivery(sender: object, message: Message, **kwargs: object) -> None:
    """Receiver of the outbox's `delivery_recorded`: the lead shows what became of its
    e-mails (the admin's notification column, the thanks page)."""
    if message.kind == NOTIFICATION:
        Lead.objects.filter(pk=message.ref).update(
            recipient=message.to[0] if message.to else "",
            notification_status=DELIVERY_OF[Status(message.status)],
            attempts=message.attempts,
            next_attempt_at=message.next_attempt_at,
            notified_at=message.sent_at,
            last_error=message.last_error,
        )
    elif message.kind == ACKNOWLEDGEMENT:
        Lead.objects.filter(pk=message.ref).update(
            acknowledgement=DELIVERY_OF[Status(message.status)]
        )


def lead_notify_again(lead: Lead, now: datetime | None = None) -> bool:
    """Have the notification sent at the next outbox run (an agent's "send again"): the
    queued message is made due now, or queued anew when there was none. False when it
    could not be queued (no address)."""
    now = now or timezone.now()
    message = Message.objects.about(NOTIFICATION, lead.pk).order_by("-pk").first()
    if message is not None and message.status != Status.SENT:
        message_requeue(message, now)
        Lead.objects.filter(pk=lead.pk).update(
            notification_status=Delivery.PENDING, next_attempt_at=now
        )
        return True
    return _queue_notification(lead, now)


def leads_queue_failed(*, now: datetime | None = None, limit: int = 200) -> int:
    """Queue the notifications that could not be queued when the lead came in (no address
    then) and are due again; returns how many are queued now."""
    now = now or timezone.now()
    queued = 0
    for lead in Lead.objects.notification_due(now).order_by("next_attempt_at")[:limit]:
        if Message.objects.about(NOTIFICATION, lead.pk).exists():
            continue  # the outbox retries it
        # Claim: of two overlapping runs, only the one that moves next_attempt_at queues.
        if not Lead.objects.filter(pk=lead.pk, next_attempt_at=lead.next_attempt_at).update(
            next_attempt_at=now + CLAIM
        ):
            continue
        queued += _queue_notification(lead, now)
    return queued


def leads_retry(*, now: datetime | None = None) -> SendReport:
    """Queue what could not be queued, then send the due lead e-mails (outside any
    transaction). Returns the outbox's report (sent, failed, left)."""
    leads_queue_failed(now=now)
    return outbox_send(kind_prefix="lead.", now=now)


def leads_purge(*, older_than: datetime) -> int:
    """Delete the leads received before `older_than`, and their e-mails."""
    old = Lead.objects.older_than(older_than)
    leads_forget_messages(old)
    deleted, _ = old.delete()
    return deleted


def leads_forget_messages(leads: QuerySet[Lead]) -> int:
    """Delete the outbox's copies of these leads' e-mails (they hold the same personal
    data); call before deleting the leads."""
    refs = [str(pk) for pk in leads.values_list("pk", flat=True)]
    deleted = 0
    for start in range(0, len(refs), 500):  # bounded IN lists
        count, _detail = Message.objects.filter(
            kind__startswith="lead.", ref__in=refs[start : start + 500]
        ).delete()
        deleted += count
    return deleted


def person_leads(queryset, email: str):
    return queryset.filter(email__iexact=email.strip())


def person_export(queryset, email: str) -> list[dict[str, Any]]:
    """Everything stored about one person (by e-mail), for a right-of-access request."""
    return [
        {
            "received": lead.created_at.isoformat(),
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "message": lead.message,
            "listing": lead.listing_label,
            "consent": lead.consent,
            "status": lead.status,
        }
        for lead in person_leads(queryset, email)
    ]
