from __future__ import annotations

import collections
import io
import json
import re
import urllib.error
import urllib.request

from PIL import Image

from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.gedeon_data import generate_ads, generate_agencies
from showcase.demo.photos import SIZES
from showcase.demo.places import PLACES
from showcase.feeds.gedeon.mapping import extra_value

EVERY = "sell,rent,holidays,viager,program,sold"


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get_json(url: str):
    status, _, body = get(url)
    return status, json.loads(body)


def test_pages_follow_offset_in_ad_id_order_and_cover_every_ad_once():
    with FakeGedeon(count=230, key="k") as fake:
        ids = []
        offset = 0
        while True:
            _, page = get_json(
                f"{fake.url}/ads?key=k&limit=100&offset={offset}&transaction={EVERY}"
            )
            if not page["results"]:
                break
            assert page["nb_results"] == len(page["results"])
            ids += [ad["id"] for ad in page["results"]]
            offset += 100
        assert ids == sorted(ids) and len(set(ids)) == 230 == page["total_results"]


def test_limit_defaults_to_and_is_capped_at_100():
    with FakeGedeon(count=250, key="k") as fake:
        assert get_json(f"{fake.url}/ads?key=k&transaction={EVERY}")[1]["nb_results"] == 100
        _, page = get_json(f"{fake.url}/ads?key=k&limit=1000&transaction={EVERY}")
        assert page["nb_results"] == 100


def test_a_missing_key_is_refused_with_the_gedeon_error_envelope():
    with FakeGedeon(count=5, key="k") as fake:
        for path in ("/ads", "/ads/100001", "/agencies", "/agencies/AG-LYON"):
            status, body = get_json(f"{fake.url}{path}")
            assert status == 403 and body["error"]["message"]


def test_sold_listings_come_only_when_asked_for():
    ads = list(generate_ads(320))
    codes = collections.Counter(ad["transaction_code"] for ad in ads)
    with FakeGedeon(ads, key="k") as fake:
        _, sold = get_json(f"{fake.url}/ads?key=k&transaction=sold")
        assert sold["total_results"] == codes["O"] > 0
        assert {ad["transaction_code"] for ad in sold["results"]} == {"O"}
        _, both = get_json(f"{fake.url}/ads?key=k&transaction=sell,sold")
        assert both["total_results"] == codes["S"] + codes["O"]
        _, default = get_json(f"{fake.url}/ads?key=k&limit=100")
        assert default["total_results"] == 320 - codes["O"]
        _, no_rent = get_json(f"{fake.url}/ads?key=k&exclude_transactions=rent,holidays")
        assert no_rent["total_results"] == 320 - codes["O"] - codes["R"] - codes["H"]


def test_price_info_only_on_request_for_lists_and_single_ads():
    with FakeGedeon(count=10, key="k") as fake:
        _, plain = get_json(f"{fake.url}/ads/100001?key=k")
        _, rich = get_json(f"{fake.url}/ads/100001?key=k&priceInfo=text")
        assert "priceInfo" not in plain and set(rich["priceInfo"]["price"]) >= {
            "euros",
            "prefix",
            "suffix",
            "euros+",
            "moreinfos",
            "alurinfos",
        }
        assert get(f"{fake.url}/ads/999?key=k")[0] == 404


def test_agencies_list_and_detail_carry_legal_blocks_and_simplified_opening_hours():
    with FakeGedeon(count=5, key="k") as fake:
        _, page = get_json(f"{fake.url}/agencies?key=k")
        assert page["total_results"] == len(page["results"]) >= 3
        _, one = get_json(f"{fake.url}/agencies/{page['results'][0]['id']}?key=k")
        assert one == page["results"][0]
        assert get(f"{fake.url}/agencies/NOPE?key=k")[0] == 404
    day = r"(Mo|Tu|We|Th|Fr|Sa|Su) \d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*"
    for agency in generate_agencies():
        assert re.fullmatch(rf"{day}(;{day})*", agency["opening_hours"])
        assert all(agency["legal"][field] for field in ("rcs", "no_carte_pro", "honoraires"))


