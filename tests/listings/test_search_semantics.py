"""Issue #19 through the real search page: what a home seeker types means what the
Gedeon criteria mean."""

from __future__ import annotations

import json
import math
import re

import pytest
from django.core.cache import caches
from django.utils import timezone

from showcase.feeds.apimo.catalogs import Catalogs
from showcase.feeds.apimo.mapping import map_property
from tests.factories import make_feed, make_listing
from tests.feeds.apimo.payloads import prop

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ids(response) -> list[str]:
    for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    ):
        data = json.loads(block)
        if data.get("@type") == "ItemList":
            return [item["item"]["identifier"] for item in data["itemListElement"]]
    raise AssertionError("no ItemList JSON-LD")


@pytest.fixture
def feed():
    caches["lookups"].clear()  # place extents are cached per place
    return make_feed()


@pytest.fixture
def lille_houses(feed):
    for upstream_id, price in (("cheap", 350000), ("mid", 400000), ("dear", 590420)):
        make_listing(
            feed=feed,
            upstream_id=upstream_id,
            property_type="house",
            city="Lille",
            city_key="lille",
            zip_code="59000",
            department="59",
            price=price,
            surface=80.5 if upstream_id == "mid" else 120.0,
        )


@pytest.mark.parametrize(
    "typed", ["400 000", "400\u00a0000", "400\u202f000", "400000€", "400 000 €"]
)
def test_a_price_typed_the_french_way_bounds_the_search(client, lille_houses, typed):
    response = client.get(
        "/annonces/",
        {"transaction": "sell", "type": "house", "localization": "Lille", "max_price": typed},
    )
    assert response.status_code == 302
    assert "max_price=400000" in response["Location"]
    page = client.get(response["Location"])
    assert sorted(ids(page)) == ["cheap", "mid"]
    assert 'value="400\u00a0000"' in page.content.decode()  # shown back the French way


@pytest.mark.parametrize("typed", ["400.000", "400.000 €"])
def test_a_price_with_points_between_thousands_is_not_read_as_a_small_price(
    client, lille_houses, typed
):
    response = client.get("/annonces/", {"max_price": typed})
    assert response.status_code == 302
    assert "max_price=400000" in response["Location"]
    assert sorted(ids(client.get(response["Location"]))) == ["cheap", "mid"]


def test_a_surface_with_its_unit_or_a_decimal_comma_is_read(client, lille_houses):
    page = client.get("/annonces/", {"min_surface": "80,5 m²", "max_surface": "100"}, follow=True)
    assert ids(page) == ["mid"]
    assert page.redirect_chain[0][0].endswith("min_surface=80.5&max_surface=100")
    assert 'value="80,5"' in page.content.decode()


@pytest.mark.parametrize("typed", ["²", "12 5", "400.000,5", "cinq"])
def test_anything_else_is_explained_and_never_a_server_error(client, lille_houses, typed):
    response = client.get("/annonces/", {"max_price": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["max_price"]
    assert sorted(ids(response)) == ["cheap", "dear", "mid"]


def test_extends_is_a_distance_not_a_square(client, feed):
    # The centre is Nice's listing; 23 km around it.
    make_listing(
        feed=feed,
        upstream_id="nice",
        city="Nice",
        city_key="nice",
        zip_code="06000",
        department="06",
        latitude=43.70,
        longitude=7.27,
    )
    metres_per_degree_lat = 111_195
    offset = 20_000 / metres_per_degree_lat  # 20 km north and 20 km east: 28 km away
    east = 20_000 / (metres_per_degree_lat * math.cos(math.radians(43.70)))
    make_listing(
        feed=feed,
        upstream_id="corner",
        city="Coin",
        city_key="coin",
        zip_code="06500",
        department="06",
        latitude=43.70 + offset,
        longitude=7.27 + east,
    )
    make_listing(
        feed=feed,
        upstream_id="near",
        city="Pres",
        city_key="pres",
        zip_code="06200",
        department="06",
        latitude=43.70 + offset,
        longitude=7.27,
    )
    response = client.get("/annonces/", {"localization": "Nice", "extends": "23000"})
    assert sorted(ids(response)) == ["near", "nice"]
    response = client.get("/annonces/", {"localization": "Nice", "extends": "29000"})
    assert sorted(ids(response)) == ["corner", "near", "nice"]


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        ("St-Malo", "Saint-Malo"),
        ("Saint-Tropez", "St-Tropez"),
        ("ste maxime", "Sainte-Maxime"),
        ("l isle sur la sorgue", "L'Isle-sur-la-Sorgue"),
        ("Oeuf-en-Ternois", "Œuf-en-Ternois"),
        ("œuf en ternois", "Oeuf-en-Ternois"),
        ("Paris XVIe", "Paris 16e Arrondissement"),
    ],
)
def test_places_are_found_as_people_write_them(client, feed, typed, city):
    from showcase.listings.text import city_key

    make_listing(feed=feed, upstream_id="it", city=city, city_key=city_key(city), zip_code="35400")
    assert ids(client.get("/annonces/", {"localization": typed})) == ["it"]


