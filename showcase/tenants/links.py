"""Absolute URLs, always on the tenant's primary domain (one helper for every caller)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from showcase.tenants.models import Tenant


def primary_host(tenant: Tenant) -> str:
    """The tenant's primary host; the resolver already set it on request tenants."""
    host = getattr(tenant, "primary_host", "")
    if not host:
        host = tenant.domains.filter(is_primary=True).values_list("host", flat=True).first() or ""
        tenant.primary_host = host  # type: ignore[attr-defined]
    return host


def absolute_url(request_or_tenant: HttpRequest | Tenant, path: str) -> str:
    """`path` on the primary domain of the request's tenant, or of a tenant given outside a
    request (e-mails, commands). Without a tenant, the request's own host (single-site)."""
    if isinstance(request_or_tenant, HttpRequest):
        request = request_or_tenant
        tenant = getattr(request, "tenant", None)
        host = primary_host(tenant) if tenant is not None else ""
        if not host:
            return request.build_absolute_uri(path)
        scheme = "https" if request.is_secure() else request.scheme
        return f"{scheme}://{host}{path}"
    host = primary_host(request_or_tenant)
    if not host:
        raise ValueError(f"{request_or_tenant} has no primary domain to build URLs on.")
    # Outside a request nothing tells the scheme: production sites are served over TLS.
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{host}{path}"
