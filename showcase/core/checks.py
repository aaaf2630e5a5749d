"""Deployment checks of Vitrine's own settings (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """ALLOWED_HOSTS='*' lets any Host header in: the whole catalogue's absolute links
    then need SITE_URL, or they stay relative (showcase.core.site.absolute_url)."""
    if "*" in settings.ALLOWED_HOSTS and not settings.SITE_URL:
        return [
            Warning(
                "ALLOWED_HOSTS allows any host and SITE_URL is not set.",
                hint=(
                    "List the sites' real host names in ALLOWED_HOSTS (e.g. "
                    "'.my-agency.fr,.other-agency.fr') and set SITE_URL to the public "
                    "address of the whole catalogue (e.g. https://www.my-agency.fr)."
                ),
                id="vitrine.W001",
            )
        ]
    return []
