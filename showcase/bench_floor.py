"""The framework's floor for `make bench`: the home page's bytes, rendered once, no work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import Client

_page: bytes | None = None


def floor(request: HttpRequest) -> HttpResponse:
    global _page
    if _page is None:
        _page = Client(HTTP_HOST=request.get_host()).get("/").content
    return HttpResponse(_page)