def test_paris_and_lyon_find_every_arrondissement(client, feed):
    make_listing(
        feed=feed,
        upstream_id="p15",
        city="Paris 15e Arrondissement",
        city_key="paris 15",
        zip_code="75015",
        department="75",
    )
    make_listing(
        feed=feed,
        upstream_id="p16",
        city="PARIS",
        city_key="paris",
        zip_code="75116",
        department="75",
    )
    make_listing(
        feed=feed,
        upstream_id="l3",
        city="Lyon 3e",
        city_key="lyon 3",
        zip_code="69003",
        department="69",
    )
    assert sorted(ids(client.get("/annonces/", {"localization": "Paris"}))) == ["p15", "p16"]
    assert ids(client.get("/annonces/", {"localization": "Lyon"})) == ["l3"]
    assert ids(client.get("/annonces/", {"localization": "paris 15e"})) == ["p15"]
    assert ids(client.get("/annonces/", {"localization": "Paris 16e"})) == ["p16"]
    assert sorted(ids(client.get("/annonces/", {"localization": "75000"}))) == ["p15", "p16"]


def test_zip_codes_match_french_listings_only(client, feed):
    make_listing(
        feed=feed,
        upstream_id="nantes",
        city="Nantes",
        city_key="nantes",
        zip_code="44000",
        department="44",
    )
    make_listing(
        feed=feed,
        upstream_id="abroad",
        city="Tanger",
        city_key="tanger",
        zip_code="44000",
        department="",
        country="MA",
    )
    assert ids(client.get("/annonces/", {"localization": "44000"})) == ["nantes"]
    assert ids(client.get("/annonces/", {"localization": "44"})) == ["nantes"]


def test_favourite_zero_is_no_criterion(client, feed):
    make_listing(feed=feed, upstream_id="fav", upstream_favorite=True)
    make_listing(feed=feed, upstream_id="pick", featured=True)
    make_listing(feed=feed, upstream_id="plain")
    everything = ["fav", "pick", "plain"]
    for zero in ("0", "false", "no", "off"):
        assert sorted(ids(client.get("/annonces/", {"favorite": zero}))) == everything
        assert sorted(ids(client.get("/annonces/", {"is_new": zero}))) == everything
        assert sorted(ids(client.get("/annonces/", {"is_old": zero}))) == everything
    for one in ("1", "TRUE", "yes", "on"):
        assert sorted(ids(client.get("/annonces/", {"favorite": one}))) == ["fav", "pick"]


