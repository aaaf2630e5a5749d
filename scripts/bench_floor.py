"""The URLconf of `make bench`: the product's, plus the framework's floor at /__floor__/.

The floor answers with a page's bytes (`?path=/annonces/...`, the home page without it),
rendered once, doing no work: the fastest a Django view can send those very bytes on this
machine, through the same middleware, the reference each page is measured against. Never
cached (a page-cache hit would be the thing measured, not the floor). Never in the
product: scripts/bench_settings.py points ROOT_URLCONF here for the bench only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, path

from showcase import urls as product

_pages: dict[str, bytes] = {}


def floor(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("path", "/")
    if not page.startswith("/") or page.startswith("/__floor__/"):
        page = "/"
    if page not in _pages:
        _pages[page] = Client(HTTP_HOST=request.get_host()).get(page).content
    response = HttpResponse(_pages[page])
    # Public like the pages, so every middleware does what it does for them, and marked
    # uncacheable for Django's page cache only (it skips responses with no-store).
    response["Cache-Control"] = "no-store"
    return response


handler404 = product.handler404
urlpatterns: list[URLPattern | URLResolver] = [path("__floor__/", floor), *product.urlpatterns]
