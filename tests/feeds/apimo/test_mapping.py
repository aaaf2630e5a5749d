from __future__ import annotations

from decimal import Decimal

import pytest

from showcase.feeds.apimo.catalogs import Catalogs
from showcase.feeds.apimo.mapping import map_agency, map_property
from showcase.feeds.records import RecordRejected
from tests.feeds.apimo.payloads import AGENCY, private_prop, prop

CATALOGS = Catalogs()


def mapped(item, catalogs=CATALOGS):
    return map_property(item, catalogs=catalogs, agency_id="182")


def test_the_spec_example_maps_onto_our_fields():
    record = mapped(prop())
    f = record.columns()
    assert record.upstream_id == "181297" and record.public
    # Subtype 5 is "Appartement", as the type says: not repeated.
    assert (f["transaction"], f["property_type"], f["property_subtype"]) == ("rent", "flat", "")
    assert (f["title"], f["city"], f["zip_code"], f["department"]) == (
        "2P CENTRE NICE",
        "Nice",
        "06100",
        "06",
    )
    assert (f["rooms"], f["bedrooms"], f["surface"], f["floor"]) == (2, 1, 52.12, 3)
    assert (f["price"], f["charges"], f["deposit"]) == (750, 70, 750)
    assert (f["reference"], f["mandate"], f["mandate_type"]) == ("24367", "1158", "simple")
    assert f["extras"]["district"]["value"] == "Gambetta"
    assert [p.width for p in record.photos] == [1920, 1920, 1920]
    assert record.agency_upstream_id == "182"


def test_unknown_codes_are_warnings_and_the_property_still_imports():
    record = mapped(prop(subtype=999, condition=77, type=42, step=9))
    codes = {(w["catalog"], w["code"]) for w in record.warnings}
    assert {("property_subtype", 999), ("property_condition", 77), ("property_type", 42)} <= codes
    assert ("property_step", 9) in codes
    # Neutral values: type "other", no subtype label, no condition; an unknown step is shown.
    assert record.property_type == "other"
    assert record.property_subtype == ""
    assert "condition" not in record.extras
    assert record.public
    # The spec example's regulation types 4 (ERP) and 7 (gas) are known but not energy ones.
    assert ("property_regulation", 4) not in codes and record.dpe_value is None


def test_missing_blocks_give_empty_values_not_errors():
    record = mapped({"id": 5, "category": 1})
    f = record.columns()
    assert f["transaction"] == "sell" and f["price"] is None and f["title"] == ""
    assert f["city"] == "" and f["latitude"] is None and f["rooms_details"] == {}
    assert f["medias"] == [] and f["contact"] == {} and record.photos == ()


def test_strings_where_numbers_are_expected():
    record = mapped(
        prop(rooms="2.0", bedrooms="1", area={"unit": "1", "value": "52,5"}, price={"value": "750"})
    )
    assert (record.rooms, record.bedrooms) == (2, 1)
    assert record.surface == 52.5 and record.price == 750
    assert mapped(prop(rooms="deux")).rooms is None


def test_an_empty_comments_array_leaves_the_title_to_the_type_and_city():
    record = mapped(prop(comments=[]))
    assert record.title == "" and record.texts == {}


def test_comments_are_texts_per_language_with_french_as_the_main_text():
    f = mapped(private_prop()).columns()
    assert f["title"] == "Maison avec jardin à Cimiez"
    assert f["description"].startswith("Belle maison familiale, cinq pièces")
    assert f["texts"]["en"] == {
        "title": "House with garden in Cimiez",
        "description": "A lovely family house.",
    }
    assert f["texts"]["fr"]["subtitle"] == "Calme absolu" and f["texts"]["fr"]["hook"] == "Rare"


def test_without_french_the_first_language_is_the_main_text():
    comments = [{"language": "de", "title": "Haus", "comment": "Schön"}]
    assert mapped(prop(comments=comments)).title == "Haus"


def test_publish_address_false_never_stores_the_street_and_blurs_exact_coordinates():
    f = mapped(private_prop()).columns()
    assert f["address"] == "" and f["address_public"] is False
    assert (f["latitude"], f["longitude"], f["accuracy"]) == (43.72, 7.27, 1000.0)


def test_a_radius_is_the_accuracy_of_coordinates_apimo_already_moved():
    f = mapped(prop(radius=300, publish_address=False)).columns()
    assert (f["latitude"], f["longitude"], f["accuracy"]) == (43.69821, 7.25315, 300)


