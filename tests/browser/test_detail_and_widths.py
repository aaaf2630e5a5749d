"""Issue #15, points 5 and 6 in Debian's Chromium: the detail page's gallery (position,
previous/next, keys, swipe) and no public page wider than a phone's screen."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import make_agency, make_listing, make_photo

pytestmark = [pytest.mark.browser]
PHOTOS = 6
# Long unbroken upstream values, as agencies' legal blocks and listings carry them.
LEGAL = {
    "raison_sociale": "Agence Bellecour Immobilier et Associés",
    "forme_juridique": "SARL au capital de 20 000 €",
    "adresse_societe": "1 place de la République, 69002 Lyon",
    "no_carte_pro": "CPI69012018000012345",
    "prefecture": "CCI Lyon Métropole Saint-Étienne Roanne",
    "rcs": "RCS Lyon 123 456 789",
    "garantie_etablissement": "Galian, 89 rue La Boétie, 75008 Paris",
    "garantie_montant": "120 000 €",
    "rcp_nom": "MMA IARD, 14 boulevard Marie et Alexandre Oyon, 72030 Le Mans",
    "rcp_montant": "1 500 000 €",
    "infos": "<p>Médiateur : https://www.mediateur-de-la-consommation-immobiliere.example/saisir</p>",
}


@pytest.fixture
def site(live_server, transactional_db):
    agency = make_agency(
        name="Agence Bellecour Immobilier",
        legal=LEGAL,
        emails=["contact-transactions-vente-location@agence-bellecour-immobilier.example"],
        phone="04 72 00 00 10",
        address="1 place de la République",
    )
    photo = f"{live_server.url}/static/img/favicon.svg"
    house = make_listing(
        feed=agency.feed,
        agency=agency,
        title="Maison de maître avec dépendances",
        property_type="house",
        property_subtype="Maison de maître",
        land_surface=1790,
        extras={
            "equipements_exterieurs_et_amenagements_paysagers": {
                "name": "Équipements extérieurs et aménagements paysagers",
                "value": "Piscine-chauffée-couverte-avec-pool-house-et-cuisine-d-été",
                "display": True,
            }
        },
    )
    for _ in range(PHOTOS):
        make_photo(house, url=photo)
    bare = make_listing(feed=agency.feed, agency=agency, title="Terrain à bâtir")
    gone = make_listing(feed=agency.feed, agency=agency, withdrawn_at=timezone.now())
    return {
        "url": live_server.url,
        "house": house.get_absolute_url(),
        "bare": bare.get_absolute_url(),
        "gone": gone.get_absolute_url(),
        "agency": agency.get_absolute_url(),
    }


def new_page(browser, width: int, height: int = 844, javascript: bool = True, touch=False):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        java_script_enabled=javascript,
        has_touch=touch,
    )
    return context, context.new_page()


def in_view(page) -> str:
    """The position badge of the photo the phone's strip shows."""
    return page.evaluate(
        """() => {
          const strip = document.querySelector('.gallery-list');
          const left = strip.getBoundingClientRect().left;
          const item = [...strip.children].find(
            li => Math.abs(li.getBoundingClientRect().left - left) < 2);
          return item ? item.querySelector('.gallery-count').textContent : '';
        }"""
    )


def settle(page, expected: str) -> None:
    page.wait_for_function(
        """expected => {
          const strip = document.querySelector('.gallery-list');
          const left = strip.getBoundingClientRect().left;
          return [...strip.children].some(li =>
            Math.abs(li.getBoundingClientRect().left - left) < 2
            && li.querySelector('.gallery-count').textContent === expected);
        }""",
        arg=expected,
    )


def test_gallery_counter_and_previous_next_buttons_move_one_photo_at_a_time(browser, site):
    context, page = new_page(browser, 390)
    page.goto(site["url"] + "/en" + site["house"])
    assert in_view(page) == f"1 / {PHOTOS}"
    assert page.locator(".gallery-count").first.is_visible()
    page.get_by_role("button", name="Next photo").click()
    settle(page, f"2 / {PHOTOS}")
    assert page.locator("[data-gallery-status]").inner_text() == f"Photo 2 of {PHOTOS}"
    page.get_by_role("button", name="Previous photo").click()
    settle(page, f"1 / {PHOTOS}")
    # From the first photo, "previous" goes round to the last.
    page.get_by_role("button", name="Previous photo").click()
    settle(page, f"{PHOTOS} / {PHOTOS}")
    context.close()


