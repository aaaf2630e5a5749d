"""Upstream HTML (agency legal texts, fee schedules) through the legal allow-list."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from showcase.core.html import clean_legal_html

register = template.Library()


def sanitize(html: str) -> SafeString:
    """The legal policy of showcase/core/html.py (the name tenants/views.py imports)."""
    return clean_legal_html(html)


@register.filter
def safe_html(html: str) -> SafeString:
    return sanitize(str(html) if html is not None else "")
