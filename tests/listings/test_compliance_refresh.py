"""Verdicts that depend on today's date stay right without a sync: the daily refresh
(`manage.py listings compliance-refresh`) and the verdict computed when read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import responses
from django.core.management import call_command
from django.utils import timezone

from showcase.feeds.sync import sync_feed
from showcase.listings import compliance
from showcase.listings.compliance import RULE_FIELDS, listings_compliance_refresh
from showcase.listings.models import Listing
from tests.factories import make_feed, make_listing
from tests.feeds.gedeon.payloads import ad, envelope
from tests.listings.test_compliance import RENT

pytestmark = pytest.mark.django_db

# Complete for a sale of a flat with a DPE of 14 March 2023 (valid until 14 March 2033).
COMPLETE_SALE = {
    "price": 300000,
    "price_excluding_fees": 285000,
    "fees_percent": Decimal("5.26"),
    "fees_paid_by": "acquéreur",
    "dpe_letter": "D",
    "dpe_date": date(2023, 3, 14),
    "energy_cost_min": 900,
    "energy_cost_max": 1300,
    "energy_cost_reference": "2021",
}
COMPLETE_RENT = {
    **RENT,
    "dpe_date": date(2023, 3, 14),
    "energy_cost_min": 900,
    "energy_cost_max": 1300,
    "energy_cost_reference": "2021",
}


def stored(**fields) -> Listing:
    """A listing saved with the verdict its sync computed (compliant unless told)."""
    return make_listing(**fields)


def freeze_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def verdict_in_db(listing: Listing) -> tuple[bool, list[str]]:
    listing.refresh_from_db(fields=["is_compliant", "compliance_issues"])
    return listing.is_compliant, listing.compliance_issues


def test_a_dpe_turning_ten_years_old_is_flagged_by_the_refresh_without_any_sync():
    sale = stored(**COMPLETE_SALE)
    assert compliance.check(sale, today=date(2033, 3, 14)) == []

    assert listings_compliance_refresh(today=date(2033, 3, 14)) == 0
    assert verdict_in_db(sale) == (True, [])
    assert listings_compliance_refresh(today=date(2033, 3, 15)) == 1
    assert verdict_in_db(sale) == (False, ["F-DPE-OLD"])


@pytest.mark.parametrize(
    ("letter", "yesterday", "today"),
    [("G", date(2024, 12, 31), date(2025, 1, 1)), ("F", date(2027, 12, 31), date(2028, 1, 1))],
)
def test_a_rental_whose_class_becomes_non_decent_is_flagged_by_the_refresh(
    letter, yesterday, today
):
    rental = stored(**COMPLETE_RENT, dpe_letter=letter)
    assert listings_compliance_refresh(today=yesterday) == 0
    assert verdict_in_db(rental) == (True, [])
    assert listings_compliance_refresh(today=today) == 1
    assert verdict_in_db(rental) == (False, ["F-DECENCE"])


def test_the_verdict_read_from_the_listing_is_todays_even_when_the_stored_one_is_not(
    monkeypatch,
):
    rental = stored(**COMPLETE_RENT, dpe_letter="F")
    freeze_today(monkeypatch, date(2028, 1, 1))
    fresh = Listing.objects.get(pk=rental.pk)
    assert fresh.is_compliant  # stored yesterday, no sync since
    assert [rule.code for rule in compliance.verdict(fresh)] == ["F-DECENCE"]


@responses.activate
def test_an_unchanged_synced_ad_gets_todays_verdict_from_the_refresh(monkeypatch):
    feed = make_feed(base_url="http://gedeon.test")
    responses.get("http://gedeon.test/agencies", json=envelope([]))
    responses.get("http://gedeon.test/ads", json=envelope([ad(1)]))  # DPE of 14 March 2023
    freeze_today(monkeypatch, date(2033, 3, 14))
    sync_feed(feed)
    listing = Listing.objects.get(feed=feed, upstream_id="1")
    assert "F-DPE-OLD" not in listing.compliance_issues

    freeze_today(monkeypatch, date(2033, 3, 15))
    assert "F-DPE-OLD" in [rule.code for rule in compliance.verdict(listing)]
    assert listings_compliance_refresh() == 1
    listing.refresh_from_db()
    assert "F-DPE-OLD" in listing.compliance_issues and not listing.is_compliant


def test_a_verdict_that_no_longer_applies_is_cleared():
    sale = stored(**COMPLETE_SALE, is_compliant=False, compliance_issues=["F-DPE-COST"])
    assert listings_compliance_refresh(today=date(2030, 1, 1)) == 1
    assert verdict_in_db(sale) == (True, [])


def test_withdrawn_listings_keep_their_verdict():
    gone = stored(**COMPLETE_SALE, withdrawn_at=timezone.now())
    assert listings_compliance_refresh(today=date(2040, 1, 1)) == 0
    assert verdict_in_db(gone) == (True, [])


def test_every_live_listing_is_refreshed_across_chunks():
    listings = [stored(**COMPLETE_SALE) for _ in range(5)]
    assert listings_compliance_refresh(today=date(2040, 1, 1), chunk_size=2) == 5
    assert all(verdict_in_db(listing) == (False, ["F-DPE-OLD"]) for listing in listings)
    assert listings_compliance_refresh(today=date(2040, 1, 1), chunk_size=2) == 0


def test_the_rules_read_no_field_the_refresh_does_not_load(django_assert_num_queries):
    # Every branch of the rules: a sale in a copropriété and a rental, both dwellings.
    stored(**COMPLETE_SALE, copropriete=True, copropriete_lots=12, copropriete_charges=900)
    stored(**{**COMPLETE_RENT, "dpe_letter": "G", "inventory_fees": 400})
    light = list(Listing.objects.only(*RULE_FIELDS))
    with django_assert_num_queries(0):  # a deferred field would cost one query
        for listing in light:
            compliance.check(listing, today=date(2040, 1, 1))


def test_the_command_reports_how_many_verdicts_changed(monkeypatch):
    stored(**COMPLETE_SALE)
    freeze_today(monkeypatch, date(2033, 3, 15))
    out = StringIO()
    call_command("listings", "compliance-refresh", stdout=out)
    assert out.getvalue() == "1 listing(s) with a new compliance verdict.\n"
