"""Places as people write them: one key for every spelling of a town, arrondissements of
Paris, Lyon and Marseille, French zip codes and départements (issue #19, point 3)."""

from __future__ import annotations

import pytest

from showcase.listings.criteria import CriterionError
from showcase.listings.place import Place, parse_place
from showcase.listings.text import arrondissement_zip_codes, city_key


@pytest.mark.parametrize(
    "spelling", ["Saint-Malo", "St-Malo", "st malo", "St. Malo", "SAINT MALO", "Saint–Malo"]
)
def test_saint_and_st_dashes_dots_and_case_are_one_key(spelling):
    assert city_key(spelling) == "saint malo"


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Ste-Maxime", "sainte maxime"),
        ("Ste. Maxime", "sainte maxime"),
        ("Sainte Maxime", "sainte maxime"),
        ("L'Isle-sur-la-Sorgue", "l isle sur la sorgue"),
        ("L’Isle sur la Sorgue", "l isle sur la sorgue"),
        ("Saint-Étienne", "saint etienne"),
        ("Stella-Plage", "stella plage"),
    ],
)
def test_abbreviations_apostrophes_and_accents_fold_alike(spelling, key):
    assert city_key(spelling) == key


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Paris 15e Arrondissement", "paris 15"),
        ("Paris 15ème", "paris 15"),
        ("PARIS-15E", "paris 15"),
        ("Paris 1er", "paris 1"),
        ("Lyon 3e", "lyon 3"),
        ("Marseille 08", "marseille 8"),
        ("Lyon 10e", "lyon 10e"),  # Lyon has nine: no arrondissement
        ("Paris", "paris"),
    ],
)
def test_arrondissements_have_one_key_however_written(spelling, key):
    assert city_key(spelling) == key


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Paris XVIe", "paris 16"),
        ("paris xvi", "paris 16"),
        ("Paris Ier arrondissement", "paris 1"),
        ("Marseille XVIe", "marseille 16"),
        ("Lyon IXe", "lyon 9"),
        ("Lyon Xe", "lyon xe"),  # Lyon has nine: no arrondissement
        ("Paris XXIe", "paris xxie"),
    ],
)
def test_arrondissements_in_roman_numerals_have_the_same_key(spelling, key):
    assert city_key(spelling) == key


@pytest.mark.parametrize("spelling", ["Œuf-en-Ternois", "Oeuf-en-Ternois", "oeuf en ternois"])
def test_ligatures_fold_to_their_two_letters(spelling):
    assert city_key(spelling) == "oeuf en ternois"


def test_a_commune_with_arrondissements_means_all_of_them_by_name_and_zip_code():
    paris = parse_place("Paris")
    assert "paris" in paris.city_keys and "paris 15" in paris.city_keys
    assert len(paris.city_keys) == 21
    assert "75015" in paris.zip_codes and "75116" in paris.zip_codes
    assert parse_place("75000") == paris
    assert len(parse_place("Marseille").zip_codes) == 16
    assert parse_place("Lyon 3e") == Place(city_keys=("lyon 3",), zip_codes=("69003",))


def test_zip_codes_and_departements_are_recognised():
    assert parse_place("42000") == Place(zip_codes=("42000",))
    assert parse_place("2a") == Place(departments=("2A",))
    assert parse_place("974") == Place(departments=("974",))
    assert parse_place(" St-Tropez ") == Place(city_keys=("saint tropez",))


def test_a_place_without_letters_or_digits_is_explained():
    with pytest.raises(CriterionError):
        parse_place("- ' .")


def test_the_sixteenth_arrondissement_has_two_zip_codes():
    assert arrondissement_zip_codes("paris 16") == ("75016", "75116")
    assert arrondissement_zip_codes("nice") == ()


def test_corsicas_former_code_20_means_both_of_its_departements():
    assert parse_place("20").departments == ("2A", "2B")
