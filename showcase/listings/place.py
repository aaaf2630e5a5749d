"""Places: countries in the page's language (Unicode CLDR, via babel), and the places
people type in the `localization` criterion (`parse_place`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from django.db.models import Q
from django.utils.translation import gettext as _

from showcase.listings.criteria import CriterionError, is_whole_number
from showcase.listings.text import (
    ARRONDISSEMENTS,
    arrondissement_zip_codes,
    city_key,
    country_of_postcode,
    department_from_zip,
)
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


# A whole commune's "zip code" as people type it: no listing has it, every arrondissement
# of the commune is meant.
_COMMUNE_ZIP_CODES = {"75000": "paris", "69000": "lyon", "13000": "marseille"}


@dataclass(frozen=True)
class Place:
    """One `localization` item: the city keys, French zip codes and départements it
    means. Zip codes and départements are French ones: a foreign listing's postcode
    44000 is no `localization=44000`."""

    city_keys: tuple[str, ...] = ()
    zip_codes: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    # As the visitor typed it, for saying the criteria in words; not part of its meaning.
    label: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.label

    def q(self) -> Q:
        """The listings at this place (indexed IN lists)."""
        return places_q([self])

    @property
    def cache_key(self) -> str:
        return "|".join(
            ",".join(part) for part in (self.city_keys, self.zip_codes, self.departments)
        )


def places_q(places: list[Place]) -> Q:
    """Listings at any of `places`: one IN list per kind of place, an index range each
    (ORs of equalities made PostgreSQL filter a whole index)."""
    city_keys = sorted({key for place in places for key in place.city_keys})
    zip_codes = sorted({code for place in places for code in place.zip_codes})
    departments = sorted({code for place in places for code in place.departments})
    condition = Q(pk__in=[])
    if city_keys:
        condition |= Q(city_key__in=city_keys)
    french = [code for code in zip_codes if department_from_zip(code)]
    if french:
        # French ones only: a foreign listing has no département. The département derived
        # from the zip code also makes this a range of the département-first index.
        departments_of_zips = sorted({department_from_zip(code) for code in french})
        condition |= Q(department__in=departments_of_zips, zip_code__in=french)
    monaco = [code for code in zip_codes if country_of_postcode(code) == "MC"]
    if monaco:  # 980xx: in the French series, yet Monaco's (no département)
        condition |= Q(country="MC", zip_code__in=monaco)
    if departments:
        # Only French listings have a département.
        condition |= Q(department__in=departments)
    return condition


def parse_place(item: str) -> Place:
    """`_parse_place`, remembering the item as typed (`Place.label`)."""
    return replace(_parse_place(item), label=(item or "").strip())


def _parse_place(item: str) -> Place:
    """One place as people write it: a zip code (5 digits), a département (2 digits,
    2A/2B or 20 for both, 97x) or a town name folded by `city_key` ("St-Malo" is
    Saint-Malo). Paris, Lyon and Marseille ("Paris", or "75000") mean every arrondissement, by name and by zip
    code; "Paris 15e" or "75015" one of them. Raises CriterionError for an item with no
    letter or digit."""
    text = (item or "").strip()
    if is_whole_number(text) and len(text) == 5:
        commune = _COMMUNE_ZIP_CODES.get(text)
        if commune:
            return _town(commune)
        return Place(zip_codes=(text,))
    if text == "20":  # Corsica's code before 1976, still its zip codes' prefix
        return Place(departments=("2A", "2B"))
    if (is_whole_number(text) and len(text) in (2, 3)) or text.upper() in {"2A", "2B"}:
        return Place(departments=(text.upper(),))
    key = city_key(text)
    if not key:
        raise CriterionError(
            _("“%(item)s” is not a town, zip code or département.") % {"item": text[:24]}
        )
    return _town(key)


def _town(key: str) -> Place:
    zip_codes = arrondissement_zip_codes(key)
    city, _space, number = key.partition(" ")
    keys: tuple[str, ...] = (key,)
    if zip_codes and not number:
        keys += tuple(f"{city} {n}" for n in range(1, ARRONDISSEMENTS[city] + 1))
    return Place(city_keys=keys, zip_codes=zip_codes)
