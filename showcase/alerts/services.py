"""Alert services: subscribe, confirm, unsubscribe, collect matches, queue and send, purge.

E-mails are queued in the outbox with what they are about; only `alerts send` and
`outbox send` talk to the mail server, outside any transaction."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from showcase.alerts.models import Alert, AlertItem
from showcase.core.cache import hits_count
from showcase.listings.models import Listing
from showcase.listings.search import listing_search
from showcase.outbox.models import Message, Status
from showcase.outbox.services import SendReport, message_queue, outbox_send

logger = logging.getLogger(__name__)

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# Query parameters that only shape the page, not which listings match.
PAGE_ONLY = {"page", "limit", "sort"}
SEED_LIMIT = 5000
PREFIX = "alert."
CONFIRMATION = "alert.confirmation"
DIGEST = "alert.digest"


def criteria_query(query: QueryDict) -> str:
    """The criteria part of a search query string, in a stable order."""
    kept = QueryDict(mutable=True)
    for name in sorted(query):
        if name in PAGE_ONLY:
            continue
        values = [v for v in query.getlist(name) if v.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def alert_matches(alert: Alert) -> QuerySet:
    """The listings the alert's criteria find on its site, as its search page finds them."""
    return listing_search(site=alert.site(), params=QueryDict(alert.query)).results


def confirm_token(alert: Alert) -> str:
    return signing.dumps({"a": alert.pk, "e": alert.email}, salt=CONFIRM_SALT)


def unsubscribe_token(alert: Alert) -> str:
    return signing.dumps({"a": alert.pk, "e": alert.email}, salt=UNSUBSCRIBE_SALT)


def _alert_from(token: str, salt: str, max_age: int | None) -> Alert | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("a") is None:
        return None  # a token without a pk matches no alert
    return Alert.objects.filter(pk=data["a"], email=data.get("e")).first()


def _link(alert: Alert, name: str, token: str) -> str:
    with translation.override(alert.language):
        return alert.base_url.rstrip("/") + reverse(name, kwargs={"token": token})


def _queue(alert: Alert, kind: str, subject: str, template: str, context: dict) -> Message:
    """Render one e-mail of this alert and queue it in the outbox (no network)."""
    unsubscribe = _link(alert, "alert-unsubscribe", unsubscribe_token(alert))
    with translation.override(alert.language):
        body = render_to_string(template, {"alert": alert, "unsubscribe": unsubscribe, **context})
    headers = {}
    if kind == DIGEST:
        # RFC 2369 and RFC 8058: mail clients offer their own one-click unsubscribe.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return message_queue(
        kind=kind,
        ref=alert.pk,
        tenant=alert.tenant,
        to=[alert.email],
        subject=subject,
        body=body,
        headers=headers,
    )


class RateLimited(Exception):
    """Too many sign-ups lately from this address or this client."""


def alert_rate_check(*, ip: str, email: str) -> None:
    """Count one sign-up; raise RateLimited past ALERTS_RATE_LIMIT per e-mail address (twice
    that per client IP address) per ALERTS_RATE_PERIOD seconds."""
    limit, period = settings.ALERTS_RATE_LIMIT
    ip_key = "alerts:rate:ip:" + hashlib.sha256(ip.encode()).hexdigest()[:32]
    mail_key = "alerts:rate:mail:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    ip_ok = hits_count(ip_key, period) <= limit * 2
    mail_ok = hits_count(mail_key, period) <= limit
    if not (ip_ok and mail_ok):
        raise RateLimited


def _queue_confirmation(alert: Alert) -> Message:
    with translation.override(alert.language):
        subject = translation.gettext("Confirm your property alert")
    return _queue(
        alert,
        CONFIRMATION,
        subject,
        "alerts/email_confirm.txt",
        {
            "confirm": _link(alert, "alert-confirm", confirm_token(alert)),
            "search": search_url(alert),
            "hours": settings.ALERTS_CONFIRM_MAX_AGE // 3600,
        },
    )


