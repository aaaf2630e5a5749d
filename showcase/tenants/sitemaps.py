"""Sitemaps of one tenant: only its live canonical URLs, in pages of bounded size."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.core.paginator import InvalidPage
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse

from showcase.core.site import Site, SiteRequest, absolute_url
from showcase.listings.models import Agency, Listing, listing_slug

# The protocol's maximum; pages are streamed row by row, so memory does not grow with it.
PAGE_SIZE = 50_000
# Reversed once per sitemap, then split around: every listing's URL has this shape.
SAMPLE_PK, SAMPLE_SLUG = 987654321, "sample-slug"
CHUNK = 2_000


class SiteSitemap(Sitemap):
    limit = PAGE_SIZE
    # Every section sets one; Django's base class reads it with getattr, the stubs omit it.
    changefreq: str

    def __init__(self, site: Site) -> None:
        self.site = site


class ListingSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Listing, Any]:
        # Rows of only what the URL and lastmod need, not model instances: at 50,000 URLs
        # a page, building models and reversing each URL was most of its time.
        return (
            Listing.objects.for_site(self.site)
            .published()
            .order_by("pk")
            .values_list(
                "pk",
                "title",
                "property_type",
                "city",
                "upstream_updated_at",
                "last_seen_at",
                named=True,
            )
        )

    def location(self, row: Any) -> str:
        if not hasattr(self, "_path_parts"):
            sample = reverse("listing-detail", kwargs={"pk": SAMPLE_PK, "slug": SAMPLE_SLUG})
            self._path_parts = sample.split(f"{SAMPLE_PK}-{SAMPLE_SLUG}")
        head, tail = self._path_parts
        slug = listing_slug(row.title, row.property_type, row.city)
        return f"{head}{row.pk}-{slug}{tail}"

    def lastmod(self, row: Any) -> datetime | None:
        return row.upstream_updated_at or row.last_seen_at

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default loads every item to take the max: one aggregate instead.
        latest = Max(Coalesce("upstream_updated_at", "last_seen_at"))
        return self.items().aggregate(latest=latest)["latest"]


class AgencySitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Agency]:
        return (
            Agency.objects.for_site(self.site)
            .published()
            .only("pk", "slug", "last_seen_at")
            .order_by("pk")
        )

    def lastmod(self, agency: Agency) -> datetime:
        return agency.last_seen_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max("last_seen_at"))["latest"]


class PagesSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "home",
            "listing-search",
            "agency-list",
            "seller",
            "legal-notice",
            "fee-schedule",
            "privacy",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


def sitemaps_for(site: Site) -> dict[str, SiteSitemap]:
    return {
        "listings": ListingSitemap(site),
        "agencies": AgencySitemap(site),
        "pages": PagesSitemap(site),
    }


def _w3c(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if value is not None else ""


def _urlset(request: SiteRequest, sitemap: SiteSitemap, objects: Any) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    rows = objects.iterator(chunk_size=CHUNK) if isinstance(objects, QuerySet) else objects
    lines: list[str] = []
    # The site's address, once: absolute_url only puts it before a path.
    origin = absolute_url(request, "")
    for item in rows:
        parts = [f"<url><loc>{escape(origin + sitemap.location(item))}</loc>"]
        lastmod = _w3c(sitemap.lastmod(item)) if hasattr(sitemap, "lastmod") else ""
        if lastmod:
            parts.append(f"<lastmod>{lastmod}</lastmod>")
        if sitemap.changefreq:
            parts.append(f"<changefreq>{sitemap.changefreq}</changefreq>")
        parts.append("</url>\n")
        lines.append("".join(parts))
        if len(lines) >= 500:  # a few dozen KB per chunk sent
            yield "".join(lines)
            lines = []
    yield "".join(lines) + "</urlset>\n"


def stream_section(request: SiteRequest, sitemap: SiteSitemap, page: str) -> StreamingHttpResponse:
    """One page of a sitemap, written as rows arrive: memory stays flat at 50,000 URLs.
    Locations are on the tenant's primary domain."""
    try:
        objects = sitemap.paginator.page(page).object_list
    except InvalidPage as exc:
        raise Http404(f"No page {page!r}.") from exc
    response = StreamingHttpResponse(
        _urlset(request, sitemap, objects), content_type="application/xml; charset=utf-8"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
