"""Host name -> tenant, cached; the cache is dropped whenever a tenant or domain changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from showcase.tenants.models import Domain, Tenant, normalise_host

GENERATION_KEY = "tenancy:generation"
TIMEOUT = 300


@dataclass(frozen=True)
class Resolution:
    tenant: Tenant | None
    primary_host: str
    is_alias: bool
    single_site: bool


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, None)
    return generation


def forget_tenancy() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def resolve_host(raw_host: str) -> Resolution | None:
    """The tenant of a host; None for an unknown host while tenants exist."""
    host = normalise_host(raw_host)
    key = f"tenancy:{_generation()}:host:{host}"
    found = cache.get(key)
    if found is None:
        found = _lookup(host)
        cache.set(key, found, TIMEOUT)
    return found or None


def _lookup(host: str) -> Resolution | bool:
    domain = Domain.objects.select_related("tenant").filter(host=host).first()
    if domain is None:
        if not Tenant.objects.exists():
            return Resolution(tenant=None, primary_host="", is_alias=False, single_site=True)
        return False  # cached "unknown" too, so probing hosts stays cheap
    tenant = domain.tenant
    primary = (
        domain.host
        if domain.is_primary
        else tenant.domains.filter(is_primary=True).values_list("host", flat=True).first()
        or domain.host
    )
    tenant.primary_host = primary
    return Resolution(
        tenant=tenant, primary_host=primary, is_alias=primary != domain.host, single_site=False
    )


@receiver([post_save, post_delete], sender=Tenant)
@receiver([post_save, post_delete], sender=Domain)
def _tenancy_changed(**kwargs: object) -> None:
    forget_tenancy()


@receiver(m2m_changed, sender=Tenant.feeds.through)
def _tenant_feeds_changed(**kwargs: object) -> None:
    forget_tenancy()
