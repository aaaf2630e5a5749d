"""Writes on leads: receive (store, queue the e-mails), follow their delivery, purge and erase."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from showcase.celery import task_queue_on_commit
from showcase.core.cache import hits_count
from showcase.feeds.apimo.actions import (
    ActionFailed,
    SellerProperty,
    seller_property_create,
    seller_property_find,
)
from showcase.feeds.apimo.client import ApimoClient
from showcase.feeds.models import Feed, FeedKind
from showcase.leads.models import Delivery, Lead, LeadKind, Upstream, Valuation
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
    valuation: dict[str, Any] | None = None,
) -> tuple[Lead, bool]:
    """Store the lead and queue its two e-mails in one transaction; no mail server is
    involved (`manage.py outbox send` sends them). Returns (lead, created).

    With `valuation` (the seller page: `property_type`, `city`, `zip_code`, `surface` in
    m², `rooms`), the lead is a valuation request and its `Valuation` is stored with it;
    when the agency is synced from Apimo, the property is due to be created there by
    `leads retry` (never by the request: a public page does not wait on Apimo).

    A repeated submission (double click, reload) returns the first lead unchanged. When the
    e-mails cannot be queued (no address to notify), the lead is stored all the same, its
    notification marked failed with the reason, and `leads retry` queues it later.
    """
    about = data.get("message", "")
    if valuation is not None:
        about = " ".join(str(valuation.get(k) or "") for k in sorted(valuation)) + " " + about
    key = _dedupe_key(tenant, listing, agency, data["email"], about)
    existing = Lead.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            lead = Lead.objects.create(
                tenant=tenant,
                listing=listing,
                agency=agency or (listing.agency if listing else None),
                kind=LeadKind.VALUATION if valuation is not None else LeadKind.CONTACT,
                listing_label=(
                    f"{listing} ({listing.reference or listing.upstream_id})" if listing else ""
                )[:300],
                name=data["name"],
                email=data["email"],
                phone=data.get("phone", ""),
                message=data.get("message", ""),
                consent=bool(data.get("consent")),
                language=language,
                dedupe_key=key,
            )
            if valuation is not None and _valuation_store(lead, valuation).upstream_feed_id:
                # With task workers, the property is created upstream right after the commit.
                _retry_after_commit()
            _queue_notification(lead)
            _queue_acknowledgement(lead)
    except IntegrityError:
        return Lead.objects.get(dedupe_key=key), False
    return lead, True


def valuation_feed(agency: Agency | None) -> Feed | None:
    """The Apimo feed a seller's property is created through: the agency's own feed when
    it is an active Apimo feed of that very agency (the client only addresses the feed's
    agency), else None. The agency comes from the site's scope, so the feed is the site's."""
    if agency is None:
        return None
    feed = agency.feed
    if feed.kind != FeedKind.APIMO or not feed.is_active:
        return None
    if str(agency.upstream_id) != str(feed.upstream_agency_id):
        return None
    return feed


def _valuation_store(lead: Lead, details: dict[str, Any]) -> Valuation:
    feed = valuation_feed(lead.agency)
    valuation = Valuation.objects.create(
        lead=lead,
        property_type=details["property_type"],
        city=details["city"],
        zip_code=details["zip_code"],
        surface=details["surface"],
        rooms=details.get("rooms"),
        upstream_feed=feed,
        upstream_reference=f"vitrine-seller-{lead.pk}-{uuid.uuid4().hex[:10]}",
        upstream_status=Upstream.PENDING if feed is not None else Upstream.NONE,
    )
    label = f"{valuation.get_property_type_display()}, {valuation.surface} m², {valuation.city}"
    lead.listing_label = label[:300]
    Lead.objects.filter(pk=lead.pk).update(listing_label=lead.listing_label)
    return valuation


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


@dataclass
class UpstreamReport:
    created: int = 0
    failed: int = 0


def _seller_property(valuation: Valuation) -> SellerProperty:
    lead = valuation.lead
    owner = "\n".join(
        part for part in (lead.name, lead.email, lead.phone, f"Vitrine lead {lead.pk}") if part
    )
    return SellerProperty(
        reference=valuation.upstream_reference,
        property_type=valuation.property_type,
        city=valuation.city,
        zip_code=valuation.zip_code,
        surface=valuation.surface,
        rooms=valuation.rooms,
        description=lead.message,
        owner=owner,
    )


def _upstream_call(valuation: Valuation, feed: Feed, now: datetime) -> str:
    """One attempt: after an earlier attempt, first look for the property by our
    reference (its answer may have been lost after Apimo created it), then create it."""
    client = ApimoClient(feed)
    if valuation.upstream_first_attempt_at is not None:
        # A minute of margin for clocks; the list filter is "changed since".
        since = int(valuation.upstream_first_attempt_at.timestamp()) - 60
        found = seller_property_find(
            client=client, reference=valuation.upstream_reference, since=since
        )
        if found:
            return found
    else:
        valuation.upstream_first_attempt_at = now
        Valuation.objects.filter(pk=valuation.pk).update(upstream_first_attempt_at=now)
    return seller_property_create(client=client, prop=_seller_property(valuation))


def valuation_create_upstream(valuation: Valuation, now: datetime | None = None) -> bool:
    """Create the seller's property in the agency's Apimo account, awaiting the agent
    (POST /agencies/{agency_id}/properties, step 2 "En attente", status 20 "Attente
    mandat"), and record the outcome on the valuation: the upstream id, or the attempt,
    the error in words and the next attempt after the outbox's back-off (given up after
    MAX_ATTEMPTS). Idempotent: a valuation with an upstream id is never sent again, and a
    retry first looks the property up by our reference. No transaction is held during
    the HTTP calls. True when the property exists upstream."""
    now = now or timezone.now()
    if valuation.upstream_id:
        return True
    feed = valuation.upstream_feed
    if feed is None:
        return False
    try:
        # The error is kept for the agents, in their language (as the notification is).
        with translation.override("fr"):
            upstream_id = _upstream_call(valuation, feed, now)
    except Exception as exc:  # noqa: BLE001 - recorded, shown to the agent and retried
        valuation.upstream_attempts += 1
        valuation.upstream_status = (
            Upstream.GAVE_UP if valuation.upstream_attempts >= MAX_ATTEMPTS else Upstream.FAILED
        )
        valuation.upstream_last_error = (
            str(exc) if isinstance(exc, ActionFailed) else f"{type(exc).__name__}: {exc}"
        )[:1000]
        valuation.upstream_next_attempt_at = now + backoff(valuation.upstream_attempts)
        logger.warning("lead %s: Apimo property not created: %s", valuation.lead_id, exc)
        Valuation.objects.filter(pk=valuation.pk).update(
            upstream_attempts=valuation.upstream_attempts,
            upstream_status=valuation.upstream_status,
            upstream_last_error=valuation.upstream_last_error,
            upstream_next_attempt_at=valuation.upstream_next_attempt_at,
        )
        return False
    valuation.upstream_id, valuation.upstream_status = upstream_id, Upstream.CREATED
    valuation.upstream_created_at, valuation.upstream_last_error = now, ""
    Valuation.objects.filter(pk=valuation.pk).update(
        upstream_id=upstream_id,
        upstream_status=Upstream.CREATED,
        upstream_created_at=now,
        upstream_last_error="",
    )
    return True


def valuations_create_due(*, now: datetime | None = None, limit: int = 50) -> UpstreamReport:
    """Create upstream the sellers' properties whose attempt is due, one by one, each
    claimed first (a compare-and-set on its next attempt) so that two overlapping runs
    never send the same property twice."""
    now = now or timezone.now()
    report = UpstreamReport()
    due = list(
        Valuation.objects.creation_due(now)
        .select_related("lead", "upstream_feed")
        .order_by("upstream_next_attempt_at", "pk")[:limit]
    )
    for valuation in due:
        if not Valuation.objects.filter(
            pk=valuation.pk, upstream_next_attempt_at=valuation.upstream_next_attempt_at
        ).update(upstream_next_attempt_at=now + CLAIM):
            continue  # another run took it
        if valuation_create_upstream(valuation, now):
            report.created += 1
        else:
            report.failed += 1
    return report


def valuation_retry_now(valuation: Valuation, now: datetime | None = None) -> bool:
    """Make a failed or abandoned creation due at the next `leads retry` (an agent's
    "try again"); False when there is nothing to create (created, or no Apimo feed)."""
    now = now or timezone.now()
    due = bool(
        Valuation.objects.filter(
            pk=valuation.pk,
            upstream_feed__isnull=False,
            upstream_status__in=[Upstream.PENDING, Upstream.FAILED, Upstream.GAVE_UP],
        ).update(upstream_status=Upstream.FAILED, upstream_next_attempt_at=now)
    )
    if due:
        _retry_after_commit()
    return due


def _retry_after_commit() -> None:
    """With task workers, run `leads_retry` once the caller's transaction commits rather
    than at the next periodic run."""
    from showcase.leads.tasks import leads_retry_task

    task_queue_on_commit(leads_retry_task)


def leads_retry(*, now: datetime | None = None) -> tuple[SendReport, UpstreamReport]:
    """Queue what could not be queued, create the due sellers' properties on Apimo, then
    send the due lead e-mails (all outside any transaction). Returns the outbox's report
    (sent, failed, left) and the Apimo one (created, failed)."""
    leads_queue_failed(now=now)
    upstream = valuations_create_due(now=now)
    return outbox_send(kind_prefix="lead.", now=now), upstream


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
            "kind": lead.kind,
            **_valuation_export(lead),
            "consent": lead.consent,
            "status": lead.status,
        }
        for lead in person_leads(queryset, email).select_related("valuation")
    ]


def _valuation_export(lead: Lead) -> dict[str, Any]:
    try:
        valuation = lead.valuation
    except Valuation.DoesNotExist:
        return {}
    return {
        "property": {
            "type": valuation.property_type,
            "town": valuation.city,
            "postcode": valuation.zip_code,
            "surface_m2": valuation.surface,
            "rooms": valuation.rooms,
            "apimo_property_id": valuation.upstream_id,
        }
    }
