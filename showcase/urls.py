from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from showcase.listings.energy_labels import energy_label
from showcase.tenants import views as tenant_views

handler404 = "showcase.listings.views.not_found"

admin.site.site_header = _("Vitrine — agency back office")
admin.site.site_title = _("Vitrine back office")
admin.site.index_title = _("Your websites, listings and contacts")

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("robots.txt", tenant_views.robots_txt, name="robots"),
    path("sitemap.xml", tenant_views.sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", tenant_views.sitemap_section, name="sitemap-section"),
    path("logo/<str:version>.png", tenant_views.tenant_logo, name="tenant-logo"),
    path("embed.js", tenant_views.embed_script, name="embed-script"),
    path("etiquette-energie/<str:kind>.svg", energy_label, name="energy-label"),
]
# French at the root of each domain; other languages under /en/, /de/.
urlpatterns += i18n_patterns(
    path("", include("showcase.tenants.urls")),
    path("", include("showcase.leads.urls")),
    path("", include("showcase.alerts.urls")),
    path("", include("showcase.favourites.urls")),
    path("", include("showcase.listings.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_FLOOR:
    # `make bench` only: the framework's floor, the home page's bytes with no work.
    from showcase.bench_floor import floor

    urlpatterns.insert(0, path("__floor__/", floor))
