"""Issue #15 in Chromium at phone size: results first, filters folded into words, human
controls, the favourites page opened directly, the alert page's criteria in words."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_journeys import open_page, site  # noqa: F401 (fixtures)
from tests.factories import make_listing

pytestmark = [pytest.mark.browser]
SCREEN = 844


@pytest.fixture
def many(site):  # noqa: F811
    # Enough results for a real page: the first screen must not depend on a short list.
    from showcase.listings.models import Listing

    feed = Listing.objects.first().feed
    for n in range(6):
        make_listing(feed=feed, title=f"Maison {n}", transaction="sell", property_type="house")
    return site


def bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box["y"] + box["height"]


@pytest.mark.parametrize("javascript", [True, False])
def test_count_sort_and_first_result_are_in_the_first_phone_screen(browser, many, javascript):  # noqa: F811
    page, errors = open_page(browser, javascript=javascript)
    page.goto(many + "/annonces/?transaction=sell&type=house,flat&max_price=900000&rooms=3")
    assert bottom(page.locator("#results-heading")) <= SCREEN
    assert bottom(page.get_by_label("Trier par")) <= SCREEN
    first = page.locator("ol.cards > li").first
    assert bottom(first.locator(".card-title")) <= SCREEN
    assert bottom(first.locator(".card-price")) <= SCREEN
    assert errors == []


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_the_phone_header_stays_compact_so_the_first_result_shows_in_every_language(
    browser,  # noqa: F811
    many,
    language,
):
    # The worst case: with a saved favourite the nav shows "My favourites" too.
    page, errors = open_page(browser)
    prefix = "" if language == "fr" else f"/{language}"
    page.goto(many + prefix + "/annonces/")
    page.evaluate("localStorage.setItem('vitrine:favourites', '[1]')")
    page.goto(many + prefix + "/annonces/?transaction=sell&type=house,flat&max_price=900000")
    assert page.locator("[data-fav-nav]").is_visible()
    assert bottom(page.locator(".site-header")) <= 120  # 194 px (fr) and 238 px (de) before
    first = page.locator("ol.cards > li").first
    assert bottom(first.locator(".card-title")) <= SCREEN
    assert bottom(first.locator(".card-price")) <= SCREEN
    # Short codes on screen, the languages' names for screen readers and as a tooltip.
    switch = page.get_by_role("navigation", name=re.compile("Langue|Language|Sprache"))
    codes = switch.locator("[aria-hidden=true]")
    assert [c.strip() for c in codes.all_inner_texts()] == ["FR", "EN", "DE"]
    other = "English" if language != "en" else "Deutsch"
    assert switch.get_by_role("link", name=other).is_visible()
    assert codes.evaluate_all("cs => cs.map(c => c.title)") == ["Français", "English", "Deutsch"]
    # Every nav link is a readable target on one line, none cut.
    for link in page.locator(".site-header nav a").all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 24 and box["x"] + box["width"] <= 390
    assert errors == []


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_header_does_not_move_the_page_when_the_favourites_link_appears(
    browser,  # noqa: F811
    many,
    language,
):
    # favourites.js shows "My favourites": the space is kept from the first paint, so the
    # results do not jump down by a nav row once the script runs (here: before it runs,
    # i.e. without it, then with it).
    prefix = "" if language == "fr" else f"/{language}"
    before_script, _errors = open_page(browser)
    before_script.route("**/favourites.js", lambda route: route.abort())
    before_script.goto(many + prefix + "/annonces/")
    assert not before_script.locator("[data-fav-nav]").is_visible()
    page, errors = open_page(browser)
    page.goto(many + prefix + "/annonces/")
    assert page.locator("[data-fav-nav]").is_visible()
    assert bottom(page.locator(".site-header")) == bottom(before_script.locator(".site-header"))
    assert errors == []


@pytest.mark.parametrize("javascript", [True, False])
def test_the_chosen_sort_is_never_clipped_at_320_px(browser, many, javascript):  # noqa: F811
    # German "Preis aufsteigend" showed as "Preis aufsteiger" beside its label at 320 px.
    page, errors = open_page(browser, javascript=javascript)
    page.set_viewport_size({"width": 1000, "height": 844})
    page.goto(many + "/de/annonces/?sort=price_asc")
    select = page.get_by_label("Sortieren nach")
    natural = select.bounding_box()["width"]
    page.set_viewport_size({"width": 320, "height": 844})
    assert select.bounding_box()["width"] >= natural - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert errors == []


WORDS_ON_ONE_LINE = """buttons => buttons.flatMap(button => {
    const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
    const broken = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (lines.size > 1) broken.push(match[0]);
        }
    }
    return broken;
})"""


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_the_alert_and_map_buttons_never_cut_a_word_at_320_px(browser, many, language):  # noqa: F811
    # German's "benachrichtigen" was cut "benachrichtige/n" at 320 px.
    page, errors = open_page(browser)
    page.set_viewport_size({"width": 320, "height": 844})
    prefix = "" if language == "fr" else f"/{language}"
    page.goto(many + prefix + "/annonces/?transaction=sell")
    buttons = page.locator(".results-tools .button:visible")
    assert buttons.count() >= 2
    assert buttons.evaluate_all(WORDS_ON_ONE_LINE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert errors == []


def test_the_filters_disclosure_says_the_active_criteria_and_works_without_javascript(
    browser,  # noqa: F811
    many,
):
    page, errors = open_page(browser, javascript=False)
    page.goto(many + "/annonces/")
    summary = page.locator("summary.filters-summary")
    assert "toutes les annonces" in summary.inner_text()
    assert not page.get_by_label("Maison").is_visible()
    summary.click()
    page.get_by_role("group", name="Type de bien").get_by_label("Maison").check()
    page.get_by_role("group", name="Type de bien").get_by_label("Appartement").check()
    page.get_by_text("Plus de critères").click()
    page.get_by_role("group", name="Exclure").get_by_label("Location", exact=True).check()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"type=house&type=flat"))
    words = page.locator("summary.filters-summary").inner_text()
    assert "2 critères" in words
    assert "sauf Location" in words and "Maison, Appartement" in words
    assert page.get_by_role("heading", name="8 annonces trouvées").is_visible()
    # Sorting without JavaScript: the button beside it sends the whole search.
    page.get_by_label("Trier par").select_option("price_asc")
    page.get_by_role("button", name="Trier", exact=True).click()
    page.wait_for_url(re.compile(r"sort=price_asc"))
    assert "type=house&type=flat" in page.url
    assert errors == []


def test_with_javascript_the_search_url_keeps_gedeons_comma_lists_and_sort_applies_at_once(
    browser,  # noqa: F811
    many,
):
    page, errors = open_page(browser)
    page.goto(many + "/annonces/")
    page.locator("summary.filters-summary").click()
    page.get_by_role("group", name="Type de bien").get_by_label("Maison").check()
    page.get_by_role("group", name="Type de bien").get_by_label("Appartement").check()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"type=house,flat"))
    assert "min_price" not in page.url  # empty criteria are left out
    assert not page.get_by_role("button", name="Trier", exact=True).is_visible()
    page.get_by_label("Trier par").select_option("price_asc")
    page.wait_for_url(re.compile(r"sort=price_asc"))
    assert "type=house,flat" in page.url
    assert "Maison, Appartement" in page.locator("summary.filters-summary").inner_text()
    assert errors == []


def test_the_favourites_page_opened_directly_shows_the_saved_favourites(browser, many):  # noqa: F811
    page, errors = open_page(browser)
    page.goto(many + "/annonces/")
    page.get_by_role("button", name="Favori : Appartement lumineux").click()
    page.goto(many + "/favoris/")
    page.wait_for_url(re.compile(r"/favoris/\?ids=\d+"))
    assert page.get_by_role("heading", name="1 annonce toujours disponible").is_visible()
    assert page.get_by_role("link", name=re.compile("Appartement lumineux")).first.is_visible()
    assert errors == []


def test_the_favourites_page_without_javascript_says_why_it_cannot_show_them(browser, many):  # noqa: F811
    page, _ = open_page(browser, javascript=False)
    page.goto(many + "/favoris/")
    # Playwright's text search skips <noscript>: read its paragraph directly.
    explanation = page.locator("main noscript p")
    assert explanation.is_visible()
    assert "cette page a besoin de JavaScript pour les lire" in explanation.inner_text()
    assert not page.locator(".fav-empty-js").is_visible()


def test_the_alert_page_names_the_criteria_and_draws_radios_beside_their_labels(browser, many):  # noqa: F811
    page, errors = open_page(browser)
    page.goto(many + "/annonces/?transaction=sell&type=house")
    page.get_by_role("link", name="M'alerter des nouvelles annonces").click()
    criteria = page.get_by_role("region", name="Les critères que surveille cette alerte")
    assert criteria.get_by_role("listitem").all_inner_texts() == ["Vente", "Maison"]
    radio = page.get_by_role("radio").first
    label = page.locator("label[for=id_frequency_0]")
    box, text = radio.bounding_box(), label.bounding_box()
    assert box["width"] <= 24 and box["height"] <= 24
    assert text["x"] <= box["x"] and box["x"] + box["width"] <= text["x"] + text["width"]
    assert text["y"] <= box["y"] and box["y"] + box["height"] <= text["y"] + text["height"]
    assert errors == []


def test_the_map_area_is_set_by_the_map_and_removed_by_unticking_it(browser, many):  # noqa: F811
    page, errors = open_page(browser)
    page.goto(many + "/annonces/?transaction=sell")
    page.get_by_role("button", name="Voir les résultats sur une carte").click()
    page.get_by_role("button", name="Rechercher dans cette zone").click()
    page.wait_for_url(re.compile(r"bbox=[-0-9.]+,[-0-9.]+,[-0-9.]+,[-0-9.]+"))
    assert "transaction=sell" in page.url
    assert "zone choisie sur la carte" in page.locator("summary.filters-summary").inner_text()
    page.locator("summary.filters-summary").click()
    page.get_by_label("Seulement la zone choisie sur la carte").uncheck()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/annonces/\?(?!.*bbox)"))
    assert "transaction=sell" in page.url
    # The tile server is out of reach in tests: only the tiles may fail.
    assert [e for e in errors if "ERR_NAME_NOT_RESOLVED" not in e] == []
