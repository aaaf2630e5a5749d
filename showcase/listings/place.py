"""Place names for display: countries in the page's language (Unicode CLDR, via babel)."""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global

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


def country_code_of(text: str) -> str:
    """ "MA", "ma", "MAR" (ISO 3166-1 alpha-3, as CLDR aliases it), "Maroc" or "Morocco" ->
    "MA"; "" for anything that names no country."""
    raw = (text or "").strip()
    upper = raw.upper()
    if len(upper) == 2 and upper.isalpha() and upper.isascii():
        return upper
    if len(upper) == 3 and upper.isalpha():
        aliases = get_global("territory_aliases").get(upper) or []
        if len(aliases) == 1:
            return str(aliases[0])
    folded = raw.casefold()
    for language in ("fr", "en"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and str(name).casefold() == folded:
                return str(code)
    return ""


def listing_place_names(city: str, extras: Any) -> tuple[str, ...]:
    """The listing's own place names, which recasing keeps: its city and its district
    (`extras["district"]["value"]`, as the Apimo mapping stores it)."""
    district = ""
    if isinstance(extras, dict) and isinstance(extras.get("district"), dict):
        district = str(extras["district"].get("value") or "")
    return place_names(city or "", district)
