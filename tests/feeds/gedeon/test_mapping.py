from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from showcase.feeds.gedeon.mapping import map_ad, map_agency
from showcase.feeds.records import RecordRejected
from showcase.listings.text import city_key, department_from_zip
from tests.feeds.gedeon.payloads import ad, load


def test_maps_every_documented_field_of_a_full_ad():
    record = map_ad(load("ad_full.json"))
    f = record.columns()
    assert record.upstream_id == "4815162"
    assert f["transaction"] == "sell"
    assert f["property_type"] == "house"
    assert f["property_subtype"] == "Maison de ville"
    assert f["price"] == 385000
    assert f["surface"] == 120.0
    assert f["rooms"] == 5
    assert f["bedrooms"] == 3
    assert f["bathrooms"] == 2
    assert f["land_surface"] == 350.0
    assert f["city"] == "Saint-Étienne"
    assert f["city_key"] == "saint etienne"
    assert f["department"] == "42"
    assert (f["latitude"], f["longitude"], f["accuracy"]) == (45.4397, 4.3872, 10.0)
    assert f["dpe_value"] == 212 and f["dpe_letter"] == "D"
    assert f["ges_value"] == 35 and f["ges_letter"] == "D"
    assert f["dpe_date"] == date(2023, 3, 14)
    assert (f["energy_cost_min"], f["energy_cost_max"]) == (1380, 1920)
    assert f["energy_cost_reference"].startswith("Prix moyens")
    assert f["upstream_favorite"] is True
    assert f["fees_percent"] == Decimal("5.00")
    assert f["price_excluding_fees"] == 366667
    assert f["fees_paid_by"] == "acquéreur"
    assert f["texts"] == {"en": {"description": "Lovely town house with a garden."}}
    assert f["price_info"]["price"]["euros+"] == "385 000 € honoraires inclus"
    assert f["published_at"] == datetime.fromtimestamp(1718000000, tz=UTC)
    assert f["photo_count"] == 2
    assert [p.description for p in record.photos] == ["", "Jardin"]
    assert record.agency_upstream_id == "AG42"
    assert record.agency.name == "Agence du Parc"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("S", "sell"),
        ("R", "rent"),
        ("H", "holidays"),
        ("L", "viager"),
        ("P", "program"),
        ("O", "sold"),
    ],
)
def test_maps_each_transaction_code(code, expected):
    assert map_ad(ad(1, transaction_code=code)).transaction == expected


def test_falls_back_to_the_transaction_type_words():
    record = map_ad(ad(1, transaction_code=None, transaction_type="Location de Vacances"))
    assert record.transaction == "holidays"


@pytest.mark.parametrize(
    ("zip_code", "department"),
    [
        ("20000", "2A"),
        ("20167", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("97400", "974"),
        ("98800", "988"),
        ("75011", "75"),
        ("0600", ""),
        ("ABCDE", ""),
    ],
)
def test_department_from_zip_handles_corsica_and_overseas(zip_code, department):
    assert department_from_zip(zip_code) == department


def test_city_key_ignores_case_accents_hyphens_and_apostrophes():
    assert city_key("Saint-Étienne") == city_key("saint etienne") == "saint etienne"
    assert city_key("L'Isle-d'Abeau") == "l isle d abeau"


def test_reads_strings_where_numbers_are_expected():
    record = map_ad(ad(1, price="250 000", surface="65,5", nb_rooms="3.0"))
    assert (record.price, record.surface, record.rooms) == (
        250000,
        65.5,
        3,
    )


def test_rejects_an_ad_without_id_or_with_unknown_transaction():
    with pytest.raises(RecordRejected, match="no id"):
        map_ad(ad(1, id=None))
    with pytest.raises(RecordRejected, match="unknown transaction"):
        map_ad(ad(2, transaction_code="Z", transaction_type="Troc"))
    with pytest.raises(RecordRejected):
        map_ad(["not", "an", "object"])


@pytest.mark.parametrize("price", ["sur demande", "250 000 €", -5, "12.5.3"])
def test_an_unreadable_price_keeps_the_ad_as_price_on_request_with_a_warning(price):
    record = map_ad(ad(3, price=price))
    assert record.columns()["price"] is None
    assert {"field": "price", "value": str(price), "reason": "not a positive whole number"} in [
        dict(w) for w in record.warnings
    ]


def test_a_bad_dpe_letter_is_dropped_with_a_warning_not_a_rejection():
    payload = ad(1)
    payload["extras"]["dpe_conso_en_lettre"]["value"] = "Z"
    record = map_ad(payload)
    assert record.dpe_letter == ""
    assert any(w["field"] == "dpe_conso_lettre" for w in record.warnings)


def test_accepts_the_documented_dpe_letter_key_too():
    payload = ad(1)
    del payload["extras"]["dpe_conso_en_lettre"]
    payload["extras"]["dpe_conso_lettre"] = {"value": "b", "display": False}
    assert map_ad(payload).dpe_letter == "B"


def test_missing_blocks_give_empty_values():
    record = map_ad({"id": 9, "transaction_code": "R"})
    assert record.city == "" and record.price is None
    assert record.photos == () and record.agency is None


def test_maps_an_agency_with_its_legal_block():
    record = map_agency(
        {
            "id": "AG42",
            "name": "Agence du Parc",
            "localization": {"city": "Lyon", "zip_code": "69003", "lat": 45.7, "lng": 4.8},
            "contact": {"emails": ["a@b.example"], "phone": "0400000000"},
            "opening_hours": "Mo 08:00-12:00;Tu 08:00-12:00",
            "legal": {"raison_sociale": "Parc SAS", "rcs": "RCS Lyon 123 456 789"},
        }
    )
    assert record.emails == ["a@b.example"]
    assert record.legal["rcs"] == "RCS Lyon 123 456 789"
    assert record.slug == "agence-du-parc"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\\/Date(1718000000000)\\/", datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)),
        ("/Date(1718000000000+0200)/", datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)),
        ("2024-06-10T08:13:20+02:00", datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)),
        ("2024-06-10 06:13:20", datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)),
        ("2024-06-10", datetime(2024, 6, 10, tzinfo=UTC)),
        (1718000000, datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)),
        ("not a date", None),
        ("2024-13-45", None),
        ({"date": 1}, None),
    ],
)
def test_reads_every_date_form_and_drops_the_rest(raw, expected):
    record = map_ad(ad(1, stats={"created": raw, "updated": raw}))
    assert record.published_at == expected
    assert record.upstream_updated_at == expected


