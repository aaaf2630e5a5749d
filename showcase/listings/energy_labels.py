"""Energy labels served from our own origin: dpe.gedeon.im's SVG fetched server-side and
cached, or our own drawing when it cannot answer. Visitors' browsers never call a
third party (docs/upstreams/gedeon.md, "Energy labels").
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from showcase.core import dpe as dpe_scale
from showcase.core.http import UpstreamError, build_session, request_raw
from showcase.listings.energy import DPE_SERVICE, SERVICE_NUMBER, scale_svg, stacked_svg

KINDS = {"sticker": "/sticker", "dpe": "/badge/dpe", "ges": "/badge/ges"}
NUMBER = SERVICE_NUMBER
GOOD_FOR = 30 * 24 * 3600
RETRY_AFTER = 300
logger = logging.getLogger(__name__)


def _params(request: HttpRequest) -> tuple[str, str, str] | None:
    """(dpe, ges, date): at least one value; the date is optional (drawn as a DPE from
    before July 2021 without it, spec note 6) but must be a date when given."""
    dpe, ges, day = (request.GET.get(k, "") for k in ("dpe", "ges", "date"))
    if (dpe and not NUMBER.match(dpe)) or (ges and not NUMBER.match(ges)) or not (dpe or ges):
        return None
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            return None
    return dpe, ges, day


def _letters(request: HttpRequest) -> tuple[str, str]:
    """The DPE's own letters passed along by the page (never trusted beyond A-G)."""
    dpe, ges = (request.GET.get(k, "").upper() for k in ("ld", "lg"))
    return (dpe if dpe_scale.is_letter(dpe) else "", ges if dpe_scale.is_letter(ges) else "")


def _fallback(kind: str, dpe: str, ges: str, letters: tuple[str, str]) -> bytes:
    """Our drawing: a badge's one scale, or for the sticker both the energy and the
    climate scales (each one that has a value or the DPE's letter), one above the other.
    The DPE's letters when given; a class is computed from a value only without one."""
    given_dpe, given_ges = letters
    energy = climate = None
    if dpe or given_dpe:
        letter = given_dpe or dpe_scale.letter_for(dpe, dpe_scale.ENERGY_THRESHOLDS)
        title = _("Energy class %(l)s") % {"l": letter}
        energy = scale_svg("energy", letter, float(dpe) if dpe else None, title)
    if ges or given_ges:
        letter = given_ges or dpe_scale.letter_for(ges, dpe_scale.CLIMATE_THRESHOLDS)
        title = _("Climate class %(l)s") % {"l": letter}
        climate = scale_svg("climate", letter, float(ges) if ges else None, title)
    wanted = {"sticker": [energy, climate], "dpe": [energy or climate], "ges": [climate or energy]}
    scales: list[SafeString] = [scale for scale in wanted[kind] if scale is not None]
    if len(scales) == 1:
        return str(scales[0]).encode()
    return str(stacked_svg(scales, _("Energy class and climate class"))).encode()


@require_GET
@cache_control(public=True, max_age=86400)
def energy_label(request: HttpRequest, kind: str) -> HttpResponse:
    params = _params(request)
    if kind not in KINDS or params is None:
        return HttpResponseBadRequest("dpe or ges (numbers) and date (YYYY-MM-DD) are required.")
    dpe, ges, day = params
    key = f"energy-label:{kind}:{dpe}:{ges}:{day}:{''.join(_letters(request))}"
    svg = cache.get(key)
    if svg is None:
        try:
            body, content_type = request_raw(
                build_session(retries=0),
                f"{DPE_SERVICE}{KINDS[kind]}",
                params={"dpe": dpe, "ges": ges, "date": day} if day else {"dpe": dpe, "ges": ges},
                provider="dpe.gedeon.im",
                feed_name="energy labels",
            )
            if "svg" not in content_type or b"<svg" not in body[:2000]:
                raise UpstreamError(f"unexpected answer ({content_type})")
            cache.set(key, body, GOOD_FOR)
            svg = body
        except UpstreamError as exc:
            logger.info("energy label drawn locally: %s", exc)
            svg = _fallback(kind, dpe, ges, _letters(request))
            cache.set(key, svg, RETRY_AFTER)
    response = HttpResponse(svg, content_type="image/svg+xml")
    # A third party's SVG on our origin: no script may ever run from it.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response
