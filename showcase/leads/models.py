"""Leads: home seekers contacting an agency. Stored first, notified after, never lost."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from showcase.core.scope import SiteOwnedQuerySet
from showcase.listings.models import Agency, Listing, PropertyType
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


class LeadKind(models.TextChoices):
    CONTACT = "contact", _("contact request")
    VALUATION = "valuation", _("valuation request")


class Upstream(models.TextChoices):
    """Where the seller's property stands in the agency's software (Apimo)."""

    NONE = "none", _("not sent (no Apimo feed)")
    PENDING = "pending", _("waiting to be created")
    # The property (le bien): "créé", not the sync run's "créées" (annonces).
    CREATED = "created", pgettext_lazy("an Apimo property", "created")
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
    kind = models.CharField(
        _("kind"), max_length=10, choices=LeadKind.choices, default=LeadKind.CONTACT
    )
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


class ValuationQuerySet(models.QuerySet["Valuation"]):
    def creation_due(self, now: datetime) -> ValuationQuerySet:
        """Properties still to create upstream whose next attempt is due at `now`."""
        return self.filter(
            upstream_status__in=[Upstream.PENDING, Upstream.FAILED],
            upstream_next_attempt_at__lte=now,
            upstream_feed__isnull=False,
        )


class Valuation(models.Model):
    """What an owner says of the property to value or sell (the seller page), and its
    creation as a property awaiting the agent in the agency's Apimo account.

    Deleted with its lead: the leads' retention, purge and erasure cover it."""

    lead = models.OneToOneField(
        Lead, on_delete=models.CASCADE, related_name="valuation", verbose_name=_("lead")
    )
    property_type = models.CharField(
        _("property type"), max_length=12, choices=PropertyType.choices
    )
    city = models.CharField(_("town"), max_length=120)
    zip_code = models.CharField(_("postcode"), max_length=5)
    surface = models.PositiveIntegerField(_("living area (m²)"))
    rooms = models.PositiveSmallIntegerField(_("rooms"), null=True, blank=True)
    # The site's Apimo feed of the chosen agency; None when the agency is not Apimo's.
    upstream_feed = models.ForeignKey(
        "feeds.Feed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Apimo feed"),
    )
    # Ours, sent with the property: finds it again when an answer was lost (idempotence).
    upstream_reference = models.CharField(_("our reference upstream"), max_length=60, blank=True)
    upstream_id = models.CharField(_("Apimo property id"), max_length=40, blank=True)
    upstream_status = models.CharField(
        _("Apimo property"), max_length=10, choices=Upstream.choices, default=Upstream.NONE
    )
    upstream_attempts = models.PositiveSmallIntegerField(_("creation attempts"), default=0)
    upstream_first_attempt_at = models.DateTimeField(
        _("first creation attempt"), null=True, blank=True
    )
    upstream_next_attempt_at = models.DateTimeField(
        _("next creation attempt"), default=timezone.now, db_index=True
    )
    upstream_created_at = models.DateTimeField(_("created upstream"), null=True, blank=True)
    upstream_last_error = models.TextField(_("last creation error"), blank=True)

    objects = ValuationQuerySet.as_manager()

    class Meta:
        verbose_name = _("property to value")
        verbose_name_plural = _("properties to value")

    def __str__(self) -> str:
        return f"{self.get_property_type_display()}, {self.surface} m², {self.city}"
