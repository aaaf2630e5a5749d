"""Leads: home seekers contacting an agency. Stored first, notified after, never lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showcase.core.scope import SiteOwnedQuerySet
from showcase.listings.models import Agency, Listing
from showcase.tenants.models import Tenant


class LeadStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    SPAM = "spam", _("spam")


class Delivery(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will retry")
    GAVE_UP = "gave_up", _("failed, retries exhausted")


class LeadQuerySet(SiteOwnedQuerySet["Lead"]):
    def notification_due(self, now):
        """Leads whose notification is not sent and whose next attempt is due at `now`."""
        return self.filter(
            notification_status__in=[Delivery.PENDING, Delivery.FAILED], next_attempt_at__lte=now
        )

    def older_than(self, moment):
        return self.filter(created_at__lt=moment)


class Lead(models.Model):
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("agency website"),
    )
    listing = models.ForeignKey(
        Listing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("listing"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("agency"),
    )
    # A copy, so the lead stays readable when the listing is gone.
    listing_label = models.CharField(_("listing"), max_length=300, blank=True)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254, db_index=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=3000)
    consent = models.BooleanField(_("agreed to be contacted"), default=False)
    language = models.CharField(_("language"), max_length=5, default="fr")
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_leads",
        verbose_name=_("assigned to"),
    )
    # The notification's and acknowledgement's delivery, as the outbox last reported it.
    recipient = models.EmailField(_("notified address"), blank=True)
    notification_status = models.CharField(
        _("notification"), max_length=10, choices=Delivery.choices, default=Delivery.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    acknowledgement = models.CharField(
        _("acknowledgement to the sender"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.PENDING,
    )
    # Same person, listing and message within a few minutes: one lead (double clicks).
    dedupe_key = models.CharField(max_length=64, unique=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
