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
from django.utils.translation import get_language_from_path

from showcase.tenants.languages import language_path, root_language, urlconf_for
from showcase.tenants.models import normalise_host
from showcase.tenants.resolver import resolve_host

UNKNOWN_HOST_BODY = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site introuvable</title>'
    "</head><body><h1>Site introuvable</h1><p>Aucun site n'est publié à cette adresse.</p>"
    "</body></html>"
)


class TenantMiddleware:
    """Sets `request.tenant` (None in single-site mode), redirects aliases to the primary
    domain, and answers 404 for unknown hosts without saying which hosts exist."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = normalise_host(request.get_host())
        resolution = resolve_host(host)
        if resolution is None:
            if host in settings.PLATFORM_HOSTS:
                request.tenant = None
            else:
                response: HttpResponse = HttpResponseNotFound(UNKNOWN_HOST_BODY)
                patch_vary_headers(response, ("Host",))
                return response
        elif resolution.is_alias:
            scheme = "https" if request.is_secure() else "http"
            response = HttpResponsePermanentRedirect(
                f"{scheme}://{resolution.primary_host}{request.get_full_path()}"
            )
            patch_vary_headers(response, ("Host",))
            return response
        else:
            request.tenant = resolution.tenant
        response = self.get_response(request)
        patch_vary_headers(response, ("Host",))
        return response


class TenantLocaleMiddleware(LocaleMiddleware):
    """French at the root unless the tenant chose another default; a language prefix the
    tenant does not offer is not found."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        tenant = getattr(request, "tenant", None)
        root = root_language(tenant)
        urlconf = urlconf_for(root)
        if urlconf is not None:
            request.urlconf = urlconf  # type: ignore[attr-defined]
        super().process_request(request)
        if tenant is None:
            return None
        prefix = get_language_from_path(request.path_info)
        if prefix and prefix not in tenant.offered_languages:
            return HttpResponseNotFound(
                UNKNOWN_HOST_BODY.replace("Site introuvable", "Page introuvable")
            )
        if prefix and prefix == root != settings.LANGUAGE_CODE:
            # This site serves that language at the root: one URL per page (links built
            # outside a request, e.g. in e-mails, may still carry the prefix).
            query = request.META.get("QUERY_STRING", "")
            target = language_path(request.path, root, root) + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
        if not prefix and root != settings.LANGUAGE_CODE:
            translation.activate(root)
            request.LANGUAGE_CODE = root
        return None
