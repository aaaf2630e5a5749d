"""E-mails about a lead, queued in the outbox: the notification to the agency and the
acknowledgement to the sender. Nothing here talks to a mail server."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from showcase.leads.models import Lead, LeadKind
from showcase.outbox.models import Message
from showcase.outbox.services import message_queue

NOTIFICATION = "lead.notification"
ACKNOWLEDGEMENT = "lead.acknowledgement"


class NoRecipient(ValueError):
    """Neither the listing, the agency, the site nor the settings give an address."""


def recipient_for(lead: Lead) -> str:
    """The listing's contact, else the agency, else the site's lead address, else the fallback."""
    contact = lead.listing.contact if lead.listing else {}
    if isinstance(contact, dict) and contact.get("mail"):
        return str(contact["mail"]).strip()
    agency = lead.agency
    if agency is not None and agency.emails:
        return str(agency.emails[0]).strip()
    if lead.tenant is not None and lead.tenant.lead_email:
        return lead.tenant.lead_email
    return settings.LEADS_FALLBACK_EMAIL


def queue_notification(lead: Lead) -> Message:
    """Queue the lead for the agency (in French, the agencies' language).

    Raises NoRecipient when no address is known."""
    recipient = recipient_for(lead)
    if not recipient:
        raise NoRecipient(
            "No address to notify: set the site's lead e-mail or LEADS_FALLBACK_EMAIL."
        )
    with translation.override("fr"):
        if lead.kind == LeadKind.VALUATION:
            subject = _("Valuation request: %(about)s") % {"about": lead.listing_label}
        else:
            subject = _("Contact request: %(about)s") % {
                "about": lead.listing_label or _("your agency")
            }
        body = render_to_string("emails/lead_notification.txt", {"lead": lead})
    return message_queue(
        kind=NOTIFICATION,
        ref=lead.pk,
        tenant=lead.tenant,
        to=[recipient],
        reply_to=[lead.email],
        subject=subject[:150],
        body=body,
        headers={"X-Vitrine-Lead": str(lead.pk)},
    )


def queue_acknowledgement(lead: Lead) -> Message:
    """Queue the note telling the sender, in their language, that we received the message."""
    with translation.override(lead.language or "fr"):
        subject = _("We have received your message")
        body = render_to_string("emails/lead_ack.txt", {"lead": lead})
    return message_queue(
        kind=ACKNOWLEDGEMENT,
        ref=lead.pk,
        tenant=lead.tenant,
        to=[lead.email],
        subject=subject,
        body=body,
    )
