"""Canonical and alternate-language links, always on the tenant's primary domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from showcase.core.site import SiteRequest, absolute_url
from showcase.tenants.languages import language_path

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


def _language_path(request: SiteRequest, language: str) -> str:
    """This page in `language`: the site's default language at the root, others under
    /<code>/ (see showcase.tenants.languages)."""
    return language_path(request.path, language, request.site.default_language)


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    request = context["request"]
    return absolute_url(request, request.path)


@register.simple_tag(takes_context=True)
def hreflang_links(context: template.Context) -> SafeString:
    request = context.get("request")
    if request is None:
        return SafeString("")
    languages = request.site.offered_languages
    if len(languages) < 2:
        return SafeString("")
    links = [(code, absolute_url(request, _language_path(request, code))) for code in languages]
    default = absolute_url(request, _language_path(request, request.site.default_language))
    return format_html_join(
        "\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links
    ) + format_html('\n  <link rel="alternate" hreflang="x-default" href="{}">', default)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[tuple[str, StrOrPromise, str, bool]]:
    """(code, name, URL of this page in that language, is current) for the switcher."""
    request = context["request"]
    offered = request.site.offered_languages
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    return [
        (
            code,
            name,
            _language_path(request, code) + (f"?{query}" if query else ""),
            code == current,
        )
        for code, name in settings.LANGUAGES
        if code in offered
    ]
