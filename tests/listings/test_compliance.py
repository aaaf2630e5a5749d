from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from showcase.listings.compliance import check
from showcase.listings.models import Listing

TODAY = date(2026, 11, 23)


def listing(**fields) -> Listing:
    base = {
        "transaction": "sell",
        "property_type": "flat",
        "price": 300000,
        "price_excluding_fees": 285000,
        "fees_percent": Decimal("5.26"),
        "fees_paid_by": "acquéreur",
        "dpe_letter": "D",
        "dpe_date": date(2023, 3, 1),
        "energy_cost_min": 900,
        "energy_cost_max": 1300,
        "energy_cost_reference": "2021",
        "surface": 60,
        "department": "69",
    }
    base.update(fields)
    return Listing(**base)


def test_a_complete_sale_is_compliant():
    assert check(listing(), today=TODAY) == []


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"price_excluding_fees": None}, "F-PRICE-FEES"),
        ({"fees_paid_by": ""}, "F-PRICE-FEES"),
        ({"fees_percent": Decimal("6.00")}, "F-FEES-PCT"),
        ({"copropriete": True, "copropriete_lots": None}, "F-COPRO"),
        ({"dpe_letter": ""}, "F-DPE-MISSING"),
        ({"dpe_date": date(2020, 5, 1)}, "F-DPE-OLD"),
        ({"energy_cost_reference": ""}, "F-DPE-COST"),
    ],
)
def test_sale_rules(fields, code):
    assert code in check(listing(**fields), today=TODAY)


def test_price_info_with_the_fee_mentions_satisfies_the_fee_rule():
    issues = check(
        listing(fees_paid_by="", price_info={"p": {"alurinfos": {"h": "Honoraires : 5 %"}}}),
        today=TODAY,
    )
    assert "F-PRICE-FEES" not in issues


RENT = {
    "transaction": "rent",
    "price": 850,
    "charges": 50,
    "deposit": 800,
    "tenant_fees": 480,
    "inventory_fees": 120,
}


def test_rental_rules():
    rent = RENT
    assert check(listing(**rent), today=TODAY) == []
    assert "F-RENT-CORE" in check(listing(**{**rent, "deposit": None}), today=TODAY)
    assert "F-RENT-CAP" in check(listing(**{**rent, "inventory_fees": 400}), today=TODAY)
    assert "F-DECENCE" in check(listing(**{**rent, "dpe_letter": "G"}), today=TODAY)
    assert "F-DECENCE" not in check(listing(**{**rent, "dpe_letter": "F"}), today=TODAY)
    assert "F-DECENCE" in check(listing(**{**rent, "dpe_letter": "F"}), today=date(2028, 1, 2))


def test_a_dpe_of_29_february_ages_without_crashing():
    assert "F-DPE-OLD" not in check(listing(dpe_date=date(2024, 2, 29)), today=TODAY)
    assert "F-DPE-OLD" in check(listing(dpe_date=date(2024, 2, 29)), today=date(2034, 3, 1))


@pytest.mark.parametrize(
    ("letter", "last_decent_day", "first_banned_day"),
    [
        ("G", date(2024, 12, 31), date(2025, 1, 1)),
        ("F", date(2027, 12, 31), date(2028, 1, 1)),
        ("E", date(2033, 12, 31), date(2034, 1, 1)),
    ],
)
def test_a_rental_class_becomes_non_decent_on_its_day(letter, last_decent_day, first_banned_day):
    home = listing(**RENT, dpe_letter=letter)
    assert "F-DECENCE" not in check(home, today=last_decent_day)
    assert "F-DECENCE" in check(home, today=first_banned_day)


def test_overseas_rentals_are_not_held_to_the_mainland_decence_calendar():
    assert "F-DECENCE" not in check(listing(**RENT, dpe_letter="G", department="974"), today=TODAY)


def test_the_verdict_is_computed_for_the_local_date_when_read(monkeypatch):
    from django.utils import timezone

    from showcase.listings.compliance import RULES, verdict

    home = listing(dpe_date=date(2023, 3, 14))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2033, 3, 14))
    assert verdict(home) == []
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2033, 3, 15))
    assert verdict(home) == [RULES["F-DPE-OLD"]]