def test_each_photo_size_is_a_jpeg_filling_its_box():
    with FakeGedeon(count=5) as fake:
        for word, (width, height) in SIZES.items():
            status, headers, body = get(f"{fake.url}/photos/100002/3/{word}/1700000000.jpg")
            assert status == 200 and headers["Content-Type"] == "image/jpeg"
            image = Image.open(io.BytesIO(body))
            assert image.format == "JPEG"
            assert image.width == width and image.height <= height
        assert get(f"{fake.url}/photos/100002/3/huge/1700000000.jpg")[0] == 404


def test_photo_urls_point_at_the_server_with_large_as_a_path_segment():
    with FakeGedeon(count=40) as fake:
        urls = [p["url"] for ad in fake._held for p in ad["photos"]]
        assert urls
        for url in urls:
            assert re.fullmatch(rf"{re.escape(fake.url)}/photos/\d+/\d+/large/\d+\.jpg", url)


def test_a_failing_page_fails_every_time():
    with FakeGedeon(count=250, key="k", fail_offsets={200}) as fake:
        query = f"{fake.url}/ads?key=k&limit=100&transaction={EVERY}"
        assert get(f"{query}&offset=100")[0] == 200
        for _ in range(3):
            status, body = get_json(f"{query}&offset=200")
            assert status == 500 and body["error"]["message"]


def test_buyer_fees_percentage_matches_the_prices_in_price_info():
    checked = 0
    for ad in generate_ads(320):
        net = extra_value(ad["extras"], "prix_hors_honoraires")
        if net is None or extra_value(ad["extras"], "honoraires_a_charge_de") != "acquéreur":
            continue
        pct = round((ad["price"] - net) / net * 100, 2)
        text = ad["priceInfo"]["price"]["alurinfos"]["honoraires"]
        assert text == f"Honoraires : {pct:.2f} % TTC à la charge de l'acquéreur".replace(".", ",")
        checked += 1
    assert checked > 30


def test_viager_and_holiday_ads_carry_their_own_extras():
    ads = list(generate_ads(320))
    viagers = [ad for ad in ads if ad["transaction_code"] == "L"]
    holidays = [ad for ad in ads if ad["transaction_code"] == "H"]
    assert viagers and holidays
    assert all(extra_value(ad["extras"], "rente") is not None for ad in viagers)
    assert all(extra_value(ad["extras"], "couchages") for ad in holidays)


def test_stats_dates_use_the_gedeon_ms_form():
    for ad in generate_ads(30):
        for key in ("created", "modified", "updated"):
            assert re.fullmatch(r"/Date\(\d{13}\)/", ad["stats"][key])


def test_a_large_feed_is_generated_on_the_fly_not_held():
    with FakeGedeon(count=100_000, key="k") as fake:
        assert fake._held is None
        _, page = get_json(f"{fake.url}/ads?key=k&limit=100&offset=99950&transaction={EVERY}")
        assert page["nb_results"] == 50 and page["results"][-1]["id"] == 200_000


def test_ads_sit_near_their_real_city_with_its_true_zip_code():
    places = {(p.city, p.zip_code): p for p in PLACES}
    for ad in generate_ads(320):
        where = ad["localization"]
        place = places[(where["city"], where["zip_code"])]
        assert abs(where["lat"] - place.lat) < 0.05 and abs(where["lng"] - place.lng) < 0.05


def test_dpe_data_comes_in_every_form_a_feed_sends():
    forms = collections.Counter()
    for ad in generate_ads(320):
        extras = ad["extras"]
        letter = extra_value(extras, "dpe_conso_lettre") or extra_value(
            extras, "dpe_conso_en_lettre"
        )
        if extra_value(extras, "dpe_conso_en") is not None:
            forms["values"] += 1
        elif letter:
            forms["letters only"] += 1
        else:
            forms["none"] += 1
        if letter in ("F", "G"):
            forms["F/G"] += 1
    assert min(forms[k] for k in ("values", "letters only", "none", "F/G")) >= 5
