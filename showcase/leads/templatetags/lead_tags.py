from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from showcase.leads.forms import ContactForm

register = template.Library()


@register.inclusion_tag("leads/contact_form.html", takes_context=True)
def contact_form(
    context: template.Context, listing: Any = None, agency: Any = None
) -> dict[str, Any]:
    """A fresh contact form for a listing or an agency page."""
    if listing is not None:
        action = reverse("lead-listing", kwargs={"pk": listing.pk})
    else:
        action = reverse("lead-agency", kwargs={"pk": agency.pk})
    return {
        "form": ContactForm(),
        "action": action,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
