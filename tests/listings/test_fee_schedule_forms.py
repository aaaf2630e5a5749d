"""Issue #17 (break): schedule texts in the forms French agencies write them, and the
check of listings whose price excluding fees is computed to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from showcase.listings import fees
from tests.factories import make_agency

BANDS = "<p>Jusqu'à 300 000 € : 5 % TTC</p><p>Au-delà de 300 000 € : 4 % TTC</p>"


def test_a_net_price_computed_between_two_whole_euro_bands_is_in_the_lower_band():
    schedule = fees.parse_text(BANDS, source=fees.SOURCE_GEDEON)
    # 315 001 € at 5 %: 300 000,95 € excluding fees, between "300 000" and "300 001".
    assert fees.sale_mismatch(price=315001, net=None, percent=Decimal(5), schedule=schedule) is None


def test_a_partir_de_and_et_plus_include_the_amount_they_name():
    assert fees.parse_text("À partir de 300 000 € : 4 % TTC", source="x").sale_bands == (
        fees.SaleBand(300000, None, percent=Decimal(4)),
    )
    assert fees.parse_text("300 000 € et plus : 4 % TTC", source="x").sale_bands == (
        fees.SaleBand(300000, None, percent=Decimal(4)),
    )
    assert fees.parse_text("Au-delà de 300 000 € : 4 % TTC", source="x").sale_bands == (
        fees.SaleBand(300001, None, percent=Decimal(4)),
    )


def test_flat_amounts_with_grouped_thousands_and_a_lower_bound_without_euro_sign_are_read():
    schedule = fees.parse_text(
        "<p>De 0 à 50 000 € : 5 000 € TTC</p><p>De 50 001 € à 300 000 € : 4,5 % TTC</p>",
        source="x",
    )
    assert schedule.structured
    assert schedule.sale_bands == (
        fees.SaleBand(0, 50000, amount=5000),
        fees.SaleBand(50001, 300000, percent=Decimal("4.5")),
    )
    assert fees.sale_mismatch(price=45000, net=40000, percent=None, schedule=schedule) is None


def test_a_rate_excluding_tax_is_not_read_as_the_ttc_maximum():
    schedule = fees.parse_text("Jusqu'à 300 000 € : 5 % HT", source="x")
    assert not schedule.structured  # shown as written, never as "5 %" in the table
    assert schedule.sale_bands == ()


def test_a_price_in_a_line_we_could_not_read_is_not_flagged_as_outside_the_schedule():
    schedule = fees.parse_text(
        "<p>Jusqu'à 50 000 € : forfait de 3 000 euros</p><p>De 50 001 € à 300 000 € : 5 % TTC</p>",
        source="x",
    )
    assert not schedule.structured
    assert fees.sale_mismatch(price=43000, net=40000, percent=None, schedule=schedule) is None


def test_a_rental_is_checked_against_the_location_rate_not_a_holiday_or_life_annuity_rate():
    schedule = fees.parse_rates(
        [
            {"category": 3, "category_label": "Location saisonnière", "commission_rate": 2},
            {"category": 5, "category_label": "Viager", "commission_rate": 4},
            {"category": None, "category_label": "", "commission_rate": 1},
            {"category": 2, "category_label": "Location", "commission_rate": 15},
        ]
    )
    # 800 € rent, 100 € charges: 8 400 € a year, 15 % = 1 260 €.
    assert (
        fees.rent_mismatch(
            surface=None,
            rent=800,
            charges=100,
            tenant_fees=1200,
            inventory_fees=None,
            schedule=schedule,
        )  # fmt: skip
        is None
    )
    mismatch = fees.rent_mismatch(
        surface=None, rent=800, charges=100, tenant_fees=1300, inventory_fees=None,
        schedule=schedule,
    )  # fmt: skip
    assert mismatch is not None and mismatch.allowed == Decimal("1260.00")


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["<p>&nbsp;</p>", "<p><br></p>", " \n<div> </div>"])
def test_a_schedule_of_markup_alone_gives_way_to_the_next_source(blank):
    agency = make_agency(rates=[], legal={"honoraires": "<p>Jusqu'à 1 000 000 € : 5 % TTC</p>"})
    agency.fee_schedule = blank
    assert fees.agency_schedule(agency).source == fees.SOURCE_GEDEON
    agency.legal = {"honoraires": blank}
    assert fees.agency_schedule(agency, website_text="<p>5 % TTC</p>").source == (
        fees.SOURCE_WEBSITE
    )
    assert fees.agency_schedule(agency, website_text=blank).is_empty


CUMULATIVE = (
    "<p>Jusqu'à 100 000 € : 6 % TTC</p><p>Au-delà de 100 000 € : 4 % TTC</p>"
    "<p>Honoraires à la charge de l'acquéreur, tranches cumulatives.</p>"
)


def test_cumulative_bands_add_each_bands_rate_on_its_part_of_the_price():
    schedule = fees.parse_text(CUMULATIVE, source="x")
    assert schedule.structured and schedule.cumulative is True
    # 200 000 €: 6 % of 100 000 € + 4 % of 100 000 € = 10 000 € (5 %), not 4 % of all.
    assert fees.sale_mismatch(price=210000, net=200000, percent=None, schedule=schedule) is None
    mismatch = fees.sale_mismatch(price=210500, net=200000, percent=None, schedule=schedule)
    assert mismatch is not None and mismatch.allowed == Decimal(10000)
    assert fees.sale_mismatch(price=53000, net=50000, percent=None, schedule=schedule) is None


def test_a_fee_above_cumulative_bands_is_explained_as_cumulative():
    from django.utils import translation

    from showcase.listings import compliance
    from showcase.listings.models import Agency, Listing

    listing = Listing(
        agency=Agency(name="Agence X"), transaction="sell", property_type="land",
        price=210500, price_excluding_fees=200000, fees_paid_by="acquéreur",
    )  # fmt: skip
    schedule = fees.parse_text(CUMULATIVE, source="x")
    mismatch = compliance.fee_mismatch(listing, schedule)
    assert mismatch is not None
    with translation.override("fr"):
        words = compliance.explain_mismatch(listing, mismatch)
    assert "tranches cumulatives du barème de Agence X" in words
    assert "10\u202f000 €" in words or "10\u00a0000 €" in words or "10 000 €" in words


@pytest.mark.parametrize(
    "condition",
    [
        "<p>Honoraires partagés entre le vendeur et l'acquéreur.</p>",
        "<p>Aucun honoraire n'est dû avant la signature de l'acte authentique.</p>",
    ],
)
def test_a_condition_without_a_figure_is_not_dropped_as_a_heading(condition):
    text = "<h3>Vente</h3><p>Jusqu'à 1 000 000 € : 5 % TTC</p>" + condition
    assert not fees.parse_text(text, source="x").structured  # shown as written


@pytest.mark.parametrize(
    "heading",
    ["<h3>Barème des honoraires de transaction immobilière</h3>", "<p>Location :</p>"],
)
def test_headings_without_a_figure_keep_the_schedule_structured(heading):
    text = heading + "<p>Jusqu'à 1 000 000 € : 5 % TTC</p>"
    assert fees.parse_text(text, source="x").structured