def test_gallery_arrow_keys_move_focus_and_the_strip_between_photos(browser, site):
    context, page = new_page(browser, 390)
    page.goto(site["url"] + site["house"])
    page.locator("a.gallery-item").first.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.index") == "1"
    settle(page, f"2 / {PHOTOS}")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.dataset.index") == str(PHOTOS - 1)
    settle(page, f"{PHOTOS} / {PHOTOS}")
    context.close()


def swipe(page, context, x0: int, x1: int, y: int) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for step in range(1, 6):
        x = x0 + (x1 - x0) * step // 5
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_the_viewer_swipes_to_the_next_and_previous_photo(browser, site):
    context, page = new_page(browser, 390, touch=True)
    page.goto(site["url"] + site["house"])
    page.locator("a.gallery-item").first.click()
    caption = page.locator("dialog.viewer figcaption")
    assert caption.inner_text().startswith(f"1 sur {PHOTOS}")
    swipe(page, context, 300, 80, 420)
    assert caption.inner_text().startswith(f"2 sur {PHOTOS}")
    swipe(page, context, 80, 300, 420)
    assert caption.inner_text().startswith(f"1 sur {PHOTOS}")
    context.close()


def test_without_javascript_the_strip_swipes_and_numbers_every_photo(browser, site):
    context, page = new_page(browser, 390, javascript=False, touch=True)
    page.goto(site["url"] + site["house"])
    assert not page.locator(".gallery-controls").is_visible()
    badges = page.locator(".gallery-count").all_inner_texts()
    assert badges == [f"{n} / {PHOTOS}" for n in range(1, PHOTOS + 1)]
    box = page.locator(".gallery-list").bounding_box()
    swipe(page, context, 330, 40, int(box["y"] + box["height"] / 2))
    page.wait_for_function("document.querySelector('.gallery-list').scrollLeft > 100")
    context.close()


def test_on_a_wide_screen_every_photo_is_on_the_page(browser, site):
    context, page = new_page(browser, 1366, 768)
    page.goto(site["url"] + site["house"])
    for item in page.locator(".gallery-list li").all():
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    assert not page.locator(".gallery-controls").is_visible()
    context.close()


def test_a_listing_without_photos_shows_the_placeholder(browser, site):
    context, page = new_page(browser, 390)
    page.goto(site["url"] + "/en" + site["bare"])
    placeholder = page.get_by_role("img", name="No photo yet")
    assert placeholder.is_visible()
    box = placeholder.bounding_box()
    assert round(box["width"] * 3 / 4) == round(box["height"])
    context.close()


def public_pages(site) -> list[str]:
    return [
        "/",
        "/annonces/",
        site["house"],
        site["bare"],
        "/agences/",
        site["agency"],
        "/honoraires/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/favoris/",
        "/alertes/nouvelle/",
        "/contact/merci/",
        "/annonces/999999-inconnue/",
        site["gone"],
    ]


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("language", ["", "/en", "/de"])
def test_no_public_page_is_wider_than_the_screen(browser, site, width, language):
    context, page = new_page(browser, width)
    too_wide, too_narrow = {}, {}
    for path in public_pages(site):
        response = page.goto(site["url"] + language + path)
        assert response.status in (200, 404, 410), path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
        # Not by squeezing: a value of a list of facts keeps at least half its row.
        squeezed = page.evaluate(
            """() => [...document.querySelectorAll('.facts dd')].filter(
                 dd => dd.getBoundingClientRect().width < dd.parentNode.clientWidth * 0.5
               ).map(dd => dd.textContent.slice(0, 30))"""
        )
        if squeezed:
            too_narrow[path] = squeezed
    context.close()
    assert too_wide == {}
    assert too_narrow == {}