def test_the_favourites_count_is_every_favourite_once(client, feed):
    # Counted in two halves (the agency's favourites, the site's other picks): a listing
    # both favourite and picked counts once, a hidden or withdrawn one not at all.
    make_listing(feed=feed, upstream_id="fav", upstream_favorite=True)
    make_listing(feed=feed, upstream_id="both", upstream_favorite=True, featured=True)
    make_listing(feed=feed, upstream_id="pick", featured=True)
    make_listing(feed=feed, upstream_id="hidden-fav", upstream_favorite=True, hidden=True)
    make_listing(feed=feed, upstream_id="hidden-pick", featured=True, hidden=True)
    make_listing(feed=feed, upstream_id="gone-fav", upstream_favorite=True, withdrawn_at=NOW)
    make_listing(feed=feed, upstream_id="sold-fav", upstream_favorite=True, transaction="sold")
    make_listing(feed=feed, upstream_id="new-pick", featured=True, is_new=True)
    make_listing(feed=feed, upstream_id="plain")
    response = client.get("/annonces/", {"favorite": "1"})
    assert sorted(ids(response)) == ["both", "fav", "new-pick", "pick"]
    assert response.context["total"] == 4
    response = client.get("/annonces/", {"favorite": "1", "is_old": "1"})
    assert sorted(ids(response)) == ["both", "fav", "pick"]
    assert response.context["total"] == 3


def test_viager_zero_means_not_marked(client, feed):
    v = {"feed": feed, "transaction": "viager"}
    make_listing(upstream_id="unknown", occupied=None, forward_sale=None, **v)
    make_listing(upstream_id="yes", occupied=True, forward_sale=True, **v)
    make_listing(upstream_id="no", occupied=False, forward_sale=False, **v)
    for name in ("occupied", "forward_sale"):
        assert sorted(ids(client.get("/annonces/", {name: "off"}))) == ["no", "unknown"]
        assert ids(client.get("/annonces/", {name: "true"})) == ["yes"]
    response = client.get("/annonces/", {"occupied": "peut-être"})
    assert response.status_code == 200 and response.context["form"].errors["occupied"]


def test_new_build_apimo_properties_are_new(client, feed):
    record = map_property(prop(condition=8), catalogs=Catalogs(), agency_id="182")
    assert record.columns()["is_new"] is True
    fields = record.columns()
    make_listing(feed=feed, upstream_id="neuf", is_new=fields["is_new"], transaction="sell")
    make_listing(feed=feed, upstream_id="ancien", is_new=False)
    assert ids(client.get("/annonces/", {"is_new": "1"})) == ["neuf"]
    assert ids(client.get("/annonces/", {"is_old": "1"})) == ["ancien"]
    good_state = map_property(prop(condition=3), catalogs=Catalogs(), agency_id="182")
    assert good_state.columns()["is_new"] is False


@pytest.mark.parametrize(
    ("sort", "order"),
    [("price_asc", ["a", "b", "c", "x", "y"]), ("price_desc", ["c", "b", "a", "y", "x"])],
)
def test_price_on_request_comes_last_in_both_price_sorts(client, feed, sort, order):
    for upstream_id, price in (("b", 200), ("a", 100), ("x", None), ("c", 300), ("y", None)):
        make_listing(feed=feed, upstream_id=upstream_id, price=price, price_hidden=price is None)
    assert ids(client.get("/annonces/", {"sort": sort})) == order


@pytest.mark.parametrize(
    "sort", ["newest", "price_asc", "price_desc", "surface_asc", "surface_desc"]
)
def test_every_sort_breaks_ties_by_id_so_pages_never_overlap(client, feed, sort):
    for n in range(5):
        make_listing(feed=feed, upstream_id=f"t{n}", price=100, surface=50.0, published_at=None)
    first = ids(client.get("/annonces/", {"sort": sort, "limit": "2"}))
    second = ids(client.get("/annonces/", {"sort": sort, "limit": "2", "page": "2"}))
    third = ids(client.get("/annonces/", {"sort": sort, "limit": "2", "page": "3"}))
    assert sorted(first + second + third) == [f"t{n}" for n in range(5)]


def test_the_place_field_suggests_the_catalogue_towns(client, feed):
    for n in range(3):
        make_listing(
            feed=feed,
            upstream_id=f"m{n}",
            city="Saint-Malo",
            city_key="saint malo",
            zip_code="35400",
        )
    make_listing(
        feed=feed, upstream_id="d", city="Saint-Denis", city_key="saint denis", zip_code="93200"
    )
    make_listing(
        feed=feed,
        upstream_id="sold",
        city="Saint-Brieuc",
        city_key="saint brieuc",
        zip_code="22000",
        transaction="sold",
    )
    response = client.get("/annonces/lieux.json", {"q": "St-"})
    assert response.json()["places"] == [
        {"name": "Saint-Malo", "zip_code": "35400", "count": 3},
        {"name": "Saint-Denis", "zip_code": "93200", "count": 1},
    ]
    assert client.get("/annonces/lieux.json", {"q": "s"}).json()["places"] == []


