"""The Content-Security-Policy of every response: scripts from our own files only, and
who may show our pages in a frame (nobody, except embed views on the site's origins).

No script runs inline (no nonce either: the whole-page cache replays pages to every
visitor, and a nonce in cached HTML would be everybody's). Inline `<style>` blocks (the
tenant's brand colours) are allowed by the hash of their exact text, which a replayed page
keeps. The admin's own widgets set style attributes: its pages allow inline styles.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
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


# Images come from the feeds' photo hosts and the map's tile server, whichever they are.
DOCUMENT_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "img-src * data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)
_STYLE_BLOCK = re.compile(rb"<style(?:\s[^>]*)?>(.*?)</style>", re.S | re.I)


def style_hashes(html: bytes) -> list[str]:
    """CSP sources (`'sha256-…'`) of each inline `<style>` block of `html`, in order."""
    hashes: dict[str, None] = {}
    for block in _STYLE_BLOCK.findall(html):
        digest = base64.b64encode(hashlib.sha256(block).digest()).decode("ascii")
        hashes[f"'sha256-{digest}'"] = None
    return list(hashes)


def content_security_policy(
    *,
    frame_ancestors: list[str] | None,
    frame_src: list[str] | None,
    style_sources: list[str],
    inline_styles: bool = False,
) -> str:
    """The policy header value. `frame_src` None: frames from our origin only."""
    styles = ["'self'", "'unsafe-inline'"] if inline_styles else ["'self'", *style_sources]
    directives = [*DOCUMENT_POLICY, "style-src " + " ".join(styles)]
    directives.append("frame-ancestors " + (" ".join(frame_ancestors or []) or "'none'"))
    if frame_src is not None:
        directives.append("frame-src " + (" ".join(frame_src) or "'none'"))
    return "; ".join(directives)


class FramingMiddleware:
    """Sets the Content-Security-Policy (unless the view set its own, e.g. the energy
    label's): `frame-ancestors` 'none' everywhere but on embeddable views. A view that
    frames players sets `response.frame_src` (origins, possibly none): the page may then
    frame those origins only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" in response.headers:
            return response
        is_html = response.get("Content-Type", "").startswith("text/html")
        styles = style_hashes(response.content) if is_html and not response.streaming else []
        response.headers["Content-Security-Policy"] = content_security_policy(
            frame_ancestors=getattr(response, "frame_ancestors", None),
            frame_src=getattr(response, "frame_src", None),
            style_sources=styles,
            inline_styles=request.path_info.startswith(f"/{settings.ADMIN_PATH}"),
        )
        return response
