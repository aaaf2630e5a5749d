"""Absolute URLs, always on the tenant's primary domain (one helper for every caller)."""

from __future__ import annotations

from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    tenant = getattr(request, "tenant", None)
    host = getattr(tenant, "primary_host", "") if tenant is not None else ""
    if not host:
        return request.build_absolute_uri(path)
    scheme = "https" if request.is_secure() else request.scheme
    return f"{scheme}://{host}{path}"
