from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import view_on_site
from showcase.listings.energy_labels import energy_label
from showcase.tenants import views as tenant_views
from showcase.tenants.languages import site_patterns

handler404 = "showcase.listings.views.not_found"

admin.site.site_header = _("Vitrine — agency back office")
admin.site.site_title = _("Vitrine back office")
admin.site.index_title = _("Your websites, listings and contacts")

common_patterns: list[URLPattern | URLResolver] = [
    # Before the admin's own: "view on site" only for rows the user may see.
    path(
        f"{settings.ADMIN_PATH}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin-view-on-site",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("robots.txt", tenant_views.robots_txt, name="robots"),
    path("sitemap.xml", tenant_views.sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", tenant_views.sitemap_section, name="sitemap-section"),
    path("logo/<str:version>.png", tenant_views.tenant_logo, name="tenant-logo"),
    path("embed.js", tenant_views.embed_script, name="embed-script"),
    path("etiquette-energie/<str:kind>.svg", energy_label, name="energy-label"),
]
if settings.DEBUG:
    from django.conf.urls.static import static

    common_patterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# French at the root of each domain; other languages under /en/, /de/. A tenant with
# another default language gets the same pages from showcase.tenants.languages.urlconf_for.
localized_patterns: list[URLPattern | URLResolver] = [
    path("", include("showcase.tenants.urls")),
    path("", include("showcase.leads.urls")),
    path("", include("showcase.alerts.urls")),
    path("", include("showcase.favourites.urls")),
    path("", include("showcase.listings.urls")),
]
urlpatterns = site_patterns(settings.LANGUAGE_CODE, common_patterns, localized_patterns)
