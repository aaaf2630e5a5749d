"""Search criteria in words: one function for the search summary, the alert page and e-mails."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import translation

from showcase.listings.criteria_words import criteria_phrases, criteria_sentence
from showcase.listings.filters import ListingFilterSet
from showcase.listings.models import Listing
from showcase.listings.templatetags.criteria_tags import query_criteria

NBSP = "\u00a0"


def words(query: str, language: str = "fr", agencies: dict | None = None) -> str:
    form = ListingFilterSet(QueryDict(query), queryset=Listing.objects.none()).form
    form.is_valid()
    with translation.override(language):
        return criteria_sentence(criteria_phrases(form.cleaned_data, agencies))


def test_the_usual_search_reads_as_a_sentence_in_french():
    query = "transaction=sell&type=house&localization=Lille&max_price=400000&rooms=5"
    assert words(query) == (
        f"Vente · Maison · Lille · jusqu’à 400{NBSP}000{NBSP}€ · 5 pièces et plus"
    )


def test_the_same_search_reads_in_english_and_german():
    query = "transaction=sell&type=house,flat&max_price=400000&rooms=3"
    assert words(query, "en") == "Sale · House, Flat · up to €400,000 · 3 rooms"
    assert words(query, "de") == "Kauf · Haus, Wohnung · bis 400.000\u00a0€ · 3 Zimmer"


def test_no_criterion_reads_every_listing():
    assert words("") == "toutes les annonces"
    assert words("sort=price_asc&page=2&limit=10", "en") == "every listing"


def test_invalid_values_are_not_described_as_applied():
    assert words("min_price=abc&type=castle&localization=Brest", "en") == "Brest"


def test_ranges_name_both_bounds_or_the_one_given():
    assert words("min_price=100000&max_price=200000", "en") == "€100,000 to €200,000"
    assert words("min_surface=50", "en") == f"from 50{NBSP}m²"
    assert words("min_surface=50&max_surface=90", "fr") == f"de 50{NBSP}m² à 90{NBSP}m²"


def test_lists_intervals_and_flags_have_their_own_words():
    query = (
        "exclude_transactions=rent,holidays&rooms=2,5&bedrooms=-2,4-&localization=Lyon"
        "&extends=3000&bbox=4.5,46.0,5.0,45.5&favorite=1&is_new=1&nb_photos_min=3"
        "&max_days_old=1&occupied=0&forward_sale=1"
    )
    assert words(query, "en") == (
        "except Rental, Holiday rental · Lyon and 3 km around · area chosen on the map"
        " · 2, 5+ rooms · bedrooms: up to 2, 4 or more · published in the last 1 day"
        " · agency's favourites · new builds · at least 3 photos · not occupied · forward sale"
    )


def test_the_agency_is_named_when_its_name_is_known():
    assert words("agency=AG-MER", "en", {"AG-MER": "Agence de la Mer"}) == "Agence de la Mer"
    assert words("agency=AG-MER", "en") == "AG-MER"


def test_repeated_box_parameters_read_like_the_gedeon_comma_list():
    with translation.override("en"):
        assert query_criteria("type=house&type=flat", None) == ["House, Flat"]
        assert query_criteria("type=house,flat", None) == ["House, Flat"]


def test_an_agency_code_the_site_does_not_know_is_said_to_be_an_agency():
    # An old link's agency (gone, or mistyped): "Agentur 1", never a bare "1" in the summary.
    names = {"AG-MER": "Agence de la Mer"}
    assert words("agency=1", "de", names) == "Agentur 1"
    assert words("agency=1", "fr", names) == "agence 1"