def test_a_published_address_is_kept_with_exact_coordinates():
    f = mapped(prop(address="3 rue Cassini", address_more="2e étage", publish_address=1)).columns()
    assert f["address"] == "3 rue Cassini, 2e étage" and f["address_public"] is True
    assert f["accuracy"] is None and f["latitude"] == 43.69821


@pytest.mark.parametrize(
    ("step", "status", "public"),
    [
        (1, 1, True),
        (1, 22, True),
        (1, None, True),
        (2, 1, False),
        (3, 1, False),
        (4, 1, False),
        (1, 21, False),
        (1, 33, False),
        (1, 35, False),
    ],
)
def test_step_and_status_decide_whether_the_property_is_public(step, status, public):
    assert mapped(prop(step=step, status=status)).public is public


@pytest.mark.parametrize("status", [30, 31, 32])
def test_sold_or_let_statuses_are_sold_references(status):
    record = mapped(prop(step=3, status=status))
    assert record.transaction == "sold" and record.public
    assert mapped(prop(step=4, status=status)).public is False


@pytest.mark.parametrize(
    ("category", "transaction"),
    [(1, "sell"), (2, "rent"), (3, "holidays"), (4, "program"), (5, "viager"), (6, "sell")],
)
def test_categories_map_onto_transactions(category, transaction):
    assert mapped(prop(category=category)).transaction == transaction


def test_an_unknown_category_is_rejected_unless_its_refreshed_label_tells():
    with pytest.raises(RecordRejected, match="unknown category 12"):
        mapped(prop(category=12))
    refreshed = Catalogs({"property_category": {12: "Location meublée"}})
    assert mapped(prop(category=12), refreshed).transaction == "rent"


def test_refreshed_labels_name_subtypes_and_rooms():
    refreshed = Catalogs(
        {"property_subtype": {5: "Studio"}, "property_areas": {3: "Cuisine", 20: "Séjour"}}
    )
    record = mapped(prop(), refreshed)
    assert record.property_subtype == "Studio"
    assert {"Cuisine", "Séjour"} <= set(record.rooms_details)
    assert ("property_subtype", 5) not in {(w["catalog"], w["code"]) for w in record.warnings}


def test_pictures_follow_rank_with_their_size_and_apimo_id():
    photos = mapped(private_prop()).photos
    assert [p.upstream_id for p in photos] == ["5001", "5002"]
    assert (photos[0].width, photos[0].height) == (1920, 1440)
    assert photos[1].description == "Jardin"


def test_medias_have_the_normalized_shape():
    assert mapped(private_prop()).medias == [
        {"id": "77", "type": 2, "url": "https://youtu.be/JGowo0ARgPo", "html": "", "title": ""},
        {
            "id": "78",
            "type": 9,
            "url": "",
            "html": '<iframe src="https://tour.example/v/1"></iframe>',
            "title": "",
        },
    ]
    bad = [{"type": 2, "value": "javascript:alert(1)"}, "x", {"type": None, "value": None}]
    assert mapped(prop(medias=bad)).medias == []


def test_bedrooms_come_from_bedroom_areas_when_empty():
    f = mapped(private_prop()).columns()
    assert f["bedrooms"] == 3 and f["bathrooms"] == 2
    assert f["rooms_details"]["Chambre"] == {
        "surface": 12.0,
        "desc": "Parquet",
        "nb": 3,
        "position": f["rooms_details"]["Chambre"]["position"],
    }
    assert mapped(prop(bedrooms=2)).bedrooms == 2


def test_regulations_give_dpe_and_ges_values_letters_date_and_keep_the_graph():
    f = mapped(private_prop()).columns()
    assert (f["dpe_value"], f["dpe_letter"], f["ges_value"], f["ges_letter"]) == (
        214.0,
        "D",
        28.5,
        "C",
    )
    assert str(f["dpe_date"]) == "2024-03-12"
    assert f["extras"]["dpe_graph"]["value"].startswith("data:image/svg+xml")
    assert f["extras"]["dpe_graph"]["display"] is False


def test_a_sale_with_buyer_commission_has_both_prices_and_the_percentage():
    f = mapped(private_prop()).columns()
    assert (f["price"], f["price_excluding_fees"], f["fees_paid_by"]) == (
        525000,
        500000,
        "acquéreur",
    )
    assert f["fees_percent"] == Decimal("5.00")
    assert (f["copropriete"], f["copropriete_lots"], f["copropriete_charges"]) == (True, 12, 1800)


