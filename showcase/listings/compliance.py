"""What a listing lacks for a legal publication (docs/legal.md §6), as pure functions.

The result is stored on the listing at sync time so the admin can filter on it; it
never changes a regulated figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from showcase.listings.models import Listing, PropertyType, Transaction

DWELLINGS = {PropertyType.HOUSE, PropertyType.FLAT}
SALES = {Transaction.SELL, Transaction.VIAGER, Transaction.PROGRAM}
NEW_DPE_SINCE = date(2021, 7, 1)
EDL_CAP_PER_M2 = Decimal("3.03")  # € TTC per m², leases from 1 Jan 2026 (docs/legal.md §2, R10)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "blocker" or "warning"
    message: Promise


RULES = {
    rule.code: rule
    for rule in (
        Rule(
            "F-PRICE-FEES",
            "blocker",
            _(
                "Sale: the price excluding fees, the fee percentage or who pays the fees is missing."
            ),
        ),
        Rule(
            "F-FEES-PCT",
            "blocker",
            _("Sale: the fee percentage does not match the prices with and without fees."),
        ),
        Rule(
            "F-COPRO",
            "blocker",
            _("Copropriété: the number of lots or the annual charges are missing."),
        ),
        Rule("F-DPE-MISSING", "blocker", _("Dwelling without an energy class (DPE).")),
        Rule(
            "F-DPE-OLD",
            "blocker",
            _("The DPE predates 1 July 2021 or is more than 10 years old: a new one is needed."),
        ),
        Rule(
            "F-DPE-COST",
            "blocker",
            _("Dwelling without the estimated annual energy costs or their reference year."),
        ),
        Rule(
            "F-RENT-CORE",
            "blocker",
            _(
                "Rental: charges, deposit, surface or tenant fees (with the inventory part) are missing."
            ),
        ),
        Rule("F-RENT-CAP", "warning", _("Rental: the inventory fees exceed the legal cap per m².")),
        Rule(
            "F-DECENCE",
            "warning",
            _("Rental: the energy class no longer allows letting this home as a main residence."),
        ),
    )
}


def ten_years_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 10)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 10, day=28)


def _has_price_info_fees(listing: Listing) -> bool:
    """Gedeon's `priceInfo` carries the mandatory fee mentions already written out."""
    text = str(listing.price_info or "").lower()
    return "honoraires" in text


def check(listing: Listing, *, today: date | None = None) -> list[str]:
    """Codes of the rules this listing breaks."""
    today = today or timezone.localdate()
    issues: list[str] = []
    dwelling = listing.property_type in DWELLINGS
    if listing.transaction in SALES and not listing.price_hidden:
        if not _has_price_info_fees(listing) and (
            not listing.fees_paid_by
            or (
                "acqu" in listing.fees_paid_by.lower()
                and (listing.price_excluding_fees is None or listing.fees_percent is None)
            )
        ):
            issues.append("F-PRICE-FEES")
        if listing.price and listing.price_excluding_fees and listing.fees_percent is not None:
            computed = (
                (Decimal(listing.price) - listing.price_excluding_fees)
                / listing.price_excluding_fees
                * 100
            )
            if abs(computed - Decimal(listing.fees_percent)) > Decimal("0.01") + Decimal("0.005"):
                issues.append("F-FEES-PCT")
        if listing.copropriete and (
            not listing.copropriete_lots or listing.copropriete_charges is None
        ):
            issues.append("F-COPRO")
    needs_dpe = dwelling and listing.transaction in SALES | {Transaction.RENT}
    if needs_dpe and not listing.is_new:
        if not listing.dpe_letter:
            issues.append("F-DPE-MISSING")
        elif listing.dpe_date and (
            listing.dpe_date < NEW_DPE_SINCE or ten_years_after(listing.dpe_date) < today
        ):
            issues.append("F-DPE-OLD")
        if not (
            listing.energy_cost_min and listing.energy_cost_max and listing.energy_cost_reference
        ):
            issues.append("F-DPE-COST")
    if listing.transaction == Transaction.RENT:
        if (
            listing.charges is None
            or listing.deposit is None
            or not listing.surface
            or listing.tenant_fees is None
            or listing.inventory_fees is None
        ) and not _has_price_info_fees(listing):
            issues.append("F-RENT-CORE")
        if (
            listing.inventory_fees
            and listing.surface
            and Decimal(listing.inventory_fees) > EDL_CAP_PER_M2 * Decimal(str(listing.surface))
        ):
            issues.append("F-RENT-CAP")
        banned = (
            {"G"}
            | ({"F"} if today >= date(2028, 1, 1) else set())
            | ({"E"} if today >= date(2034, 1, 1) else set())
        )
        if dwelling and listing.dpe_letter in banned and listing.department[:2] not in {"97"}:
            issues.append("F-DECENCE")
    return issues


def describe(codes: list[str]) -> list[Rule]:
    return [RULES[code] for code in codes if code in RULES]
