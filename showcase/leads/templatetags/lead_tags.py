from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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
        "fields": blank_fields(get_language()),
        "action": action,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


def blank_fields(language: str | None) -> SafeString:
    """The visible fields of a fresh contact form in the active `language`: the same on
    every page (the `started` token is a hidden field), so drawn once per language; they
    were a quarter of a detail page's rendering. Drawn afresh in development, where the
    templates change under a running server."""
    if settings.DEBUG:
        return _draw_blank_fields()
    return _blank_fields_in(language)


@cache
def _blank_fields_in(language: str | None) -> SafeString:
    return _draw_blank_fields()


def _draw_blank_fields() -> SafeString:
    return SafeString(render_to_string("leads/contact_fields.html", {"form": ContactForm()}))
