from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from showcase.listings.models import Listing


def home(request: HttpRequest) -> HttpResponse:
    tenant = getattr(request, "tenant", None)
    latest = Listing.objects.for_tenant(tenant).published().newest_first()[:6]
    return render(request, "listings/home.html", {"latest": latest})
