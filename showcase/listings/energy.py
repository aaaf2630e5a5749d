"""Energy labels (docs/legal.md §3, §5): dpe.gedeon.im when it can draw them, our SVG otherwise.

Never recompute a class when a letter is given: the DPE's letter is the truth.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from showcase.core import dpe
from showcase.listings.models import Listing
from showcase.listings.numbers import figure

DPE_SERVICE = "https://dpe.gedeon.im"
# A value our label endpoint (energy_labels.py) passes on: up to 5 digits, 2 decimals.
SERVICE_NUMBER = re.compile(r"^\d{1,5}(\.\d{1,2})?$")
# Height of one bar of a scale, with its gap (px).
SCALE_STEP = 26
# docs/legal.md §5.3 palettes: (bar colour, text colour).
ENERGY_COLOURS = {
    "A": ("#00A06D", "#fff"),
    "B": ("#52B153", "#fff"),
    "C": ("#A5CC74", "#1b1b1b"),
    "D": ("#F4E70F", "#1b1b1b"),
    "E": ("#F0B40F", "#1b1b1b"),
    "F": ("#EB8235", "#1b1b1b"),
    "G": ("#D7221F", "#fff"),
}
CLIMATE_COLOURS = {
    "A": ("#A4DBF8", "#1b1b1b"),
    "B": ("#8CB4D3", "#1b1b1b"),
    "C": ("#7792B1", "#fff"),
    "D": ("#606F8F", "#fff"),
    "E": ("#4D5271", "#fff"),
    "F": ("#393551", "#fff"),
    "G": ("#281B35", "#fff"),
}


@dataclass(frozen=True)
class EnergyLabels:
    dpe_letter: str
    ges_letter: str
    dpe_value: float | None
    ges_value: float | None
    dpe_date: date | None
    sticker_url: str  # dpe.gedeon.im, empty when it cannot draw the labels
    alt: str
    # Each drawn scale's own title: one class each, not both (the sentence says both).
    energy_alt: str = ""
    climate_alt: str = ""

    @property
    def excessive(self) -> bool:
        return self.dpe_letter in ("F", "G")


def _number(value: float | None) -> str:
    return figure(value)


def _plain(value: float | None) -> str:
    """A value for the service's query: at most two decimals, no exponent ("212.5")."""
    if value is None or not math.isfinite(value):
        return ""
    exact = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{exact.normalize():f}"


def describe_energy(listing: Listing) -> str:
    energy = _("energy class %(letter)s") % {"letter": listing.dpe_letter or _("not given")}
    if listing.dpe_value is not None:
        energy += " (" + _("%(value)s kWh/m²/year") % {"value": _number(listing.dpe_value)} + ")"
    return energy


def describe_climate(listing: Listing) -> str:
    climate = _("climate class %(letter)s") % {"letter": listing.ges_letter or _("not given")}
    if listing.ges_value is not None:
        value = _number(listing.ges_value)
        climate += " (" + _("%(value)s kg CO₂/m²/year") % {"value": value} + ")"
    return climate


def describe(listing: Listing) -> str:
    """The text alternative: both classes and both values, always."""
    energy = describe_energy(listing)
    return f"{energy[:1].upper()}{energy[1:]}, {describe_climate(listing)}"


def dpe_service_url(kind: str, listing: Listing) -> str:
    """Our URL of dpe.gedeon.im's drawing, "" when it cannot draw one.

    The service needs numeric values; letters alone are refused (HTTP 422). The date is
    optional (spec note 6): without it the label is drawn as a pre-July-2021 DPE, for
    which one value suffices; from 2021-07-01 both values are required."""
    if listing.dpe_value is None and listing.ges_value is None:
        return ""
    if (
        listing.dpe_date is not None
        and listing.dpe_date >= dpe.NEW_DPE_SINCE
        and (listing.dpe_value is None or listing.ges_value is None)
    ):
        return ""
    values = _plain(listing.dpe_value), _plain(listing.ges_value)
    if any(value and not SERVICE_NUMBER.match(value) for value in values):
        return ""  # a figure no label draws (123456 kWh): the page draws the scales
    query = {
        "dpe": values[0],
        "ges": values[1],
        "date": listing.dpe_date.isoformat() if listing.dpe_date else "",
        # The DPE's own letters, for our drawing if dpe.gedeon.im cannot answer.
        "ld": listing.dpe_letter,
        "lg": listing.ges_letter,
    }
    language = (get_language() or "fr")[:2]
    if language != "fr":
        # Our drawing's words and units in the page's language (dpe.gedeon.im's stay French).
        query["lang"] = language
    # Served from our origin, which fetches and caches dpe.gedeon.im's drawing.
    return f"{reverse('energy-label', kwargs={'kind': kind})}?{urlencode(query)}"


