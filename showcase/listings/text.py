"""Pure helpers on place names and codes, shared by the mapping and the search."""

from __future__ import annotations

import re
import unicodedata

# ISO 3166-1 codes of places with French postcodes and départements (mainland, DOM, the
# overseas collectivities): a département is read from their zip code, never elsewhere,
# and a zip code search matches listings there only (Essaouira's 44000 is not Nantes').
FRENCH_POSTCODE_COUNTRIES = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC")
MONACO_POSTCODE = "980"
# Control characters too: never part of a name, and PostgreSQL refuses NUL in a query.
_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f\-\u2010-\u2015'’‘ʼ`_.]+")
# Abbreviations as people write place names: "St-Malo", "Ste Maxime", "St. Tropez".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# The communes divided into arrondissements (loi PLM) and how many each has.
ARRONDISSEMENTS = {"paris": 20, "lyon": 9, "marseille": 16}
# "paris 15e arrondissement", "lyon 3eme", "marseille 01", "paris 1er arr", "paris xvie"
# (keys, folded).
_ARRONDISSEMENT = re.compile(
    r"(?P<city>paris|lyon|marseille) (?:0?(?P<number>[1-9][0-9]?)|(?P<roman>[ivxl]+)) ?"
    r"(?:e|er|ere|eme|ieme|em)?(?: arrondissement| arrdt| arr)?"
)
_ROMAN = {
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split()[n - 1]: n
    for n in range(1, 21)
}
# Letters NFKD leaves whole: "Œuf-en-Ternois" is written "Oeuf-en-Ternois" too.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def city_key(name: str) -> str:
    """Case-, accent-, separator- and abbreviation-insensitive key of a place name.

    Hyphens, spaces, apostrophes and dots are one separator, "St"/"Ste" are "Saint"/
    "Sainte": "Saint-Étienne", "saint etienne" and "St Etienne" give "saint etienne".
    An arrondissement of Paris, Lyon or Marseille is "<city> <number>" however written:
    "Paris 15e Arrondissement", "Paris 15ème", "Paris XVe" -> "paris 15". Ligatures are
    their two letters: "Œuf-en-Ternois" and "Oeuf en Ternois" give "oeuf en ternois".
    """
    decomposed = unicodedata.normalize("NFKD", (name or "").translate(_LIGATURES))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _SEPARATORS.sub(" ", ascii_only.lower()).split()
    key = " ".join(_ABBREVIATIONS.get(word, word) for word in words)
    match = _ARRONDISSEMENT.fullmatch(key)
    if match:
        number = int(match["number"]) if match["number"] else _ROMAN.get(match["roman"], 0)
        if 1 <= number <= ARRONDISSEMENTS[match["city"]]:
            return f"{match['city']} {number}"
    return key


def arrondissement_zip_codes(key: str) -> tuple[str, ...]:
    """The zip codes of a commune divided into arrondissements ("paris": 75001-75020 and
    75116) or of one arrondissement ("paris 16": 75016, 75116), from its `city_key`;
    () for any other place."""
    city, _space, number = key.partition(" ")
    if city not in ARRONDISSEMENTS or (number and not number.isdigit()):
        return ()
    prefix = {"paris": "75", "lyon": "69", "marseille": "13"}[city]
    numbers = [int(number)] if number else range(1, ARRONDISSEMENTS[city] + 1)
    codes = [f"{prefix}{n:03d}" for n in numbers]
    if city == "paris" and 16 in numbers:
        codes.append("75116")  # the 16th's second code (its northern half)
    return tuple(codes)


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


def country_of_postcode(zip_code: str, country: str = "FR") -> str:
    """The country of a listing given as French (or given none, as Gedeon's): Monaco
    for its 980xx postcodes, else `country`."""
    digits = (zip_code or "").strip()
    if country == "FR" and len(digits) == 5 and digits.startswith(MONACO_POSTCODE):
        return "MC"
    return country
