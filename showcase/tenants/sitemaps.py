"""Sitemaps of one tenant: only its live canonical URLs, in pages of bounded size."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from showcase.listings.models import Agency, Listing
from showcase.tenants.models import Tenant

# Well under the protocol's 50,000: a page is rendered in memory, so keep it small.
PAGE_SIZE = 10_000


class TenantSitemap(Sitemap):
    limit = PAGE_SIZE

    def __init__(self, tenant: Tenant | None) -> None:
        self.tenant = tenant


class ListingSitemap(TenantSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet:
        # Only what the URL and lastmod need: keeps each page light.
        return (
            Listing.objects.for_tenant(self.tenant)
            .published()
            .only("pk", "title", "property_type", "city", "upstream_updated_at", "last_seen_at")
            .order_by("pk")
        )

    def lastmod(self, listing: Listing):
        return listing.upstream_updated_at or listing.last_seen_at


class AgencySitemap(TenantSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet:
        return (
            Agency.objects.for_tenant(self.tenant)
            .published()
            .only("pk", "slug", "last_seen_at")
            .order_by("pk")
        )

    def lastmod(self, agency: Agency):
        return agency.last_seen_at


class PagesSitemap(TenantSitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["home", "listing-search", "agency-list", "legal-notice", "fee-schedule", "privacy"]

    def location(self, name: str) -> str:
        return reverse(name)


def sitemaps_for(tenant: Tenant | None) -> dict[str, Sitemap]:
    return {
        "listings": ListingSitemap(tenant),
        "agencies": AgencySitemap(tenant),
        "pages": PagesSitemap(tenant),
    }