def energy_labels(listing: Listing) -> EnergyLabels | None:
    if not (listing.dpe_letter or listing.ges_letter or listing.dpe_value or listing.ges_value):
        return None
    return EnergyLabels(
        dpe_letter=listing.dpe_letter,
        ges_letter=listing.ges_letter,
        dpe_value=listing.dpe_value,
        ges_value=listing.ges_value,
        dpe_date=listing.dpe_date,
        sticker_url=dpe_service_url("sticker", listing),
        alt=describe(listing),
        energy_alt=capfirst(describe_energy(listing)),
        climate_alt=capfirst(describe_climate(listing)),
    )


def scale_svg(kind: str, letter: str, value: float | None, title: str) -> SafeString:
    """One accessible A-G scale with the property's class marked (docs/legal.md §5.3)."""
    unit = _("kWh/m²/year") if kind == "energy" else _("kg CO₂/m²/year")
    marker = SafeString("")
    for index, bar_letter in enumerate(dpe.LETTERS):
        if bar_letter == letter:
            y, length = index * SCALE_STEP, 90 + index * 18
            label = f"{letter} {_number(value)} {unit}" if value is not None else letter
            marker = format_html(
                '<path d="M{0} {1}h170v22h-170z" fill="#1b1b1b"/>'
                '<text x="{2}" y="{3}" fill="#fff" font-weight="700" font-size="13">{4}</text>',
                length + 14,
                y,
                length + 22,
                y + 16,
                label,
            )
    return format_html(
        '<svg class="energy-scale" role="img" aria-labelledby="scale-{0}-title" '
        'viewBox="0 0 400 {1}" width="400" height="{1}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="scale-{0}-title">{2}</title>{3}{4}</svg>',
        kind,
        len(dpe.LETTERS) * SCALE_STEP,
        title,
        scale_bars(kind == "energy"),
        marker,
    )


@cache
def scale_bars(energy: bool) -> SafeString:
    """The A-G bars of the energy scale, or of the climate one: the same on every page."""
    colours = ENERGY_COLOURS if energy else CLIMATE_COLOURS
    bars = []
    for index, bar_letter in enumerate(dpe.LETTERS):
        fill, ink = colours[bar_letter]
        y, length = index * SCALE_STEP, 90 + index * 18
        bars.append((y, length, fill, ink, bar_letter, y + 16))
    return format_html_join(
        "",
        '<path d="M0 {0}h{1}l8 11-8 11H0z" fill="{2}"/>'
        '<text x="8" y="{5}" fill="{3}" font-weight="700" font-size="14">{4}</text>',
        bars,
    )


def stacked_svg(scales: list[SafeString], title: str, gap: int = 20) -> SafeString:
    """Several `scale_svg` drawings one above the other in one SVG (the sticker's energy
    and climate scales), each keeping its own title."""
    height = len(dpe.LETTERS) * 26
    total = len(scales) * height + (len(scales) - 1) * gap
    parts = format_html_join(
        "",
        '<g transform="translate(0 {})">{}</g>',
        ((index * (height + gap), scale) for index, scale in enumerate(scales)),
    )
    return format_html(
        '<svg class="energy-scales" role="img" aria-label="{0}" viewBox="0 0 400 {1}" '
        'width="400" height="{1}" xmlns="http://www.w3.org/2000/svg">{2}</svg>',
        title,
        total,
        parts,
    )