def alert_subscribe(
    *, tenant, email: str, query: str, frequency: str, language: str, base_url: str
) -> tuple[Alert, bool]:
    """Store an unconfirmed alert and queue its confirmation link (double opt-in), in one
    transaction; `manage.py outbox send` sends the link. Returns (alert, created).

    The same criteria again from the same address make no second alert: an unconfirmed
    one gets a new link unless its link is still waiting to be sent; a confirmed one is
    left as it is (and nothing is sent)."""
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        existing = (
            Alert.objects.filter(tenant=tenant, email__iexact=email, query=query)
            .filter(
                Q(confirmed_at__isnull=False)
                | Q(created_at__gt=now - timedelta(seconds=settings.ALERTS_CONFIRM_MAX_AGE))
            )
            .order_by("-confirmed_at", "-created_at")
            .first()
        )
        if existing is not None:
            if existing.confirmed_at is None:
                waiting = Message.objects.about(CONFIRMATION, existing.pk).filter(
                    status__in=[Status.QUEUED, Status.FAILED]
                )
                Alert.objects.filter(pk=existing.pk).update(frequency=frequency, language=language)
                existing.frequency, existing.language = frequency, language
                if not waiting.exists():
                    _queue_confirmation(existing)
            return existing, False
        alert = Alert.objects.create(
            tenant=tenant,
            email=email,
            query=query,
            frequency=frequency,
            language=language,
            base_url=base_url,
            created_at=now,
        )
        _queue_confirmation(alert)
    return alert, True


def alert_for_confirm(token: str) -> Alert | None:
    """The alert a confirmation link is for, confirming nothing (the link's page)."""
    return _alert_from(token, CONFIRM_SALT, settings.ALERTS_CONFIRM_MAX_AGE)


def alert_confirm(token: str) -> Alert | None:
    """Confirm from the e-mailed link. The listings matching now are recorded as known,
    so the e-mails only bring what is new after this moment."""
    alert = _alert_from(token, CONFIRM_SALT, settings.ALERTS_CONFIRM_MAX_AGE)
    if alert is None:
        return None
    if alert.confirmed_at is None:
        with transaction.atomic():
            alert.confirmed_at = timezone.now()
            alert.save(update_fields=["confirmed_at"])
            rows = alert_matches(alert).values_list("pk", "price")[:SEED_LIMIT]
            AlertItem.objects.bulk_create(
                [AlertItem(alert=alert, listing_id=pk, price=price) for pk, price in rows],
                ignore_conflicts=True,
            )
    return alert


def alert_for_unsubscribe(token: str) -> Alert | None:
    return _alert_from(token, UNSUBSCRIBE_SALT, None)


def alert_unsubscribe(alert: Alert) -> None:
    """Unsubscribing deletes the alert, its ledger and its e-mails: nothing about it is kept."""
    with transaction.atomic():
        Message.objects.about(PREFIX, alert.pk).delete()
        alert.delete()


def search_url(alert: Alert) -> str:
    with translation.override(alert.language):
        path = reverse("listing-search")
    return alert.base_url.rstrip("/") + path + (f"?{alert.query}" if alert.query else "")


@dataclass
class Digest:
    new: list[Listing] = field(default_factory=list)
    drops: list[tuple[Listing, int]] = field(default_factory=list)  # (listing, old price)
    more: int = 0

    def __bool__(self) -> bool:
        return bool(self.new or self.drops)