def test_a_sale_with_seller_commission_keeps_the_price_as_it_is():
    price = {"value": 300000, "commission_owner": 12000, "currency": "EUR"}
    f = mapped(prop(category=1, price=price)).columns()
    assert (f["price"], f["price_excluding_fees"], f["fees_paid_by"]) == (300000, None, "vendeur")


def test_a_rental_has_charges_deposit_and_tenant_fees_including_the_inventory():
    price = {"value": 900, "fees": 60, "deposit": 840, "commission": 500, "inventory": 150}
    f = mapped(prop(price=price, residence=None)).columns()
    assert (f["price"], f["charges"], f["deposit"]) == (900, 60, 840)
    assert (f["tenant_fees"], f["inventory_fees"]) == (650, 150)


def test_a_holiday_rental_keeps_its_period():
    f = mapped(prop(category=3, price={"value": 1200, "period": 2})).columns()
    assert (f["price"], f["rent_period"]) == (1200, "semaine")


def test_a_hidden_price_is_not_stored_at_all():
    f = mapped(
        prop(category=1, price={"value": 450000, "hide": True, "commission": 20000})
    ).columns()
    assert f["price_hidden"] is True
    assert f["price"] is None and f["price_excluding_fees"] is None


def test_a_price_in_another_currency_is_not_shown_as_euros():
    record = mapped(prop(price={"value": 900, "currency": "CHF"}))
    assert record.price is None
    assert {"field": "price.currency", "value": "CHF", "reason": "not euros: not shown"} in (
        record.warnings
    )


def test_a_viager_has_its_bouquet_and_monthly_annuity():
    price = {"value": 250000, "contribution": 60000, "pension": 900}
    f = mapped(prop(category=5, price=price)).columns()
    assert (f["price"], f["monthly_annuity"]) == (60000, 900)


def test_the_agent_is_the_listing_contact():
    assert mapped(private_prop()).contact == {
        "name": "Claire Durand",
        "phone": "+33 6 11 22 33 44",
        "mail": "claire@gambetta.example",
    }
    assert mapped(prop(user=10)).contact == {}


def test_private_mode_fields_are_set_apart_and_never_in_the_fields():
    record = mapped(private_prop())
    assert {"owner", "visit", "exchanges", "filling_rate", "private_comment"} <= set(record.private)
    assert {"status_comment", "logs"} <= set(record.private)
    flat = repr(record.columns()) + repr(record.photos)
    for marker in ("MARKER", "SECRETSTREET", "SECRETBUILDING", "87.5"):
        assert marker not in flat


def test_items_without_id_or_not_objects_are_rejected():
    with pytest.raises(RecordRejected):
        mapped(prop(None))
    with pytest.raises(RecordRejected):
        mapped(["not", "an", "object"])


def test_the_agency_object_with_its_fee_schedule():
    record = map_agency(AGENCY, catalogs=CATALOGS)
    f = record.columns()
    assert record.upstream_id == "182"
    assert (f["name"], f["phone"], f["emails"]) == (
        "Agence Gambetta",
        "+33 4 93 00 00 00",
        ["contact@gambetta.example"],
    )
    assert f["logo_url"] == "https://cdn.apimo.example/logo/182.png"
    assert f["legal"]["raison_sociale"] == "Gambetta Immobilier SARL"
    assert f["legal"]["rcs"] == "RCS Nice 123 456 789"
    assert [
        (r["category_label"], r["commission_rate"], r["commission_price"]) for r in f["rates"]
    ] == [
        ("Vente", None, 6000),
        ("Vente", 5.0, None),
        ("Location", 8.5, None),
    ]


def regulations(*entries):
    return [{"type": t, "value": v, "date": d} for t, v, d in entries]


def test_energy_costs_read_amounts_written_with_spaces_units_or_commas():
    record = mapped(
        prop(
            regulations=regulations(
                (120, "1 150 €", None), (121, "1590,40", None), (122, "2023", None)
            )
        )
    )
    assert (record.energy_cost_min, record.energy_cost_max) == (1150, 1590)
    assert record.energy_cost_reference.endswith("l'année 2023 (abonnements compris)")


def test_an_energy_prices_reference_given_as_a_sentence_is_kept_as_it_is():
    text = "Prix moyens des énergies indexés au 1er janvier 2021 (abonnements compris)"
    assert mapped(prop(regulations=regulations((122, text, None)))).energy_cost_reference == text


def test_energy_costs_given_the_wrong_way_round_are_ordered_with_a_warning():
    record = mapped(prop(regulations=regulations((120, "2000", None), (121, "1500", None))))
    assert (record.energy_cost_min, record.energy_cost_max) == (1500, 2000)
    assert any(w.get("reason") == "swapped" for w in record.warnings)


