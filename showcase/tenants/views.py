"""Per-tenant pages: legal pages, robots.txt, sitemaps, logo, and the embed script."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem  # type: ignore[attr-defined]
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from showcase.core.site import SiteRequest, absolute_url
from showcase.listings.templatetags.legal_tags import sanitize
from showcase.tenants import legal
from showcase.tenants.branding import logo_version
from showcase.tenants.sitemaps import sitemaps_for, stream_section


def _missing(items: list[legal.LegalItem]) -> str:
    """The labels of the mandatory items without a value, e.g. "Publication director, Host"."""
    return ", ".join(str(item.label) for item in items if item.mandatory and not item.value)


def legal_notice(request: SiteRequest) -> HttpResponse:
    """The publisher, the director of publication, the host, then each agency the site
    shows with its own identity (docs/legal.md W1-W6, W8)."""
    tenant = request.site.tenant
    agencies = legal.agencies_legal(request.site)
    site_items = legal.site_items(request.site)
    return render(
        request,
        "tenants/legal_notice.html",
        {
            "site_items": [item for item in site_items if item.value],
            # Mandatory items no source gives, named rather than left out (W1, W2, W8).
            "site_missing": _missing(site_items),
            "agencies": [
                {
                    "entry": entry,
                    "items": [item for item in entry.items if item.value],
                    "missing": _missing(entry.items),
                    "infos": sanitize(entry.infos),
                }
                for entry in agencies
            ],
            "holds_no_funds": bool(tenant and tenant.holds_no_funds),
        },
    )


def fee_schedule(request: SiteRequest) -> HttpResponse:
    """Each agency's one fee schedule under its name (docs/legal.md S6, S7, W7): the
    structured rows when the source was understood, its sanitized text otherwise."""
    agencies = [
        {"entry": entry, "html": "" if entry.schedule.structured else sanitize(entry.schedule.html)}
        for entry in legal.agencies_legal(request.site)
    ]
    return render(request, "tenants/fee_schedule.html", {"agencies": agencies})


def privacy(request: SiteRequest) -> HttpResponse:
    company = ", ".join(legal.company_names(request.site))
    years = max(settings.LEADS_RETENTION_DAYS // 365, 1)
    return render(request, "tenants/privacy.html", {"company": company, "retention_years": years})


@require_GET
def robots_txt(request: SiteRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /embed/",
        # Not the admin's path: robots.txt is public, and a custom ADMIN_URL is meant to be
        # unguessable (the admin pages carry their own noindex).
        f"Sitemap: {absolute_url(request, reverse('sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cache_control(max_age=3600)
@sitemap_views.x_robots_tag
def sitemap_index(request: SiteRequest) -> HttpResponse:
    """The sections' pages, each with its section's latest change. Django's own index
    view builds its URLs on the request's Host header: ours come from absolute_url."""
    items: list[SitemapIndexItem] = []
    for section, sitemap in sitemaps_for(request.site).items():
        location = absolute_url(request, reverse("sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        items.extend(
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


@cache_control(max_age=3600)
def sitemap_section(request: SiteRequest, section: str) -> StreamingHttpResponse:
    sitemap = sitemaps_for(request.site).get(section)
    if sitemap is None:
        raise Http404
    return stream_section(request, sitemap, request.GET.get("p", "1"))


@cache_control(public=True, max_age=31536000, immutable=True)
def tenant_logo(request: SiteRequest, version: str) -> FileResponse:
    tenant = request.site.tenant
    if tenant is None or not tenant.logo or logo_version(tenant) != version:
        raise Http404
    return FileResponse(tenant.logo.open("rb"), content_type="image/png")


@cache_control(public=True, max_age=3600)
def embed_script(request: SiteRequest) -> HttpResponse:
    """The script an agency pastes into its own page to show our search in an iframe."""
    origin = absolute_url(request, "/").rstrip("/")
    return render(
        request,
        "tenants/embed.js",
        {"origin": origin, "embed_path": reverse("embed-search")},
        content_type="text/javascript; charset=utf-8",
    )
