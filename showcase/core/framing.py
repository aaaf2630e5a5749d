"""Who may show our pages in a frame: nobody, except embed views on the site's origins."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt

from showcase.core.origins import parse_origin
from showcase.core.site import SiteRequest


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the tenant's listed origins (and only them) frame this view."""

    @wraps(view)
    def wrapped(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Checked again here: rows saved before the admin validated them may hold anything.
        origins = [o for o in map(parse_origin, request.site.frame_origins) if o]
        response.frame_ancestors = origins  # type: ignore[attr-defined]
        return response

    return xframe_options_exempt(wrapped)


class FramingMiddleware:
    """CSP `frame-ancestors`: 'none' everywhere but on embeddable views. A view that
    frames players sets `response.frame_src` (origins, possibly none): the page may then
    frame those origins only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origins = getattr(response, "frame_ancestors", None)
        sources = " ".join(origins) if origins else "'none'"
        policy = f"frame-ancestors {sources}"
        frames = getattr(response, "frame_src", None)
        if frames is not None:
            policy += "; frame-src " + (" ".join(frames) if frames else "'none'")
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
