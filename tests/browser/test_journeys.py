"""The main journeys in Debian's Chromium, with and without JavaScript."""

from __future__ import annotations

import pytest

from tests.factories import make_agency, make_listing, make_photo

# Without Chromium these skip, or fail in CI: the `chromium` fixture of conftest.py.
pytestmark = [pytest.mark.browser]


@pytest.fixture
def site(live_server, settings, transactional_db):
    settings.LEADS_MIN_FILL_SECONDS = 0
    agency = make_agency(name="Agence du Parc")
    photo = f"{live_server.url}/static/img/favicon.svg"
    flat = make_listing(
        feed=agency.feed,
        agency=agency,
        title="Appartement lumineux",
        transaction="sell",
        property_type="flat",
        surface=70,
        contact={"mail": "agent@parc.example"},
    )
    for _ in range(3):
        make_photo(flat, url=photo)
    make_listing(
        feed=agency.feed, agency=agency, title="Petit studio", transaction="sell", surface=18
    )
    make_listing(
        feed=agency.feed,
        agency=agency,
        title="Maison à louer",
        transaction="rent",
        property_type="house",
    )
    return live_server.url


def open_page(browser, javascript: bool = True):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def journey(page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Transaction").select_option("sell")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/annonces/?**")
    assert page.get_by_role("heading", name="2 annonces trouvées").is_visible()
    # The filters are folded under their summary, the results first (issue #15).
    page.locator("summary", has_text="Filtres").click()
    page.get_by_text("Plus de critères").click()
    page.get_by_label("Surface minimum (m²)").fill("50")
    page.get_by_role("button", name="Rechercher").click()
    assert page.get_by_role("heading", name="1 annonce trouvée").is_visible()
    page.get_by_role("link", name="Appartement lumineux").click()
    assert page.get_by_role("heading", level=1, name="Appartement lumineux").is_visible()


def send_contact_form(page) -> None:
    page.get_by_label("Votre nom").fill("Camille Durand")
    page.get_by_label("Votre e-mail").fill("camille@example.org")
    page.get_by_label("Votre message").fill("Bonjour, je souhaite visiter ce bien.")
    page.get_by_label(
        "J'accepte d'être recontacté(e) par l'agence au sujet de cette demande."
    ).check()
    page.get_by_role("button", name="Envoyer").click()
    assert page.get_by_role("heading", name="Merci, votre message a bien été reçu").is_visible()


def test_search_refine_open_gallery_and_contact_with_javascript(browser, site):
    from showcase.leads.models import Lead

    page, errors = open_page(browser)
    journey(page, site)
    first = page.locator("a.gallery-item").first
    first.focus()
    page.keyboard.press("Enter")
    viewer = page.locator("dialog.viewer")
    assert viewer.is_visible()
    assert "1 sur 3" in viewer.locator("figcaption").inner_text()
    page.keyboard.press("ArrowRight")
    assert "2 sur 3" in viewer.locator("figcaption").inner_text()
    page.keyboard.press("Escape")
    assert not viewer.is_visible()
    send_contact_form(page)
    assert Lead.objects.get().email == "camille@example.org"
    assert errors == []


def test_the_same_journey_works_without_javascript(browser, site):
    from showcase.leads.models import Lead

    page, errors = open_page(browser, javascript=False)
    journey(page, site)
    send_contact_form(page)
    assert Lead.objects.count() == 1
    assert errors == []


MEDIAS = [
    {"id": "1", "type": 2, "url": "https://youtu.be/JGowo0ARgPo", "html": "", "title": "Visite"},
    {
        "id": "2",
        "type": 9,
        "url": "",
        "html": "<p>Visite guidée</p><script>parent.stolen = 1</script>",
        "title": "",
    },
]


@pytest.fixture
def media_page(live_server, transactional_db):
    listing = make_listing(title="Villa avec visite", medias=MEDIAS)
    return live_server.url + "/en" + listing.get_absolute_url()


def test_media_facades_load_nothing_until_asked_then_a_titled_frame(browser, media_page):
    page, errors = open_page(browser)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(media_page)
    assert not [u for u in requests if "127.0.0.1" not in u and "localhost" not in u]
    assert page.locator("iframe").count() == 0
    play = page.get_by_role("button", name="YouTube Play the video — Visite")
    play.focus()
    page.keyboard.press("Enter")
    frame = page.locator("iframe.media-frame")
    assert frame.get_attribute("title") == "YouTube video — Visite"
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert [u for u in requests if "youtube-nocookie.com" in u]
    # The HTML media: a sandboxed srcdoc frame, allowed by the page's CSP, scripts removed.
    page.get_by_role("button", name="Open the virtual tour").click()
    html_frame = page.locator("iframe.media-frame").nth(1)
    assert "allow-same-origin" not in html_frame.get_attribute("sandbox")
    inner = page.frame_locator("iframe.media-frame >> nth=1")
    assert inner.get_by_text("Visite guidée").is_visible()
    assert page.evaluate("window.stolen") is None
    assert not [e for e in errors if "Content Security Policy" in e and "srcdoc" in e]


def test_media_facades_without_javascript_are_plain_links(browser, media_page):
    page, _ = open_page(browser, javascript=False)
    page.goto(media_page)
    assert not page.get_by_role("button", name="YouTube Play the video — Visite").is_visible()
    assert page.get_by_role("link", name="Open on YouTube").get_attribute("href") == (
        "https://youtu.be/JGowo0ARgPo"
    )