def test_dpe_values_without_a_date_give_no_class_and_say_why():
    record = mapped(prop(regulations=regulations((1, "214", None), (2, "6", None))))
    assert (record.dpe_value, record.dpe_letter, record.ges_letter) == (214.0, "", "")
    assert any("without a date" in w.get("reason", "") for w in record.warnings)


def test_no_class_is_derived_for_a_home_under_40_square_metres():
    item = prop(
        area={"unit": 1, "value": 31},
        regulations=regulations((1, "310", "2024-09-02"), (2, "9", "2024-09-02")),
    )
    record = mapped(item)
    assert (record.dpe_letter, record.ges_letter) == ("", "")
    assert any("under 40" in w.get("reason", "") for w in record.warnings)


def test_a_label_on_the_value_wins_and_a_bad_letter_is_a_warning():
    item = prop(
        regulations=[
            {"type": 1, "value": "214", "date": "2023-05-10", "label": "e"},
            {"type": 2, "value": "6", "date": "2023-05-10"},
            {"type": 52, "value": "Z"},
        ]
    )
    record = mapped(item)
    assert (record.dpe_letter, record.ges_letter) == ("E", "B")  # "Z" refused, B derived
    assert {"field": "regulations.52", "value": "Z", "reason": "not A-G"} in record.warnings


def test_the_classe_de_performance_energetique_code_gives_the_energy_letter():
    record = mapped(prop(regulations=regulations((56, "C", None))))
    assert record.dpe_letter == "C"


def test_the_loi_carrez_surface_comes_from_regulation_3():
    assert mapped(prop(regulations=regulations((3, "48,5 m²", None)))).surface_carrez == 48.5
    assert mapped(prop(regulations=regulations((3, "0", None)))).surface_carrez is None
    assert mapped(prop()).surface_carrez is None


@pytest.mark.parametrize(
    ("country", "zip_code", "stored", "department"),
    [
        ("FR", "06100", "FR", "06"),
        ("fr", "20090", "FR", "2A"),
        ("FR", "97110", "FR", "971"),
        ("GP", "97110", "GP", "971"),
        ("RE", "97400", "RE", "974"),
        ("MA", "44000", "MA", ""),
        ("MC", "98000", "MC", ""),
        ("ES", "07001", "ES", ""),
        (None, "06100", "FR", "06"),
    ],
)
def test_only_french_places_get_a_department(country, zip_code, stored, department):
    item = prop(country=country, city={"id": 1, "name": "X", "zipcode": zip_code})
    record = mapped(item)
    assert (record.country, record.department) == (stored, department)


def test_a_country_that_is_not_an_iso_code_is_france_with_a_warning():
    record = mapped(prop(country="France"))
    assert record.country == "FR" and record.department == "06"
    assert {"field": "country", "value": "FRANCE", "reason": "not an ISO 3166-1 code: FR"} in (
        record.warnings
    )


def test_areas_in_other_units_are_converted_to_square_metres():
    assert mapped(prop(area={"unit": 2, "value": 1000})).surface == 92.9  # ft²
    assert mapped(prop(type=3, area={"unit": 7, "value": "1,5"})).land_surface == 15000  # ha
    record = mapped(prop(area={"unit": 3, "value": 4}))  # kanal: no known factor
    assert record.surface is None
    assert {"field": "area.unit", "value": 3, "reason": "unit not convertible to m²"} in (
        record.warnings
    )


def test_bedrooms_are_the_larger_of_the_field_and_the_bedroom_areas():
    areas = [{"type": t, "number": 1} for t in (1, 53, 54)]
    assert mapped(prop(bedrooms=2, areas=areas)).bedrooms == 3
    assert mapped(prop(bedrooms=4, areas=areas)).bedrooms == 4
    assert mapped(prop(bedrooms=0, areas=[])).bedrooms == 0


def test_a_letter_given_as_the_value_of_the_dpe_regulation_is_the_class():
    record = mapped(prop(regulations=regulations((1, "d", "2023-05-10"), (2, "B", None))))
    assert (record.dpe_value, record.dpe_letter, record.ges_letter) == (None, "D", "B")
    assert str(record.dpe_date) == "2023-05-10"


def test_the_date_of_a_letter_code_dates_the_dpe_when_the_values_have_none():
    record = mapped(prop(regulations=regulations((50, "C", "2022-02-01"), (1, "150", None))))
    assert (record.dpe_letter, str(record.dpe_date)) == ("C", "2022-02-01")
