"""Place names for display: countries in the page's language (Unicode CLDR, via babel)."""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError

from showcase.listings.textformat import place_names


def country_name(code: str, language: str) -> str:
    """ "MA", "fr" -> "Maroc"; "MA", "en" -> "Morocco". ISO 3166-1 alpha-2 code, any case;
    a language babel does not know falls back to English, an unknown code is returned as
    given (upper case)."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    try:
        locale = Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return str(locale.territories.get(code) or code)


def listing_place_names(city: str, extras: Any) -> tuple[str, ...]:
    """The listing's own place names, which recasing keeps: its city and its district
    (`extras["district"]["value"]`, as the Apimo mapping stores it)."""
    district = ""
    if isinstance(extras, dict) and isinstance(extras.get("district"), dict):
        district = str(extras["district"].get("value") or "")
    return place_names(city or "", district)
