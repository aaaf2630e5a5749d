"""What every template knows about the site it renders for."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from showcase.core.site import SiteRequest


def site(request: SiteRequest) -> dict[str, Any]:
    """`site`: the name, logo and brand colours (CSS) of the request's site."""
    tenant = request.site.tenant
    if tenant is None:
        return {"site": {"name": settings.SITE_NAME, "logo_url": "", "brand_css": ""}}
    return {"site": tenant.branding()}