def alert_collect(alert: Alert) -> Digest:
    """What is new for this alert since its ledger, recording it in the ledger.

    Call inside a transaction: the ledger rows and the e-mail stand or fall together."""
    current = dict(alert_matches(alert).values_list("pk", "price"))
    known = dict(AlertItem.objects.filter(alert=alert).values_list("listing_id", "price"))
    new_ids = [pk for pk in current if pk not in known]
    # Only a known price can drop or rise.
    known_prices = {pk: price for pk, price in known.items() if price is not None}
    drop_ids = [
        pk
        for pk, price in current.items()
        if pk in known_prices and price is not None and price < known_prices[pk]
    ]
    rise_ids = [
        pk
        for pk, price in current.items()
        if pk in known_prices and price is not None and price > known_prices[pk]
    ]
    now = timezone.now()
    AlertItem.objects.bulk_create(
        [
            AlertItem(alert=alert, listing_id=pk, price=current[pk], announced_at=now)
            for pk in new_ids
        ]
    )
    for pk in drop_ids + rise_ids:
        AlertItem.objects.filter(alert=alert, listing_id=pk).update(
            price=current[pk], announced_at=now
        )
    limit = settings.ALERTS_MAX_ITEMS
    shown_new = new_ids[:limit]
    shown_drops = drop_ids[: max(limit - len(shown_new), 0)]
    by_pk = Listing.objects.in_bulk(shown_new + shown_drops)
    return Digest(
        new=[by_pk[pk] for pk in shown_new if pk in by_pk],
        drops=[(by_pk[pk], known_prices[pk]) for pk in shown_drops if pk in by_pk],
        more=len(new_ids) + len(drop_ids) - len(shown_new) - len(shown_drops),
    )


def alert_queue_one(alert: Alert, now: datetime) -> bool:
    """Queue this alert's digest if it is due and has news (no network: the outbox sends
    it, with retries). Safe under concurrent runs: the alert is claimed by a
    compare-and-set on `last_sent_at` inside the transaction that writes the ledger and
    queues the e-mail, so a second runner finds nothing to claim."""
    with transaction.atomic():
        claimed = (
            Alert.objects.due(now)
            .filter(pk=alert.pk, last_sent_at=alert.last_sent_at)
            .update(last_sent_at=now)
        )
        if not claimed:
            return False
        digest = alert_collect(alert)
        if not digest:
            # Nothing to say: the frequency clock does not start (price rises stay recorded).
            Alert.objects.filter(pk=alert.pk).update(last_sent_at=alert.last_sent_at)
            return False
        with translation.override(alert.language):
            subject = translation.ngettext(
                "%(count)d new match for your property search",
                "%(count)d new matches for your property search",
                len(digest.new) + len(digest.drops) + digest.more,
            ) % {"count": len(digest.new) + len(digest.drops) + digest.more}
        _queue(
            alert,
            DIGEST,
            subject,
            "alerts/email_digest.txt",
            {"digest": digest, "search": search_url(alert)},
        )
    return True


def alerts_queue(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue the digest of every due alert: (digests queued, alerts that failed)."""
    now = now or timezone.now()
    queued = failed = 0
    for alert in Alert.objects.due(now).select_related("tenant").order_by("pk").iterator():
        try:
            queued += alert_queue_one(alert, now)
        except Exception:
            failed += 1
            logger.exception("alert %s: digest not queued", alert.pk)
    return queued, failed


def alerts_send(*, now: datetime | None = None) -> SendReport:
    """Queue the due digests, then send the due alert e-mails (digests, confirmation
    links) outside any transaction. An alert whose digest could not be made counts as
    failed."""
    _queued, broken = alerts_queue(now=now)
    report = outbox_send(kind_prefix=PREFIX, now=now)
    report.failed += broken
    return report


def alerts_purge(*, older_than: datetime, now: datetime | None = None) -> int:
    """Delete alerts created before `older_than` (the lead retention rule) and the
    confirmation requests nobody confirmed in time."""
    now = now or timezone.now()
    expiry = now - timedelta(seconds=settings.ALERTS_CONFIRM_MAX_AGE)
    stale = Alert.objects.filter(created_at__lt=older_than) | Alert.objects.unconfirmed().filter(
        created_at__lt=expiry
    )
    with transaction.atomic():
        refs = [str(pk) for pk in stale.values_list("pk", flat=True)]
        for start in range(0, len(refs), 500):  # bounded IN lists
            Message.objects.filter(
                kind__startswith=PREFIX, ref__in=refs[start : start + 500]
            ).delete()
        _total, per_model = stale.delete()
    return per_model.get(Alert._meta.label, 0)
