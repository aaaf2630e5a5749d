"""The search's place field in Chromium: suggestions with JavaScript, plain text without."""

from __future__ import annotations

import pytest

from tests.factories import make_listing

pytestmark = [pytest.mark.browser]


@pytest.fixture
def towns(live_server, transactional_db):
    make_listing(city="Saint-Malo", city_key="saint malo", zip_code="35400", title="Malouinière")
    make_listing(city="Lyon", city_key="lyon", zip_code="69003", title="Canut")
    return live_server.url


def test_the_place_field_suggests_catalogue_towns_as_people_type(browser, towns):
    page = browser.new_page()
    page.goto(f"{towns}/annonces/")
    page.click("[data-filters] > summary")  # the filters are folded on the search page
    page.fill("#id_localization", "St-Ma")
    page.wait_for_selector("datalist option", state="attached")
    options = page.eval_on_selector_all("datalist option", "os => os.map(o => o.value)")
    assert options == ["Saint-Malo"]
    page.close()


def test_without_javascript_the_place_field_is_plain_text_and_searches(browser, towns):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{towns}/annonces/")
    page.click("[data-filters] > summary")
    assert page.get_attribute("#id_localization", "list") is None
    page.fill("#id_localization", "St Malo")
    page.fill("#id_max_price", "400 000 €")
    page.click("form[role=search] button[type=submit]")
    assert "localization=St+Malo" in page.url and "max_price=400000" in page.url
    assert "Malouinière" in page.content() and "Canut" not in page.content()
    assert page.input_value("#id_max_price") == "400\u00a0000"
    context.close()
