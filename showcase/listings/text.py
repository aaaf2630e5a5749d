"""Pure helpers on place names and codes, shared by the mapping and the search."""

from __future__ import annotations

import re
import unicodedata

# ISO 3166-1 codes of places with French postcodes and départements (mainland, DOM, the
# overseas collectivities): a département is read from their zip code, never elsewhere,
# and a zip code search matches listings there only (Essaouira's 44000 is not Nantes').
FRENCH_POSTCODE_COUNTRIES = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC")
MONACO_POSTCODE = "980"
_SEPARATORS = re.compile(r"[\s\-'’_.]+")


def city_key(name: str) -> str:
    """Case-, accent-, hyphen- and apostrophe-insensitive key of a city name.

    "Saint-Étienne" and "saint etienne" give the same key: "saint etienne".
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", ascii_only.lower()).strip()


def department_from_zip(zip_code: str) -> str:
    """Department code of a French zip code: 2A/2B for Corsica, three digits overseas."""
    digits = (zip_code or "").strip()
    if len(digits) != 5 or not digits.isdigit():
        return ""
    if digits.startswith("20"):
        # 200xx-201xx are Corse-du-Sud, 202xx-206xx Haute-Corse.
        return "2A" if int(digits[:3]) < 202 else "2B"
    if digits.startswith(MONACO_POSTCODE):
        return ""  # Monaco's own postcodes, in the French series but not France
    if digits.startswith(("97", "98")):
        return digits[:3]
    return digits[:2]


def postcode_countries(zip_code: str) -> tuple[str, ...]:
    """The countries a 5-digit postcode searched for is in: Monaco for 980xx, else the
    places with French postcodes (Essaouira's 44000 is not one)."""
    if country_of_postcode(zip_code) == "MC":
        return ("MC",)
    return FRENCH_POSTCODE_COUNTRIES


def country_of_postcode(zip_code: str, country: str = "FR") -> str:
    """The country of a listing given as French (or given none, as Gedeon's): Monaco
    for its 980xx postcodes, else `country`."""
    digits = (zip_code or "").strip()
    if country == "FR" and len(digits) == 5 and digits.startswith(MONACO_POSTCODE):
        return "MC"
    return country
