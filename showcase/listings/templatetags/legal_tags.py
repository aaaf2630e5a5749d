"""Upstream HTML (agency legal texts, fee schedules) through the legal allow-list."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from showcase.core.html import clean_legal_html
from showcase.listings.identity import LegalItem, agency_items, upstream_text
from showcase.listings.models import Agency

register = template.Library()


def sanitize(html: str) -> SafeString:
    """The legal policy of showcase/core/html.py (the name tenants/views.py imports)."""
    return clean_legal_html(html)


@register.filter
def safe_html(html: str) -> SafeString:
    return sanitize(upstream_text(html))  # a list or object from the feed: nothing


@register.simple_tag
def agency_legal_items(agency: Agency) -> list[LegalItem]:
    """The agency's identity items that have a value: the agent's entries, else its feed's."""
    return [item for item in agency_items(agency) if item.value]
