"""Saved searches: a visitor's criteria, e-mailed back when new listings or price drops match.

No account: an alert is an e-mail address (confirmed by double opt-in), a query string
in the search page's own format, and a ledger of what was already announced.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showcase.core.scope import SiteOwnedQuerySet
from showcase.core.site import Site
from showcase.listings.models import Listing


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As soon as there is something new")
    DAILY = "daily", _("At most once a day")
    WEEKLY = "weekly", _("At most once a week")


# The shortest gap between two e-mails of one alert.
MIN_GAP = {
    Frequency.IMMEDIATE: timedelta(0),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}


class AlertQuerySet(SiteOwnedQuerySet["Alert"]):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)

    def due(self, now: datetime):
        """Confirmed alerts whose frequency allows an e-mail now."""
        condition = Q(last_sent_at__isnull=True)
        for frequency, gap in MIN_GAP.items():
            condition |= Q(frequency=frequency, last_sent_at__lte=now - gap)
        return self.confirmed().filter(condition)


class Alert(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("website"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    email = models.EmailField(_("e-mail"))
    # The search page's query string (criteria only: no page, limit or sort).
    query = models.CharField(_("criteria"), max_length=1000, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    language = models.CharField(_("language"), max_length=5, default="fr")
    # Scheme and host the visitor used, for the links in e-mails sent from cron.
    base_url = models.CharField(_("site address"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last e-mail"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["confirmed_at", "last_sent_at"])]

    def __str__(self) -> str:
        return f"{self.email} — {self.query or '*'}"

    def site(self) -> Site:
        """The site the alert was made on, whose listings it watches."""
        return self.tenant.site() if self.tenant is not None else Site.platform()

    @property
    def confirm_expires_at(self) -> datetime:
        return self.created_at + timedelta(seconds=settings.ALERTS_CONFIRM_MAX_AGE)


class AlertItem(models.Model):
    """The ledger: a listing already announced (or already matching at confirmation) to
    an alert, with the price it had then, so a later lower price is a price drop."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="items")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    price = models.PositiveBigIntegerField(null=True, blank=True)
    announced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "listing"], name="alert_item_once")]

    def __str__(self) -> str:
        return f"{self.alert_id}:{self.listing_id}@{self.price}"
