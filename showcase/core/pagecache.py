"""Whole-page cache for anonymous visitors, per site, language and full URL (scheme included).

Each site has a version number shared by every process (showcase/core/cache.py: the
database); bumping it (`pages_invalidate`: a sync that changed something, an admin edit; the
receivers are connected by the tenants app) makes every cached page and card of that site
stale at once in every web worker. Page bodies stay in Django's cache (each process's
memory, or Redis when REDIS_URL is set): only the version is read from the shared store.

Pages are the same bytes for every anonymous visitor: the public forms carry no CSRF
token (showcase/core/csrf.py checks where a POST comes from instead), and a response
that made a token or set a cookie is never stored. `SharedCacheHeadersMiddleware` tells
HTTP caches (nginx in front, deploy/nginx/; browsers) the same: anonymous pages are
`public` with a short `s-maxage`, everything else `private, no-store`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

from showcase.core.cache import version_bump, version_get
from showcase.core.site import PLATFORM_KEY, SiteRequest


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
    # The scheme too: absolute links (canonical, JSON-LD) carry the one the page was asked on.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    version = request_page_version(request)
    return f"pagecache:{key}:{version}:{get_language()}:{request.method == 'HEAD'}:{digest}"


def is_shareable_request(request: HttpRequest) -> bool:
    """A GET or HEAD of a public page by someone without a session (never the admin)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(f"/{settings.ADMIN_PATH}"):
        return False
    # A session means someone logged in (or a form in progress): never shared pages.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_shareable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """A response every anonymous visitor may get the same bytes of: no cookie set, no
    CSRF token made (it would be one visitor's), nobody logged in, no private choice."""
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


def _is_cacheable_request(request: HttpRequest) -> bool:
    return bool(settings.PAGE_CACHE_SECONDS) and is_shareable_request(request)


def _is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    return is_shareable_response(request, response)


class PageCacheMiddleware:
    """Whole anonymous pages from Django's cache (the only cache of the embedded default)."""

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
            headers = dict(response.headers.items())
            content = response.content
            cache.set(key, (response.status_code, headers, content), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

    def _replay(
        self, request: HttpRequest, stored: tuple[int, dict[str, str], bytes]
    ) -> HttpResponse:
        status, headers, content = stored
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


# What the body of a public page depends on besides its URL: the site (Host) and the
# compression (GZipMiddleware). Not Accept-Language: the language is the URL's (French,
# or the site's own default, at the root; the others under /en/, /de/), whatever the
# browser asks for. Not Cookie: a request with a session never gets a public response.
PUBLIC_VARY = ("Host", "Accept-Encoding")
# Answers that are the same for every anonymous visitor of a URL (a missing slash's
# redirect, a listing not found or withdrawn): shared like pages. A 304 carries the
# lifetime its 200 would have: nginx's revalidation (proxy_cache_revalidate) renews the
# copy it holds with it.
PUBLIC_STATUSES = frozenset({200, 301, 304, 404, 410})
PRIVATE = "private, no-store"


def public_cache_control() -> str:
    """The Cache-Control of anonymous pages, from settings (seconds)."""
    return (
        f"public, max-age={settings.HTTP_CACHE_MAX_AGE}, "
        f"s-maxage={settings.HTTP_CACHE_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.HTTP_CACHE_STALE_WHILE_REVALIDATE}"
    )


class SharedCacheHeadersMiddleware:
    """Cache-Control and Vary for HTTP caches (nginx's, a CDN's, the browser's).

    Anonymous GET/HEAD answers of a known site are `public` with `s-maxage` (how stale a
    shared cache may serve a page after a sync or an edit) and `stale-while-revalidate`,
    varying on Host and Accept-Encoding only; everything else (the admin, a logged-in
    user, a session, a POST, a form's errors, a cookie set, a CSRF token, an unknown
    host, errors) is `private, no-store`. A Cache-Control a view chose is kept (a
    sitemap's hour, a logo's year, never_cache). Sits outside the session, locale and
    tenancy middleware, so it sees the Vary they add.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        shareable = (
            hasattr(request, "site")
            and response.status_code in PUBLIC_STATUSES
            and is_shareable_request(request)
            and is_shareable_response(request, response)
        )
        if not shareable or not settings.HTTP_CACHE_SHARED_MAX_AGE:
            response["Cache-Control"] = PRIVATE
            return response
        response["Cache-Control"] = public_cache_control()
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        kept = [v for v in vary if v.lower() not in {"cookie", "accept-language"}]
        response["Vary"] = ", ".join(dict.fromkeys([*PUBLIC_VARY, *kept]))
        return response
