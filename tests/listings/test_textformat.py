from __future__ import annotations

import pytest

from showcase.listings import textformat as tf


def test_strip_urls_mails_and_phones():
    text = "Voir www.agence.fr ou https://x.example/a?b=1. Écrire à jo@agence.fr, appeler le 04 78 12 34 56."
    assert "agence.fr" not in tf.strip_urls(text).replace("jo@agence.fr", "")
    assert "jo@agence.fr" not in tf.strip_mails(text)
    assert "04 78" not in tf.strip_phones(text)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("0478123456", "04 78 12 34 56"),
        ("04.78.12.34.56", "04 78 12 34 56"),
        ("+33 4 78 12 34 56", "04 78 12 34 56"),
        ("0033478123456", "04 78 12 34 56"),
        ("+33 (0)4 78 12 34 56", "04 78 12 34 56"),
    ],
)
def test_clean_phones_formats_french_numbers(raw, clean):
    assert tf.clean_phones(f"Tél : {raw}.") == f"Tél : {clean}."


def test_clean_phones_leaves_prices_and_years_alone():
    assert tf.clean_phones("Prix 385000 € en 2024") == "Prix 385000 € en 2024"


def test_strip_cr_and_clean_cr():
    assert tf.strip_cr("a\r\nb\n\n c") == "a b c"
    assert tf.clean_cr("a\r\n\r\n\r\n\nb\rc\n") == "a\n\nb\nc"


def test_clean_spaces_collapses_runs():
    assert tf.clean_spaces("  beau   T3 \u00a0 lumineux ") == "beau T3 lumineux"


def test_clean_punctuation_follows_french_typography():
    assert tf.clean_punctuation("Calme ,lumineux.Proche gare:à 5 min!") == (
        "Calme, lumineux. Proche gare\u00a0: à 5 min\u00a0!"
    )
    assert tf.clean_punctuation("voir https://x.example") == "voir https://x.example"


def test_recase_only_sentences_mostly_in_capitals():
    assert tf.recase("BELLE MAISON. GRAND JARDIN") == "Belle maison. Grand jardin"
    assert tf.recase("Belle maison à Lyon, proche RER") == "Belle maison à Lyon, proche RER"


def test_html_anchors_only_with_html():
    text = "Site www.agence.fr et mail jo@agence.fr\nfin"
    html = tf.format_text(text, ["html", "anchor"])
    assert '<a href="https://www.agence.fr" rel="nofollow noopener">www.agence.fr</a>' in html
    assert '<a href="mailto:jo@agence.fr">jo@agence.fr</a>' in html
    assert "<br>" in html
    assert "<a " not in tf.format_text(text, ["anchor"])


def test_format_text_always_escapes_upstream_text():
    html = tf.format_text('<script>alert(1)</script> "ok"', ["html", "anchor"])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_every_option_of_the_spec_is_known():
    assert set(tf.OPTIONS) == {
        "strip-urls",
        "strip-mails",
        "strip-phones",
        "strip-cr",
        "clean-phones",
        "clean-cr",
        "clean-spaces",
        "clean-punctuation",
        "anchor-urls",
        "anchor-mails",
        "anchor",
        "recase",
        "html",
    }


def test_recase_lowers_sentences_mostly_in_capitals_and_keeps_the_listings_place_names():
    text = "GAMBETTA / CESSOLE, SPACIEUX 2P, de 52m² exposé …"
    assert tf.recase(text, ["Nice", "Gambetta"]) == (
        "Gambetta / cessole, spacieux 2P, de 52m² exposé …"
    )
    assert tf.recase("2P CENTRE NICE", ["Nice"]) == "2P centre Nice"


def test_recase_keeps_abbreviations_room_counts_and_energy_classes_in_capitals():
    assert tf.recase("T3 AU RDC AVEC VMC, DPE C, PROCHE RER ET TGV. F2BIS RT2012") == (
        "T3 au RDC avec VMC, DPE C, proche RER et TGV. F2BIS RT2012"
    )


def test_recase_leaves_sentences_in_normal_case_alone():
    text = "APPARTEMENT T2 LUMINEUX. Proche du RER B et des commerces de Lyon."
    assert tf.recase(text, ["Lyon"]) == (
        "Appartement T2 lumineux. Proche du RER B et des commerces de Lyon."
    )


def test_recase_gives_place_names_written_in_capitals_their_title_case():
    assert tf.recase("MAISON À SAINT-ÉTIENNE, QUARTIER BELLEVUE", ["SAINT-ÉTIENNE"]) == (
        "Maison à Saint-Étienne, quartier bellevue"
    )


def test_format_text_recases_with_the_names_it_is_given():
    html = tf.format_text("STUDIO À NICE CENTRE", ["recase"], keep=("Nice",))
    assert "Studio à Nice centre" in html


def test_the_title_is_recased_only_when_the_site_asks_for_it():
    assert tf.recased_title("2P CENTRE NICE", ["recase"], ("Nice",)) == "2P centre Nice"
    assert tf.recased_title("2P CENTRE NICE", ["html"], ("Nice",)) == "2P CENTRE NICE"
