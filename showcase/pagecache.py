"""Whole-page cache for anonymous visitors, per tenant, language and full URL.

Each tenant has a version number in the cache; bumping it (a sync that changed
something, an admin edit) makes every cached page of that tenant stale at once.
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
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from showcase.feeds.models import Feed
from showcase.feeds.signals import feed_synced

TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PLACEHOLDER = b"__VITRINE_CSRF_TOKEN__"
SINGLE_SITE = "0"


def _version_key(tenant_key: str) -> str:
    return f"pagecache:version:{tenant_key}"


def tenant_key(request: HttpRequest) -> str:
    tenant = getattr(request, "tenant", None)
    return str(tenant.pk) if tenant is not None else SINGLE_SITE


def page_version(key: str) -> int:
    version = cache.get(_version_key(key))
    if version is None:
        version = 1
        cache.add(_version_key(key), version, None)
    return version


def pages_invalidate(tenant_keys: list[str]) -> None:
    """Make every cached page of these tenants stale (and the single-site pages)."""
    for key in {*tenant_keys, SINGLE_SITE}:
        try:
            cache.incr(_version_key(key))
        except ValueError:
            cache.set(_version_key(key), 2, None)


def _cache_key(request: HttpRequest) -> str:
    key = tenant_key(request)
    url = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    return (
        f"pagecache:{key}:{page_version(key)}:{get_language()}:{request.method == 'HEAD'}:{digest}"
    )


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

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
        return conditional


def _tenants_of_feed(feed: Feed) -> list[str]:
    return [str(pk) for pk in feed.tenants.values_list("pk", flat=True)]


@receiver(feed_synced)
def _sync_changed_pages(sender: Any, feed: Feed, **kwargs: Any) -> None:
    pages_invalidate(_tenants_of_feed(feed))


def _edited(sender: Any, instance: Any, **kwargs: Any) -> None:
    from showcase.tenants.models import Domain, Tenant

    if isinstance(instance, Tenant):
        keys = [str(instance.pk)]
    elif isinstance(instance, Domain):
        keys = [str(instance.tenant_id)]
    else:
        keys = _tenants_of_feed(instance.feed) if getattr(instance, "feed_id", None) else []
    pages_invalidate(keys)


def connect_invalidation() -> None:
    from showcase.listings.models import Agency, Listing
    from showcase.tenants.models import Domain, Tenant

    for model in (Listing, Agency, Tenant, Domain):
        post_save.connect(_edited, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(
            _edited, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
        )


def card_cache(request: HttpRequest) -> dict[str, Any]:
    """Template context for cached listing cards (templates/includes/cached_card.html).

    A card's HTML depends on the listing (its upstream digest), the language, the embed
    mode and the site (branding, agent edits: the tenant's page version), so each card is
    rendered once and reused by every search, home and agency page that shows it; a
    sync or an admin edit bumps the version as it does for whole pages.
    """
    key = tenant_key(request)
    return {
        "card_cache_seconds": settings.CARD_CACHE_SECONDS,
        "card_version": SimpleLazyObject(lambda: f"{key}.{page_version(key)}"),
    }
