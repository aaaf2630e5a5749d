"""Host name -> Site, cached; the cache is dropped whenever a tenant or domain changes
(receivers connected in TenantsConfig.ready())."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import caches

from showcase.core.cache import version_bump, version_get
from showcase.core.site import Site
from showcase.tenants.models import Domain, Tenant, normalise_host

VERSION = "tenancy"
TIMEOUT = 300


@dataclass(frozen=True)
class Resolution:
    """What a host is: a site, or an alias of `site` whose primary host it must redirect to."""

    site: Site
    is_alias: bool = False


def forget_tenancy() -> None:
    """Drop every cached host resolution (a tenant, domain or scope changed)."""
    version_bump(VERSION)


def resolve_host(raw_host: str) -> Resolution | None:
    """The site of a Host header value; None for a host no site and no operator uses."""
    host = normalise_host(raw_host)
    key = f"tenancy:{version_get(VERSION)}:host:{host}"
    found = caches["lookups"].get(key)
    if found is None:
        found = _lookup(host)
        caches["lookups"].set(key, found, TIMEOUT)
    if found is False and host in settings.PLATFORM_HOSTS:
        return Resolution(Site.platform())
    return found or None


def _lookup(host: str) -> Resolution | bool:
    domain = Domain.objects.select_related("tenant").filter(host=host).first()
    if domain is None:
        if not Tenant.objects.exists():
            return Resolution(Site.platform())  # single-site mode: every host is the site
        return False  # cached "unknown" too, so probing hosts stays cheap
    site = domain.tenant.site()
    if not site.primary_host:  # no primary domain chosen: links stay on the host asked for
        return Resolution(replace(site, primary_host=domain.host))
    return Resolution(site, is_alias=site.primary_host != domain.host)
