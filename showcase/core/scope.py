"""Who sees which rows: public pages by site, the back office by user.

Every site-owned model's QuerySet derives from `SiteScopedQuerySet` and says, in one
`site_condition()`, which of its rows belong to a site. `for_site(site)` (public pages)
and `visible_to(user)` (the admin: the union of the agent's sites) are built on it, so
the two can never disagree.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q

from showcase.core.site import Site

_M = TypeVar("_M", bound=models.Model)


class SiteScopedQuerySet(models.QuerySet[_M]):
    def site_condition(self, site: Site) -> Q:
        """The rows of `site`; subclasses define it (`Q()` matches every row)."""
        raise NotImplementedError

    def for_site(self, site: Site) -> Self:
        """The rows `site` owns or shows."""
        return self.filter(self.site_condition(site))

    def visible_to(self, user: Any) -> Self:
        """The rows a back-office user may see: everything for a superuser, the rows of
        the agent's sites otherwise (none for a user with no site)."""
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        condition = Q(pk__in=[])
        for tenant in user.tenants.prefetch_related("domains", "feeds"):
            condition |= self.site_condition(tenant.site())
        return self.filter(condition)


class SiteOwnedQuerySet(SiteScopedQuerySet[_M]):
    """Rows a site received and owns through a `tenant` foreign key (leads, alerts): a
    tenant's own rows; on the platform, the rows received there (no tenant)."""

    def site_condition(self, site: Site) -> Q:
        if site.tenant_id is None:
            return Q(tenant__isnull=True)
        return Q(tenant_id=site.tenant_id)
