"""What every template knows about the site it renders for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return {"site": {"name": settings.SITE_NAME, "logo_url": "", "brand_css": ""}}
    return {"site": tenant.branding()}
