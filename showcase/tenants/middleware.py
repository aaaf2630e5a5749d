"""Which site is this? The Host header decides (docs/design.md, "Tenancy")."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
)
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path

from showcase.core.site import SiteRequest
from showcase.tenants.languages import language_path, urlconf_for
from showcase.tenants.resolver import resolve_host

UNKNOWN_HOST_BODY = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site introuvable</title>'
    "</head><body><h1>Site introuvable</h1><p>Aucun site n'est publié à cette adresse.</p>"
    "</body></html>"
)
PAGE_NOT_FOUND_BODY = UNKNOWN_HOST_BODY.replace("Site introuvable", "Page introuvable")


class TenantMiddleware:
    """Sets `request.site` (a tenant's `Site`, or `Site.platform()` on the operator's hosts
    and in single-site mode), redirects aliases to the primary domain, and answers 404
    for unknown hosts without saying which hosts exist."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        resolution = resolve_host(request.get_host())
        response: HttpResponse
        if resolution is None:
            response = HttpResponseNotFound(UNKNOWN_HOST_BODY)
        elif resolution.is_alias:
            scheme = "https" if request.is_secure() else "http"
            response = HttpResponsePermanentRedirect(
                f"{scheme}://{resolution.site.primary_host}{request.get_full_path()}"
            )
        else:
            request.site = resolution.site
            response = self.get_response(request)
        patch_vary_headers(response, ("Host",))
        return response


class TenantLocaleMiddleware(LocaleMiddleware):
    """French at the root unless the tenant chose another default; a language prefix the
    tenant does not offer is not found."""

    def process_request(self, request: SiteRequest) -> HttpResponse | None:  # type: ignore[override]
        site = request.site
        root = site.default_language
        urlconf = urlconf_for(root)
        if urlconf is not None:
            request.urlconf = urlconf
        super().process_request(request)
        if site.is_platform:
            return None
        prefix = get_language_from_path(request.path_info)
        if prefix and prefix not in site.offered_languages:
            return HttpResponseNotFound(PAGE_NOT_FOUND_BODY)
        if prefix and prefix == root != settings.LANGUAGE_CODE:
            # This site serves that language at the root: one URL per page (links built
            # outside a request, e.g. in e-mails, may still carry the prefix).
            query = request.META.get("QUERY_STRING", "")
            target = language_path(request.path, root, root) + (f"?{query}" if query else "")
            # language_path keeps to this site; checked again, as every redirect target is.
            if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
                return HttpResponseNotFound(PAGE_NOT_FOUND_BODY)
            return HttpResponsePermanentRedirect(target)
        if not prefix and root != settings.LANGUAGE_CODE:
            translation.activate(root)
            request.LANGUAGE_CODE = root
        return None
