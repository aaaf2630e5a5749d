"""Writes on leads: receive (store first), notify (with retries), purge and erase."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from showcase.core.cache import hits_count
from showcase.leads.models import Delivery, Lead
from showcase.leads.notifications import send_acknowledgement, send_notification
from showcase.listings.models import Agency, Listing
from showcase.tenants.models import Tenant

logger = logging.getLogger(__name__)
DEDUPE_WINDOW = 600  # seconds
MAX_ATTEMPTS = 8


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
    """Store the lead in one transaction, then notify. Returns (lead, created).

    A repeated submission (double click, reload) returns the first lead unchanged.
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
    except IntegrityError:
        return Lead.objects.get(dedupe_key=key), False
    lead_deliver(lead)
    if not lead.acknowledged:
        lead.acknowledged = send_acknowledgement(lead)
        Lead.objects.filter(pk=lead.pk).update(acknowledged=lead.acknowledged)
    return lead, True


def backoff(attempts: int) -> timedelta:
    """5 min, 10, 20, ... capped at 6 hours."""
    return timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 360))


def lead_deliver(lead: Lead) -> bool:
    """Send the notification once; record the outcome and when to try again."""
    now = timezone.now()
    try:
        recipient = send_notification(lead)
    except Exception as exc:  # noqa: BLE001 - any mail failure must be recorded, not raised
        lead.attempts += 1
        lead.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        lead.notification_status = (
            Delivery.GAVE_UP if lead.attempts >= MAX_ATTEMPTS else Delivery.FAILED
        )
        lead.next_attempt_at = now + backoff(lead.attempts)
        logger.warning("lead %s: notification failed (attempt %s): %s", lead.pk, lead.attempts, exc)
        Lead.objects.filter(pk=lead.pk).update(
            attempts=lead.attempts,
            last_error=lead.last_error,
            notification_status=lead.notification_status,
            next_attempt_at=lead.next_attempt_at,
        )
        return False
    lead.attempts += 1
    lead.recipient = recipient
    lead.notification_status = Delivery.SENT
    lead.notified_at = now
    lead.last_error = ""
    Lead.objects.filter(pk=lead.pk).update(
        attempts=lead.attempts,
        recipient=recipient,
        notification_status=Delivery.SENT,
        notified_at=now,
        last_error="",
    )
    return True


def leads_retry(*, now: datetime | None = None, limit: int = 200) -> tuple[int, int]:
    """Send the due notifications again; safe to run concurrently (each lead is claimed).

    Returns (sent, failed).
    """
    now = now or timezone.now()
    sent = failed = 0
    for lead in Lead.objects.due_for_delivery(now).order_by("next_attempt_at")[:limit]:
        # Claim: only one runner moves next_attempt_at from the value it read.
        claimed = Lead.objects.filter(pk=lead.pk, next_attempt_at=lead.next_attempt_at).update(
            next_attempt_at=now + timedelta(minutes=15)
        )
        if not claimed:
            continue
        if lead_deliver(lead):
            sent += 1
        else:
            failed += 1
    return sent, failed


def leads_purge(*, older_than: datetime) -> int:
    deleted, _ = Lead.objects.older_than(older_than).delete()
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
