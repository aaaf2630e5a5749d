"""The site a request is for: one agency website (a tenant) or the whole catalogue.

The tenancy middleware sets `request.site` on every request (`SiteRequest`); code outside
a request builds one with `Tenant.site()` or `Site.platform()`. `Site` is a small
immutable value: the scope every public query starts from (`.for_site(site)`), the host
absolute URLs are built on, and the tenant's choices (languages, embedding, formatting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host

if TYPE_CHECKING:  # for the annotation only: core imports no app at run time
    from showcase.tenants.models import Tenant

PLATFORM_KEY = "0"


@dataclass(frozen=True)
class Site:
    """One site's scope.

    `tenant` is None only for the platform (`Site.platform()`): the whole catalogue, shown
    on the operator's hosts and in single-site mode. `feed_ids`, `agency_ids` (upstream
    agency ids) and `transactions` narrow the catalogue for a tenant; empty agency ids or
    transactions mean "all of the feeds'".
    """

    tenant: Tenant | None
    primary_host: str = ""
    feed_ids: frozenset[int] = field(default_factory=frozenset)
    agency_ids: frozenset[str] = field(default_factory=frozenset)
    transactions: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def platform(cls) -> Site:
        """The whole catalogue, with no tenant."""
        return cls(tenant=None)

    @property
    def is_platform(self) -> bool:
        return self.tenant is None

    @property
    def tenant_id(self) -> int | None:
        return self.tenant.pk if self.tenant is not None else None

    @property
    def key(self) -> str:
        """Stable short key of this site in caches ("0" for the platform)."""
        return str(self.tenant.pk) if self.tenant is not None else PLATFORM_KEY

    @property
    def name(self) -> str:
        return self.tenant.name if self.tenant is not None else settings.SITE_NAME

    @property
    def default_language(self) -> str:
        """The language served at the root of the site's domains."""
        return self.tenant.default_language if self.tenant is not None else settings.LANGUAGE_CODE

    @property
    def offered_languages(self) -> list[str]:
        if self.tenant is not None:
            return self.tenant.offered_languages
        return [code for code, _name in settings.LANGUAGES]

    @property
    def frame_origins(self) -> list[str]:
        """Origins allowed to frame the embeddable pages (none for the platform)."""
        return list(self.tenant.frame_origins or []) if self.tenant is not None else []

    @property
    def embed_link_target(self) -> str:
        return self.tenant.embed_link_target if self.tenant is not None else "_top"

    @property
    def text_format(self) -> list[str]:
        """Gedeon `tf` options for descriptions: the tenant's, else the settings' default."""
        chosen = list(self.tenant.text_format or []) if self.tenant is not None else []
        return chosen or list(settings.TEXT_FORMAT_OPTIONS)


class SiteRequest(HttpRequest):
    """A request that went through the tenancy middleware (views take this type)."""

    # django-stubs declare `site` for django.contrib.sites' middleware, which Vitrine does
    # not install: the attribute is ours.
    site: Site  # type: ignore[assignment]
    # Django's per-request URLconf (a module or its dotted path), read by the URL resolver
    # when set: the locale middleware sets it for sites with another default language.
    urlconf: ModuleType | str


def _configured_request_host(request: HttpRequest) -> str:
    """The request's host when the operator named it (PLATFORM_HOSTS or an ALLOWED_HOSTS
    entry other than '*'), else "": with ALLOWED_HOSTS='*' the Host header is anybody's."""
    host = request.get_host()
    named = [h for h in settings.ALLOWED_HOSTS if h != "*"] + list(settings.PLATFORM_HOSTS)
    return host if validate_host(split_domain_port(host)[0], named) else ""


def absolute_url(site_or_request: Site | SiteRequest, path: str) -> str:
    """`path` (starting with "/") on the site's configured address: one helper for every
    absolute link (pages, sitemaps, feeds, e-mails), never built on an unchecked Host.

    - A tenant: its primary domain (a `Domain` row), over TLS unless DEBUG outside a
      request, with the request's scheme in one.
    - The platform (single-site mode, PLATFORM_HOSTS): settings.SITE_URL; without it, in a
      request, the request's host only when the operator named it in ALLOWED_HOSTS or
      PLATFORM_HOSTS, else `path` stays relative.
    Outside a request a site with no configured address raises ValueError.
    """
    if isinstance(site_or_request, Site):
        site = site_or_request
        if site.is_platform and settings.SITE_URL:
            return f"{settings.SITE_URL}{path}"
        if not site.primary_host:
            raise ValueError(f"{site.name} has no primary domain to build URLs on.")
        # Outside a request nothing tells the scheme: production sites are served over TLS.
        scheme = "http" if settings.DEBUG else "https"
        return f"{scheme}://{site.primary_host}{path}"
    request = site_or_request
    if request.site.is_platform and settings.SITE_URL:
        return f"{settings.SITE_URL}{path}"
    host = request.site.primary_host or _configured_request_host(request)
    if not host:
        return path
    if settings.DEBUG and host == request.site.primary_host:
        # A development server on another port than 80 (the demo's agency sites on
        # *.localhost:8000): keep the port the request came on. Never in production,
        # where a shared cache keyed on the host name alone would keep a stranger's port.
        name, port = split_domain_port(request.get_host())
        if port and name == host:
            host = f"{host}:{port}"
    return f"{'https' if request.is_secure() else request.scheme}://{host}{path}"
