from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from showcase.env import env_str

ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_URL, admin.site.urls),
    path("", include("showcase.tenants.urls")),
    path("", include("showcase.leads.urls")),
    path("", include("showcase.listings.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
