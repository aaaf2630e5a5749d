"""The DPE's scales, written once: class letters, thresholds, the 2021 reform and validity.

Source: docs/legal.md §5.1 (arrêté du 31 mars 2021, décret 2020-1609; ADEME's own
`controle_coherence`: values floored to the integer, then the first class whose upper
bound is strictly greater) and E9/E12 (validity). Pure data and functions, no app import.

The DPE's letter is the truth (small surfaces and high altitudes have their own tables):
`classes_for` only fills in the letters an upstream left out but gave the values of,
with the scales of the DPE's date; `letter_for` also draws the demo's made-up listings.

The old scales (DPE made before 1 July 2021, docs/legal.md §5.2): arrêté du 15 septembre
2006 relatif au diagnostic de performance énergétique pour les bâtiments existants proposés
à la vente en France métropolitaine (annexe 3: étiquettes énergie and climat), the same
classes for rentals by arrêté du 3 mai 2007, both as amended by arrêté du 8 février 2012.
Two independent scales then, no double threshold.
"""

from __future__ import annotations

from datetime import date

# Classes from best to worst; the order is the scale's (A < B < ... < G).
LETTERS = "ABCDEFG"
# Upper bounds (exclusive) of classes A to F, mainland, surfaces of 40 m² or more;
# G is anything from the last bound up.
ENERGY_THRESHOLDS: tuple[int, ...] = (70, 110, 180, 250, 330, 420)  # kWhEP/m²/year (Cep)
CLIMATE_THRESHOLDS: tuple[int, ...] = (6, 11, 30, 50, 70, 100)  # kg CO₂eq/m²/year (EGES)
# Before the reform (arrêtés of 15 September 2006 / 8 February 2012, docs/legal.md §5.2):
# energy A ≤ 50, B 51-90, C 91-150, D 151-230, E 231-330, F 331-450, G > 450 kWhEP/m²/year;
# climate A ≤ 5, B 6-10, C 11-20, D 21-35, E 36-55, F 56-80, G > 80 kg CO₂eq/m²/year.
OLD_ENERGY_THRESHOLDS: tuple[int, ...] = (51, 91, 151, 231, 331, 451)
OLD_CLIMATE_THRESHOLDS: tuple[int, ...] = (6, 11, 21, 36, 56, 81)
# The reformed DPE: older ones are all expired (docs/legal.md E9).
NEW_DPE_SINCE = date(2021, 7, 1)
VALIDITY_YEARS = 10


def is_letter(text: str) -> bool:
    """True for exactly one of "A" to "G" (upper case); "" and "AB" are not letters."""
    return len(text) == 1 and text in LETTERS


def letter_for(value: float | int | str, thresholds: tuple[int, ...]) -> str:
    """The class of a value on one scale (`ENERGY_THRESHOLDS` or `CLIMATE_THRESHOLDS`).

    `value` in the scale's unit, a number or its decimal text ("134.5"); floored to the
    integer first, as ADEME does. Raises ValueError for text that is not a number.
    """
    floored = int(float(value))
    for bound, letter in zip(thresholds, LETTERS, strict=False):
        if floored < bound:
            return letter
    return LETTERS[-1]


def label_letter(energy: float | int | str, climate: float | int | str) -> str:
    """The DPE label's class: the worse of the energy and the climate classes ("double
    seuil", docs/legal.md §5.1). Values in kWhEP/m²/year and kg CO₂eq/m²/year."""
    return max(letter_for(energy, ENERGY_THRESHOLDS), letter_for(climate, CLIMATE_THRESHOLDS))


def classes_for(energy: float | None, climate: float | None, day: date) -> tuple[str, str]:
    """(energy class, climate class) of a DPE made on `day` from its values, "" for a class
    the values cannot give.

    Since 1 July 2021 the energy class is the worse of the energy and the climate classes
    (both values needed), the climate class that of the emissions alone; before, each class
    comes from its own old scale. Values in kWhEP/m²/year and kg CO₂eq/m²/year; negative
    values give no class.
    """
    energy = energy if energy is not None and energy >= 0 else None
    climate = climate if climate is not None and climate >= 0 else None
    if day < NEW_DPE_SINCE:
        return (
            "" if energy is None else letter_for(energy, OLD_ENERGY_THRESHOLDS),
            "" if climate is None else letter_for(climate, OLD_CLIMATE_THRESHOLDS),
        )
    return (
        "" if energy is None or climate is None else label_letter(energy, climate),
        "" if climate is None else letter_for(climate, CLIMATE_THRESHOLDS),
    )


def valid_until(day: date) -> date:
    """The last day a DPE made on `day` is valid: ten years later (a 29 February DPE
    ends on 28 February)."""
    try:
        return day.replace(year=day.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + VALIDITY_YEARS, day=28)


def is_outdated(day: date, *, today: date) -> bool:
    """True when a DPE made on `day` no longer counts on `today`: made before the 2021
    reform, or past its ten years."""
    return day < NEW_DPE_SINCE or valid_until(day) < today