def test_reads_french_and_iso_dpe_dates():
    assert map_ad(ad(1, extras={"dpe_date": {"value": "02/05/2024"}})).dpe_date == date(2024, 5, 2)
    assert map_ad(ad(1, extras={"dpe_date": "2024-05-02"})).dpe_date == date(2024, 5, 2)
    assert map_ad(ad(1, extras={"dpe_date": "31/02/2024"})).dpe_date is None


def test_a_price_of_zero_is_price_on_request_not_zero_euros():
    f = map_ad(load("ad_price_on_request.json")).columns()
    assert f["price"] is None
    assert map_ad(ad(1, price=None)).columns()["price"] is None
    assert map_ad(ad(2, price="0")).columns()["price"] is None


def test_a_sold_ad_without_price_is_stored_sold_with_no_amount():
    f = map_ad(load("ad_sold_without_price.json")).columns()
    assert (f["transaction"], f["price"]) == ("sold", None)


@pytest.mark.parametrize(
    ("category", "name", "expected"),
    [
        ("Maison", "MAISON", ""),
        ("Appartement", "appartement", ""),
        ("Local Industriel", "Local industriel", ""),
        ("Bureau", "Bureau ", ""),
        ("Maison", "Maison de ville", "Maison de ville"),
    ],
)
def test_a_subtype_that_repeats_the_category_is_not_kept(category, name, expected):
    record = map_ad(ad(1, type={"category": category, "name": name}))
    assert record.columns()["property_subtype"] == expected
    assert map_ad(load("ad_type_repeated.json")).columns()["property_subtype"] == ""


def test_coordinates_0_0_are_no_position():
    f = map_ad(load("ad_zero_position.json")).columns()
    assert (f["latitude"], f["longitude"], f["accuracy"]) == (None, None, None)


@pytest.mark.parametrize(
    ("lat", "lng"), [(0, 0), ("0", "0"), (95, 4.3), (45.4, -200), ("nan", 4.3), (None, 4.3)]
)
def test_implausible_coordinates_are_dropped_together(lat, lng):
    place = {"city": "Saint-Étienne", "zip_code": "42000", "lat": lat, "lng": lng, "acc": 10}
    f = map_ad(ad(1, localization=place)).columns()
    assert (f["latitude"], f["longitude"]) == (None, None)


def test_an_agency_at_0_0_has_no_position():
    record = map_agency({"id": "AG1", "name": "Agence", "localization": {"lat": 0, "lng": 0}})
    assert (record.latitude, record.longitude) == (None, None)


def test_surfaces_keep_their_decimals_and_half_rooms_count_as_whole_rooms_only():
    record = map_ad(load("ad_precise_numbers.json"))
    f = record.columns()
    assert f["surface"] == 74.35
    assert f["land_surface"] == 52.12
    assert f["rooms"] == 3  # "3,5": the half room is not a room
    assert f["rooms_details"]["chambre 1"] == {"surface": 14.05, "position": 1}
    assert map_ad(ad(1, nb_rooms="2.5")).columns()["rooms"] == 2
    assert map_ad(ad(1, nb_rooms=2.5)).columns()["rooms"] == 2


def test_a_dpe_without_date_keeps_its_values_and_letters():
    f = map_ad(load("ad_dpe_without_date.json")).columns()
    assert (f["dpe_value"], f["dpe_letter"], f["ges_value"], f["ges_letter"]) == (245, "E", 52, "E")
    assert f["dpe_date"] is None


def test_http_photo_urls_are_stored_over_https():
    record = map_ad(load("ad_http_photos.json"))
    assert [p.url for p in record.photos] == [
        "https://photos.gedeon-old.example/5120007/1/large/1600000000",
        "https://media.studio-net.fr/biens/5120007/2.jpg",
    ]
    logo = {"id": "AG1", "name": "Agence", "logo": "http://img.example/logo.png"}
    assert map_agency(logo).logo_url == "https://img.example/logo.png"
