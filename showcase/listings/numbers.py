"""Figures as the agency gave them, written in the visitor's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def figure(value: int | float | Decimal | None, max_places: int = 2) -> str:
    """`value` with its own decimals, at most `max_places` (rounded half up), grouped per
    locale: 52.12 -> "52,12", 14.05 -> "14,05", 52.1 -> "52,1", 120.0 -> "120" in French.
    "" for None, NaN and infinities. A surface of 52.12 m² is never shown as 52,1."""
    if value is None or isinstance(value, bool):
        return ""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    if not exact.is_finite():
        return ""
    rounded = exact.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP).normalize()
    places = max(0, -int(rounded.as_tuple().exponent))
    return number_format(rounded, places, force_grouping=True)
