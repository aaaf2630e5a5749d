"""Whole-page cache for anonymous visitors, per site, language and full URL.

Each site has a version number shared by every process (showcase/core/cache.py: the
database); bumping it (`pages_invalidate`: a sync that changed something, an admin edit; the
receivers are connected by the tenants app) makes every cached page and card of that site
stale at once in every web worker. Page bodies stay in Django's cache (each process's
memory, or Redis when REDIS_URL is set): only the version is read from the shared store.
Pages carrying a CSRF token are stored with a placeholder and get a fresh token for
each visitor, so no visitor is ever served another visitor's token.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from showcase.core.cache import version_bump, version_get
from showcase.core.site import PLATFORM_KEY, SiteRequest

TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PLACEHOLDER = b"__VITRINE_CSRF_TOKEN__"


def page_version(site_key: str) -> int:
    """The version of a site's pages (`Site.key`)."""
    return version_get(f"pages:{site_key}")


def pages_invalidate(site_keys: list[str]) -> None:
    """Make every cached page of these sites stale (and the platform's, which shows all)."""
    for key in {*site_keys, PLATFORM_KEY}:
        version_bump(f"pages:{key}")


def request_page_version(request: SiteRequest) -> int:
    """The site's page version, read once per request (whole page and cards agree)."""
    version = getattr(request, "_page_version", None)
    if version is None:
        version = page_version(request.site.key)
        request._page_version = version  # type: ignore[attr-defined]
    return int(version)


def _cache_key(request: SiteRequest) -> str:
    key = request.site.key
    url = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    version = request_page_version(request)
    return f"pagecache:{key}:{version}:{get_language()}:{request.method == 'HEAD'}:{digest}"


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return False
    if request.path.startswith(f"/{settings.ADMIN_PATH}"):
        return False
    # A session means someone logged in (or a form in progress): never shared pages.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


class PageCacheMiddleware:
    """Sits inside CsrfViewMiddleware, so a fresh token's cookie is set on hits too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            # Any form token in the page is replaced at serving time, per visitor.
            content = TOKEN_INPUT.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
            headers = {k: v for k, v in response.headers.items() if k.lower() not in {"set-cookie"}}
            cache.set(key, (response.status_code, headers, content), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

    def _replay(
        self, request: HttpRequest, stored: tuple[int, dict[str, str], bytes]
    ) -> HttpResponse:
        status, headers, content = stored
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                response[name] = value
        response["Content-Length"] = str(len(content))
        response["X-Cache"] = "hit"
        # A revalidation of a cached page still answers 304.
        conditional = get_conditional_response(
            request, etag=response.get("ETag"), last_modified=None, response=response
        )
        # Given a response, Django answers it or a 304/412, never None: typed as optional.
        return conditional if conditional is not None else response


def card_cache(request: SiteRequest) -> dict[str, Any]:
    """Template context for cached listing cards (templates/includes/cached_card.html).

    A card's HTML depends on the listing (its upstream digest), the language, the embed
    mode and the site (branding, agent edits: the tenant's page version), so each card is
    rendered once and reused by every search, home and agency page that shows it; a
    sync or an admin edit bumps the version as it does for whole pages.
    """
    key = request.site.key
    return {
        "card_cache_seconds": settings.CARD_CACHE_SECONDS,
        "card_version": SimpleLazyObject(lambda: f"{key}.{request_page_version(request)}"),
    }
