"""Figures of the fee schedule page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from showcase.listings import fees

register = template.Library()


@register.filter
def rate(value: Any) -> str:
    """A rate or a per-m² amount as the schedule states it, without trailing zeros and in
    the page's language: Decimal("4.50") -> "4,5" in French, Decimal("6") -> "6"."""
    if not isinstance(value, Decimal | int | float):
        return ""
    return fees.rate_text(value)


@register.filter
def rate_percent(value: Any) -> str:
    """`rate` followed by a non-breaking space and "%": Decimal("5.5") -> "5,5 %"."""
    figure = rate(value)
    return f"{figure}\u00a0%" if figure else ""
