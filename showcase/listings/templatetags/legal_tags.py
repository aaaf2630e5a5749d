"""Upstream HTML (agency legal texts, fee schedules) through an allow-list."""

from __future__ import annotations

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BLOCK_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "small",
    "sup",
    "sub",
    "abbr",
}


def sanitize(html: str) -> SafeString:
    cleaned = nh3.clean(
        html or "",
        tags=BLOCK_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 output


@register.filter
def safe_html(html: str) -> SafeString:
    return sanitize(str(html) if html is not None else "")