def test_the_place_field_is_a_plain_text_field_with_a_suggestions_hook(client, feed):
    body = client.get("/annonces/").content.decode()
    field = re.search(r'<input[^>]*name="localization"[^>]*>', body)[0]
    assert 'type="text"' in field and 'data-place-suggestions="/annonces/lieux.json"' in field
    assert "js/place-suggestions.js" in body


def test_a_place_given_its_first_listing_by_a_sync_becomes_a_centre_at_once(
    client, feed, django_capture_on_commit_callbacks
):
    # 5 km east of Dinan: within 10 km of it, not in it.
    make_listing(
        feed=feed,
        upstream_id="near",
        city="Léhon",
        city_key="lehon",
        zip_code="22100",
        latitude=48.45,
        longitude=-1.98,
    )
    params = {"localization": "Dinan", "extends": "10000"}
    assert ids(client.get("/annonces/", params)) == []  # no located listing: no centre yet
    with django_capture_on_commit_callbacks(execute=True):  # as a sync saves it
        make_listing(
            feed=feed,
            upstream_id="dinan",
            city="Dinan",
            city_key="dinan",
            zip_code="22100",
            latitude=48.455,
            longitude=-2.05,
        )
    assert sorted(ids(client.get("/annonces/", params))) == ["dinan", "near"]


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("max_price", "400 000 m²"),
        ("min_surface", "80 €"),
        ("max_surface", "80 euros"),
        ("extends", "3000 €"),
        ("max_days_old", "7 m2"),
    ],
)
def test_a_unit_that_is_not_the_criterions_own_is_explained(client, lille_houses, name, typed):
    response = client.get("/annonces/", {name: typed})
    assert response.status_code == 200  # no redirect to a canonical number
    assert response.context["form"].errors[name]
    assert sorted(ids(response)) == ["cheap", "dear", "mid"]


def test_corsica_is_found_by_20_as_by_2a_and_2b(client, feed):
    make_listing(feed=feed, upstream_id="ajaccio", zip_code="20000", department="2A")
    make_listing(feed=feed, upstream_id="bastia", zip_code="20200", department="2B")
    make_listing(feed=feed, upstream_id="lyon", zip_code="69003", department="69")
    assert sorted(ids(client.get("/annonces/", {"localization": "20"}))) == ["ajaccio", "bastia"]


def test_a_new_build_programme_is_new_even_without_the_new_flag(client, feed):
    # Gedeon's "program" transaction ("Programmes neufs") with its `new` flag unset.
    make_listing(feed=feed, upstream_id="programme", transaction="program", is_new=False)
    make_listing(feed=feed, upstream_id="ancien", transaction="sell", is_new=False)
    assert ids(client.get("/annonces/", {"is_new": "1"})) == ["programme"]
    assert ids(client.get("/annonces/", {"is_old": "1"})) == ["ancien"]


def test_the_largest_value_allowed_is_written_the_french_way(client, lille_houses):
    response = client.get("/annonces/", {"localization": "Lille", "extends": "300 000"})
    assert response.status_code == 200
    assert "200\u00a0000" in str(response.context["form"].errors["extends"])


def test_the_place_field_suggests_towns_by_the_start_of_their_zip_code(client, feed):
    make_listing(
        feed=feed, upstream_id="m", city="Saint-Malo", city_key="saint malo", zip_code="35400"
    )
    make_listing(feed=feed, upstream_id="r", city="Rennes", city_key="rennes", zip_code="35000")
    make_listing(feed=feed, upstream_id="l", city="Lyon", city_key="lyon", zip_code="69003")
    places = client.get("/annonces/lieux.json", {"q": "354"}).json()["places"]
    assert places == [{"name": "Saint-Malo", "zip_code": "35400", "count": 1}]
    places = client.get("/annonces/lieux.json", {"q": "35"}).json()["places"]
    assert [place["name"] for place in places] == ["Rennes", "Saint-Malo"]


