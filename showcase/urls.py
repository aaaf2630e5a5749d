from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from showcase.env import env_str

ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"
handler404 = "showcase.listings.views.not_found"

urlpatterns = [
    path(ADMIN_URL, admin.site.urls),
]
# French at the root of each domain; other languages under /en/, /de/.
urlpatterns += i18n_patterns(
    path("", include("showcase.tenants.urls")),
    path("", include("showcase.leads.urls")),
    path("", include("showcase.listings.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
