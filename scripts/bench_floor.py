"""The URLconf of `make bench`: the product's, plus the framework's floor at /__floor__/.

The floor answers with the home page's bytes, rendered once, doing no work: the fastest a
Django view can be on this machine, the reference the pages are measured against. Never
in the product: scripts/bench_settings.py points ROOT_URLCONF here for the bench only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, path

from showcase import urls as product

_page: bytes | None = None


def floor(request: HttpRequest) -> HttpResponse:
    global _page
    if _page is None:
        _page = Client(HTTP_HOST=request.get_host()).get("/").content
    return HttpResponse(_page)


handler404 = product.handler404
urlpatterns: list[URLPattern | URLResolver] = [path("__floor__/", floor), *product.urlpatterns]