def test_a_price_with_a_comma_before_three_digits_is_explained_not_read_as_400(
    client, lille_houses
):
    response = client.get("/annonces/", {"max_price": "400,000"})
    assert response.status_code == 200
    assert response.context["form"].errors["max_price"]
    assert sorted(ids(response)) == ["cheap", "dear", "mid"]


def test_extends_keeps_every_listing_of_the_place_however_far_from_its_centre(client, feed):
    # Marseille's listings spread 20 km; 1 km around its centre still lists all of them,
    # the one without a position and the one with half a position included.
    for upstream_id, latitude, longitude in [
        ("west", 43.30, 5.20),
        ("east", 43.30, 5.60),
        ("nowhere", None, None),
        ("half", 43.30, None),
    ]:
        make_listing(
            feed=feed,
            upstream_id=upstream_id,
            city="Marseille",
            city_key="marseille",
            zip_code="13001",
            department="13",
            latitude=latitude,
            longitude=longitude,
        )
    make_listing(
        feed=feed,
        upstream_id="centre-town",
        city="Allauch",
        city_key="allauch",
        zip_code="13190",
        department="13",
        latitude=43.30,
        longitude=5.40,
    )
    make_listing(
        feed=feed,
        upstream_id="far-town",
        city="Aubagne",
        city_key="aubagne",
        zip_code="13400",
        department="13",
        latitude=43.30,
        longitude=5.57,
    )
    response = client.get("/annonces/", {"localization": "Marseille", "extends": "1000"})
    assert sorted(ids(response)) == ["centre-town", "east", "half", "nowhere", "west"]
    assert response.context["total"] == 5


def test_extends_around_two_places_lists_each_place_and_each_circle(client, feed):
    def town(upstream_id, key, zip_code, latitude, longitude):
        make_listing(
            feed=feed,
            upstream_id=upstream_id,
            city=key.title(),
            city_key=key,
            zip_code=zip_code,
            department=zip_code[:2],
            latitude=latitude,
            longitude=longitude,
        )

    town("lyon", "lyon", "69003", 45.76, 4.84)
    town("near-lyon", "bron", "69500", 45.74, 4.91)
    town("nice", "nice", "06000", 43.70, 7.27)
    town("near-nice", "cagnes sur mer", "06800", 43.66, 7.15)
    town("between", "valence", "26000", 44.93, 4.89)
    response = client.get("/annonces/", {"localization": "Lyon,Nice", "extends": "12000"})
    assert sorted(ids(response)) == ["lyon", "near-lyon", "near-nice", "nice"]


@pytest.mark.parametrize("zero", ["0", "false", "no", "off"])
def test_favourite_zero_is_no_criterion_in_the_summary_either(client, feed, zero):
    make_listing(feed=feed, upstream_id="fav", upstream_favorite=True)
    make_listing(feed=feed, upstream_id="plain")
    response = client.get("/annonces/", {"favorite": zero, "localization": "Lyon"})
    body = response.content.decode()
    assert sorted(ids(response)) == ["fav", "plain"]
    assert "coups de cœur" not in body  # neither "only" nor "not the agency's favourites"


def test_a_withdrawn_listing_does_not_move_the_centre_of_its_place(client, feed):
    from django.utils import timezone

    lille = {"city": "Lille", "city_key": "lille", "zip_code": "59000", "department": "59"}
    make_listing(feed=feed, upstream_id="lille", latitude=50.63, longitude=3.06, **lille)
    # Withdrawn long ago, placed in Marseille by mistake: no visitor sees it any more.
    make_listing(
        feed=feed,
        upstream_id="gone",
        latitude=43.30,
        longitude=5.40,
        withdrawn_at=timezone.now(),
        **lille,
    )
    make_listing(
        feed=feed,
        upstream_id="lambersart",  # 2.4 km from the Lille listing
        city="Lambersart",
        city_key="lambersart",
        zip_code="59130",
        department="59",
        latitude=50.65,
        longitude=3.03,
    )
    found = ids(client.get("/annonces/", {"localization": "Lille", "extends": "5000"}))
    assert sorted(found) == ["lambersart", "lille"]


