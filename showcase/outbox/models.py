"""The outbox: every e-mail the site sends is a row first, sent later by a separate process.

A request (contact form, alert sign-up) only writes rows, in the same transaction as what
the e-mail is about; `manage.py outbox send` (cron or worker) talks to the mail server,
outside any transaction, and records each outcome here.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showcase.core.scope import SiteOwnedQuerySet


class Status(models.TextChoices):
    QUEUED = "queued", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will retry")
    GAVE_UP = "gave_up", _("failed, retries exhausted")


# What each kind of message is, for the back office (the apps that queue them name them).
KIND_WORDS = {
    "lead.notification": _("contact request, to the agency"),
    "lead.acknowledgement": _("acknowledgement, to the sender"),
    "alert.confirmation": _("alert confirmation, to the visitor"),
    "alert.digest": _("new listings of an alert, to the visitor"),
}


class MessageQuerySet(SiteOwnedQuerySet["Message"]):
    def due(self, now: datetime) -> MessageQuerySet:
        """Messages not sent yet whose next attempt is due at `now`."""
        return self.filter(status__in=[Status.QUEUED, Status.FAILED], next_attempt_at__lte=now)

    def about(self, kind_prefix: str, ref: object) -> MessageQuerySet:
        """The messages about one object, e.g. `about("lead.", 12)`."""
        return self.filter(kind__startswith=kind_prefix, ref=str(ref))


class Message(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_messages",
        verbose_name=_("agency website"),
    )
    # What the message is about, e.g. kind "lead.notification" and ref "12" (the lead's pk):
    # the app that queued it follows the outcome and deletes it with its object.
    kind = models.CharField(_("kind"), max_length=40)
    ref = models.CharField(_("about"), max_length=40, blank=True)
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)  # list of addresses
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["kind", "ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    def kind_words(self) -> str:
        return str(KIND_WORDS.get(self.kind, self.kind))
