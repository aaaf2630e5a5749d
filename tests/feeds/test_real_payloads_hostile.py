"""Hostile inputs of issue #14's kind through the real client, mapping, sync and pages:
numbers that are not measures, countries in other spellings, foreign postcodes that look
French, and the pages and admin that show them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import responses
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from responses import matchers

from showcase.feeds.sync import sync_feed
from showcase.listings.models import Listing
from tests.factories import make_feed, make_listing
from tests.feeds.apimo.payloads import prop
from tests.feeds.gedeon.payloads import envelope, load
from tests.feeds.test_real_payloads import GEDEON, apimo_sync, fact, found_ids, json_ld, page

pytestmark = pytest.mark.django_db
ESSAOUIRA = {"id": 9, "name": "Essaouira", "zipcode": "44000"}


def gedeon_ads_sync(*ads: dict[str, Any]) -> list[Listing]:
    feed = make_feed(name="parc", base_url=GEDEON, api_key="k3y")
    with responses.RequestsMock() as upstream:
        upstream.get(f"{GEDEON}/agencies", json=envelope([]))
        upstream.get(
            f"{GEDEON}/ads",
            json=envelope(list(ads)),
            match=[matchers.query_param_matcher({"key": "k3y"}, strict_match=False)],
        )
        run = sync_feed(feed)
    assert (run.status, run.created, run.rejected) == ("success", len(ads), 0), run.warnings
    return [Listing.objects.get(feed=feed, upstream_id=str(ad["id"])) for ad in ads]


def regulations(energy: Any, climate: Any = "6") -> list[dict[str, Any]]:
    day = "2023-05-10"
    return [
        {"type": 1, "value": energy, "date": day},
        {"type": 2, "value": climate, "date": day},
    ]


def test_apimo_dpe_values_that_are_not_measures_leave_the_sync_and_the_page_whole(client):
    infinite, nan, negative = apimo_sync(
        prop(181297, regulations=regulations("1e400")),
        prop(181298, regulations=regulations("nan", "inf")),
        prop(181299, regulations=regulations("-1")),
    )
    for listing in (infinite, nan, negative):
        assert listing.dpe_value is None
        body = page(client, listing)
        assert "inf" not in fact(body, "Consommation énergétique").lower()
    assert nan.ges_value is None
    # The climate value alone still gives its class on the 2021 scale.
    assert (infinite.dpe_letter, infinite.ges_letter) == ("", "B")


def test_apimo_surface_nan_or_infinite_is_no_surface():
    nan, infinite = apimo_sync(
        prop(181297, area={"unit": 1, "value": "nan"}),
        prop(181298, area={"unit": 1, "value": "1e400"}),
    )
    assert (nan.surface, infinite.surface) == (None, None)


def test_gedeon_dpe_value_nan_is_no_value_and_the_page_renders(client):
    ad = load("ad_dpe_without_date.json")
    ad["extras"]["dpe_conso_en"]["value"] = "NaN"
    ad["extras"]["dpe_ges"]["value"] = "Infinity"
    (listing,) = gedeon_ads_sync(ad)
    assert (listing.dpe_value, listing.ges_value) == (None, None)
    assert "nan" not in page(client, listing).lower().split("dpe-sticker")[0][-200:]


@pytest.mark.parametrize("country", ["MAR", "mar", "Maroc", "Morocco"])
def test_apimo_country_as_alpha3_or_name_is_that_country_not_france(client, country):
    (listing,) = apimo_sync(prop(181297, country=country, city=ESSAOUIRA))
    assert (listing.country, listing.department) == ("MA", "")


def test_zip_code_search_does_not_match_a_foreign_listing_with_a_french_looking_postcode(client):
    nantes, essaouira = apimo_sync(
        prop(
            181297,
            city={"id": 1, "name": "Nantes", "zipcode": "44000"},
            latitude=47.2184,
            longitude=-1.5536,
        ),
        prop(181298, country="MA", city=ESSAOUIRA, latitude=31.5085, longitude=-9.7595),
    )
    assert found_ids(client, "localization=44000") == [nantes.upstream_id]
    assert found_ids(client, "localization=44000&extends=5000") == [nantes.upstream_id]
    assert found_ids(client, "localization=essaouira") == [essaouira.upstream_id]


def test_gone_page_of_a_foreign_listing_suggests_no_listing_from_elsewhere(client):
    feed = make_feed()
    gone = make_listing(
        feed=feed,
        title="Riad",
        country="MA",
        city="Essaouira",
        city_key="essaouira",
        zip_code="44000",
        department="",
        withdrawn_at=timezone.now(),
    )
    lyon = make_listing(feed=feed, title="Ailleurs à Lyon")
    nowhere = make_listing(feed=feed, title="Sans lieu", city="", city_key="", department="")
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 410
    body = response.content.decode()
    assert lyon.title not in body and nowhere.title not in body


def test_listing_admin_shows_the_country_and_the_carrez_surface(client):
    (listing,) = apimo_sync(
        prop(
            181297,
            country="MA",
            city=ESSAOUIRA,
            regulations=[{"type": 3, "value": "48,52"}],
        )
    )
    admin = get_user_model().objects.create_superuser("root", "root@x.test", "pw")
    client.force_login(admin)
    body = client.get(reverse("admin:listings_listing_change", args=[listing.pk])).content
    html = body.decode()
    assert re.search(r"field-country.*?MA", html, re.S)
    assert re.search(r"field-surface_carrez.*?48[,.]52", html, re.S)


def test_apimo_photo_urls_in_capitals_or_http_are_kept_over_https(client):
    (listing,) = apimo_sync(
        prop(
            181297,
            pictures=[
                {"rank": 1, "url": "HTTP://img.apimo.example/1.jpg"},
                {"rank": 2, "url": "http://img.apimo.example/2.jpg"},
                {"rank": 3, "url": "javascript:alert(1)"},
                {"rank": 4, "url": "//img.apimo.example/4.jpg"},
            ],
        )
    )
    assert [p.url for p in listing.photos.all()] == [
        "https://img.apimo.example/1.jpg",
        "https://img.apimo.example/2.jpg",
    ]
    body = page(client, listing)
    assert "javascript:" not in body and "http://img.apimo" not in body


@pytest.mark.parametrize(
    ("language", "weekly", "daily"),
    [("fr", "/ semaine", "/ jour"), ("en", "/ week", "/ day"), ("de", "/ Woche", "/ Tag")],
)
def test_holiday_rents_by_the_week_or_day_name_their_period_in_the_page_language(
    client, language, weekly, daily
):
    by_week, by_day = apimo_sync(
        prop(181297, category=3, price={"value": 900, "currency": "EUR", "period": 2}),
        prop(181298, category=3, price={"value": 120, "currency": "EUR", "period": 1}),
    )
    prefix = "" if language == "fr" else f"/{language}"
    for listing, period in ((by_week, weekly), (by_day, daily)):
        with translation.override("fr"):
            path = listing.get_absolute_url()
        body = client.get(prefix + path).content.decode()
        block = re.search(r'<section class="price-block".*?</section>', body, re.S).group(0)
        assert period in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))
        card = client.get(f"{prefix}/annonces/").content.decode()
        assert period in card


def test_recasing_keeps_the_city_written_without_its_hyphen_or_accents(client):
    (listing,) = apimo_sync(
        prop(
            181297,
            city={"id": 5, "name": "Saint-Étienne", "zipcode": "42000"},
            comments=[{"language": "fr", "title": "MAISON À SAINT ETIENNE, QUARTIER BELLEVUE"}],
        )
    )
    heading = re.search(r"<h1>(.*?)</h1>", page(client, listing)).group(1)
    assert heading == "Maison à Saint Etienne, quartier bellevue"


def test_a_gedeon_ad_in_monaco_is_in_monaco_not_a_french_department(client):
    ad = load("ad_full.json")
    ad["localization"] = {
        "address": "",
        "city": "Monaco",
        "zip_code": "98000",
        "lat": 43.7384,
        "lng": 7.4246,
    }
    (listing,) = gedeon_ads_sync(ad)
    assert (listing.country, listing.department) == ("MC", "")
    body = page(client, listing)
    assert "(98000), Monaco" in body
    assert json_ld(body)["contentLocation"]["address"]["addressCountry"] == "MC"
    assert found_ids(client, "localization=98000") == [listing.upstream_id]
    assert found_ids(client, "localization=98") == []  # no French département 98


@pytest.mark.parametrize(
    ("zip_code", "department"),
    [("97110", "971"), ("97411", "974"), ("97600", "976"), ("20000", "2A"), ("20200", "2B")],
)
def test_gedeon_overseas_and_corsican_postcodes_keep_their_department(zip_code, department):
    ad = load("ad_full.json")
    ad["localization"]["zip_code"] = zip_code
    (listing,) = gedeon_ads_sync(ad)
    assert (listing.country, listing.department) == ("FR", department)


@pytest.mark.parametrize("energy", ["123456", "214.567", "99999.995"])
def test_a_dpe_sticker_on_the_page_is_one_our_label_endpoint_draws(client, energy):
    (listing,) = apimo_sync(prop(181297, regulations=regulations(energy)))
    body = page(client, listing)
    found = re.search(r'<img class="dpe-sticker" src="([^"]+)"', body)
    if found is None:  # no sticker: the scales are drawn in the page instead
        assert 'class="energy"' in body
        return
    with responses.RequestsMock(assert_all_requests_are_fired=False) as upstream:
        upstream.get("https://dpe.gedeon.im/sticker", status=422)
        response = client.get(found.group(1).replace("&amp;", "&"))
    assert response.status_code == 200


@pytest.mark.parametrize("written", ["10-05-2023", "10.05.2023", "2023/05/10", "10/05/2023"])
def test_a_gedeon_dpe_date_in_another_common_form_dates_the_dpe(client, written):
    ad = load("ad_dpe_without_date.json")
    ad["extras"]["dpe_date"] = {"name": "Date DPE", "value": written, "display": False}
    (listing,) = gedeon_ads_sync(ad)
    assert listing.dpe_date == date(2023, 5, 10)
    assert "date=2023-05-10" in page(client, listing)


def test_price_on_request_is_not_sorted_as_the_cheapest(client):
    on_request, cheap, dear = gedeon_ads_sync(
        load("ad_price_on_request.json"),
        {**load("ad_full.json"), "id": 9000001, "price": 90000},
        {**load("ad_full.json"), "id": 9000002, "price": 900000},
    )
    ids = found_ids(client, "sort=price_asc")
    assert ids == [cheap.upstream_id, dear.upstream_id, on_request.upstream_id]


@pytest.mark.parametrize(("code", "named"), [(6, "Immeuble"), (8, "Bateau"), (10, "Cave / Box")])
def test_an_apimo_type_without_a_category_of_its_own_keeps_its_name(client, code, named):
    (listing,) = apimo_sync(prop(181297, type=code, subtype=None))
    assert fact(page(client, listing), "Type").endswith(f"({named})")


@pytest.mark.parametrize("written", ["2021", "01/01/2021", "2021-01-01", " 2021 "])
def test_the_energy_prices_reference_written_as_a_date_names_its_year(written):
    (listing,) = apimo_sync(
        prop(
            181297,
            regulations=[
                {"type": 120, "value": "1 270"},
                {"type": 121, "value": "1 720"},
                {"type": 122, "value": written},
            ],
        )
    )
    assert listing.energy_cost_reference == (
        "Prix moyens des énergies indexés sur l'année 2021 (abonnements compris)"
    )


def test_a_french_postcode_sent_as_a_number_keeps_its_leading_zero(client):
    ad = load("ad_full.json")
    ad["localization"]["zip_code"] = 6100
    (gedeon,) = gedeon_ads_sync(ad)
    (apimo,) = apimo_sync(prop(181297, city={"id": 2123, "name": "Nice", "zipcode": 6100}))
    for listing in (gedeon, apimo):
        assert (listing.zip_code, listing.department) == ("06100", "06")
    assert sorted(found_ids(client, "localization=06100")) == sorted(
        [gedeon.upstream_id, apimo.upstream_id]
    )