def test_undated_listings_come_last_in_the_newest_sort(client, feed):
    # PostgreSQL's descending order puts NULLs first, SQLite's last: "newest first" put
    # every listing without a publication date at the top of the page on PostgreSQL.
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_listing(feed=feed, upstream_id="old", published_at=now - timedelta(days=3))
    make_listing(feed=feed, upstream_id="undated-1", published_at=None)
    make_listing(feed=feed, upstream_id="new", published_at=now)
    make_listing(feed=feed, upstream_id="undated-2", published_at=None)
    expected = ["new", "old"]
    for query in ({}, {"sort": "newest"}):
        found = ids(client.get("/annonces/", query))
        assert found[:2] == expected and sorted(found[2:]) == ["undated-1", "undated-2"]


@pytest.mark.parametrize("typed", ["\x00", "Lyon\x00", "Lyon,\x00Paris"])
@pytest.mark.parametrize(
    "url", ["/annonces/", "/annonces/carte.json", "/alertes/nouvelle/", "/annonces/lieux.json"]
)
def test_a_null_character_in_a_place_is_explained_not_a_server_error(client, feed, url, typed):
    # PostgreSQL refuses NUL in text: the query failed with a 500 there (SQLite found nothing).
    make_listing(feed=feed, upstream_id="lyon")
    response = client.get(url, {"localization": typed, "q": typed, "extends": "3000"})
    assert response.status_code == 200
    if url == "/annonces/":
        assert response.context["form"].errors["localization"]


@pytest.mark.parametrize(
    ("metres", "said"), [("1", "0,001"), ("40", "0,04"), ("1250", "1,25"), ("23000", "23")]
)
def test_the_summary_says_the_distance_searched(client, feed, metres, said):
    make_listing(feed=feed, upstream_id="lyon")
    body = client.get("/annonces/", {"localization": "Lyon", "extends": metres}).content.decode()
    assert f"Lyon et {said}\u00a0km autour" in body.replace(" km", "\u00a0km")


@pytest.mark.parametrize(
    ("typed", "metres"),
    [("60 km", "60000"), ("10,5 km", "10500"), ("2.5 KM", "2500"), ("5 000 m", "5000")],
)
def test_a_distance_typed_in_kilometres_or_metres_is_read_in_metres(client, feed, typed, metres):
    response = client.get("/annonces/", {"localization": "Lyon", "extends": typed}, follow=True)
    assert response.redirect_chain[0][0].endswith(f"extends={metres}")
    assert not response.context["form"].errors


@pytest.mark.parametrize("typed", ["300 km", "abc km", "-5 km", "99999999999999999999 km"])
def test_a_distance_in_kilometres_too_far_or_not_a_number_is_explained(client, feed, typed):
    response = client.get("/annonces/", {"localization": "Lyon", "extends": typed})
    assert response.status_code == 200
    assert typed in response.context["form"].errors["extends"][0]


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("min_surface", "-5"),
        ("max_price", "-200 000 €"),
        ("min_price", "\u22125000"),  # the minus sign
        ("extends", "\u20133000"),  # an en dash
        ("min_surface", "-99999999999999999999"),
    ],
)
def test_a_negative_number_is_explained_as_below_zero(client, lille_houses, name, typed):
    response = client.get("/annonces/", {name: typed})
    assert response.status_code == 200
    error = response.context["form"].errors[name][0]
    assert error == f"« {typed} » est inférieur à 0 : indiquez 0 ou plus."
    # The bound is left out: every house is listed.
    assert len(ids(response)) == 3


@pytest.mark.parametrize("typed", ["-abc", "-", "--5"])
def test_a_minus_before_something_else_is_still_not_a_number(client, feed, typed):
    response = client.get("/annonces/", {"min_surface": typed})
    assert "inférieur à 0" not in response.context["form"].errors["min_surface"][0]
