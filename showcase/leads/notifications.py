"""E-mails about a lead: the notification to the agency and the acknowledgement to the sender."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from showcase.leads.models import Lead

logger = logging.getLogger(__name__)


def _one_line(text: str, limit: int = 150) -> str:
    return " ".join(str(text).split())[:limit]


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


def send_notification(lead: Lead) -> str:
    """Send the lead to the agency; returns the address used. Raises on failure."""
    recipient = recipient_for(lead)
    if not recipient:
        raise ValueError(
            "No address to notify: set the site's lead e-mail or LEADS_FALLBACK_EMAIL."
        )
    with translation.override("fr"):
        subject = _one_line(
            _("Contact request: %(about)s") % {"about": lead.listing_label or _("your agency")}
        )
        body = render_to_string("emails/lead_notification.txt", {"lead": lead})
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=[lead.email],
        headers={"X-Vitrine-Lead": str(lead.pk)},
    )
    message.send(fail_silently=False)
    return recipient


def send_acknowledgement(lead: Lead) -> bool:
    """Tell the sender we received the message; a failure here is logged, not retried."""
    with translation.override(lead.language or "fr"):
        subject = _one_line(_("We have received your message"))
        body = render_to_string("emails/lead_ack.txt", {"lead": lead})
    try:
        EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[lead.email]
        ).send()
    except Exception as exc:  # noqa: BLE001
        logger.warning("lead %s: acknowledgement not sent: %s", lead.pk, exc)
        return False
    return True
