"""Figures of the fee schedule page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def rate(value: Any) -> str:
    """A rate or a per-m² amount as the schedule states it, without trailing zeros and in
    the page's language: Decimal("4.50") -> "4,5" in French, Decimal("6") -> "6"."""
    if not isinstance(value, Decimal | int | float):
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return formats.number_format(number, use_l10n=True)
