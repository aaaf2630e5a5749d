from __future__ import annotations

import collections
import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from PIL import Image

from showcase.core import dpe
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.gedeon_data import generate_ads
from showcase.feeds.gedeon.mapping import extra_value
from showcase.listings.models import Listing, Photo
from showcase.listings.text import department_from_zip


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_the_demo_covers_every_transaction_type_and_at_least_15_cities():
    ads = list(generate_ads(320))
    assert len({a["transaction_code"] for a in ads}) == 6
    assert {a["type"]["category"] for a in ads} == {
        "Maison",
        "Appartement",
        "Garage",
        "Terrain",
        "Local Industriel",
        "Bureau",
        "Commerce",
        "Autre",
    }
    assert len({a["localization"]["city"] for a in ads}) >= 15
    departments = {department_from_zip(a["localization"]["zip_code"]) for a in ads}
    assert {"2A", "2B", "974"} <= departments
    counts = collections.Counter(len(a["photos"]) for a in ads)
    assert min(counts) == 0 and max(counts) == 15


def test_dpe_letters_agree_with_the_values_when_both_are_given():
    checked = 0
    for ad in generate_ads(500):
        extras = ad["extras"]
        conso, ges = extra_value(extras, "dpe_conso_en"), extra_value(extras, "dpe_ges")
        if conso is None:
            continue
        letter = extra_value(extras, "dpe_conso_lettre") or extra_value(
            extras, "dpe_conso_en_lettre"
        )
        expected = dpe.label_letter(conso, ges)
        assert letter == expected
        assert extra_value(extras, "dpe_ges_lettre") == dpe.letter_for(ges, dpe.CLIMATE_THRESHOLDS)
        checked += 1
    assert checked > 200


def test_the_generator_is_deterministic_for_a_seed():
    assert list(generate_ads(20, seed=3)) == list(generate_ads(20, seed=3))
    assert list(generate_ads(20, seed=3)) != list(generate_ads(20, seed=4))


def test_the_fake_server_pages_checks_the_key_and_leaves_sold_out_by_default():
    with FakeGedeon(count=250, key="k") as fake:
        status, _, body = get(
            f"{fake.url}/ads?key=k&limit=500&offset=0&transaction="
            "sell,rent,holidays,viager,program,sold&priceInfo=html"
        )
        page = json.loads(body)
        assert status == 200 and page["nb_results"] == 100 and page["total_results"] == 250
        assert "priceInfo" in page["results"][0]
        status, _, body = get(f"{fake.url}/ads?key=k")
        default = json.loads(body)
        assert default["total_results"] < 250
        assert all(ad["transaction_code"] != "O" for ad in default["results"])
        assert "priceInfo" not in default["results"][0]
        status, _, body = get(f"{fake.url}/ads?key=wrong")
        assert status == 403 and json.loads(body)["error"]["message"]


def test_the_fake_server_serves_each_photo_size_as_a_real_jpeg():
    with FakeGedeon(count=5) as fake:
        for word, box in (("thumb", (50, 50)), ("large2", (640, 480)), ("large3", (800, 600))):
            status, headers, body = get(f"{fake.url}/photos/100001/1/{word}/1700000000.jpg")
            assert status == 200 and headers["Content-Type"] == "image/jpeg"
            image = Image.open(io.BytesIO(body))
            assert image.format == "JPEG"
            assert image.width <= box[0] and image.height <= box[1]


def test_the_fake_server_injects_faults():
    with FakeGedeon(count=150, key="k", fail_offsets={100}, extra_total=3) as fake:
        status, _, body = get(
            f"{fake.url}/ads?key=k&transaction=sell,rent,holidays,viager,program,sold&offset=0"
        )
        assert json.loads(body)["total_results"] == 153
        status, _, _ = get(f"{fake.url}/ads?key=k&offset=100")
        assert status == 500


@pytest.mark.django_db
def test_the_demo_command_syncs_through_the_real_client_over_http(settings):
    out = io.StringIO()
    call_command(
        "demo",
        "--no-serve",
        "--count",
        "60",
        "--upstream-port",
        "0",
        "--apimo-count",
        "20",
        "--apimo-port",
        "0",
        "--embed-port",
        "0",
        stdout=out,
    )
    assert "60 created" in out.getvalue() and "20 created" in out.getvalue()
    assert "password:" in out.getvalue()
    # A mixed site: both feeds' listings in one catalogue.
    assert Listing.objects.filter(feed__kind="gedeon").count() == 60
    assert Listing.objects.filter(feed__kind="apimo").count() == 20
    assert Photo.objects.filter(url__contains="/large/").exists()
    assert Photo.objects.filter(url__contains="/pictures/estate/").exists()


def test_the_fake_server_can_keep_pages_for_benchmarks_without_changing_them():
    with FakeGedeon(count=150, key="k", cache_pages=True) as fake:
        query = "key=k&limit=100&offset=100&transaction=sell,rent,holidays,viager,program,sold"
        first = get(f"{fake.url}/ads?{query}")[2]
        assert list(fake.page_cache) == [query]
        assert get(f"{fake.url}/ads?{query}")[2] == first
        assert json.loads(first)["nb_results"] == 50
        assert get(f"{fake.url}/ads?key=wrong")[0] == 403
        assert get(f"{fake.url}/ads?key=k&limit=x")[0] == 400
        assert len(fake.page_cache) == 1


def test_the_readmes_other_ports_example_runs_beside_a_default_demo():
    import re
    import shlex
    from pathlib import Path

    from showcase.demo.management.commands.demo import Command

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = re.search(r'make demo DEMO_ARGS="([^"]+)"', readme).group(1)
    parser = Command().create_parser("manage.py", "demo")
    given = parser.parse_args(shlex.split(example))
    defaults = parser.parse_args([])

    def ports(options) -> list[int]:
        return [
            int(options.addr.rsplit(":", 1)[1]),
            options.upstream_port,
            options.apimo_port,
            options.embed_port,
        ]

    # Every port moved (the embedding page's 8767 was the example's upstream port), none twice.
    assert len(set(ports(given))) == 4
    assert not set(ports(given)) & set(ports(defaults))
