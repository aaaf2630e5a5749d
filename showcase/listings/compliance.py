"""What a listing lacks for a legal publication (docs/legal.md §6), as pure functions, and the
service that keeps the stored verdict current.

The rules read the listing's own fields and today's date, and some verdicts change with
the date alone (a DPE's ten years, the rental décence calendar). The verdict is stored
on the listing (`compliance_issues`, `is_compliant`) so the admin can filter on it: a
sync stores it for the ads it maps, `listings_compliance_refresh` recomputes it daily for
every live listing (unchanged ads skip mapping), and whatever shows a verdict computes it
when read with `verdict()`. Never changes a regulated figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from showcase.core import dpe
from showcase.listings.models import Listing, PropertyType, Transaction

DWELLINGS = {PropertyType.HOUSE, PropertyType.FLAT}
SALES = {Transaction.SELL, Transaction.VIAGER, Transaction.PROGRAM}
EDL_CAP_PER_M2 = Decimal("3.03")  # € TTC per m², leases from 1 Jan 2026 (docs/legal.md §2, R10)
# Mainland lets (docs/legal.md R15, loi Climat-Résilience): from each day on, a home of that
# class can no longer be let as a main residence. Overseas departments (97x) have their
# own calendar and are not checked.
DECENCY_BANS: tuple[tuple[date, str], ...] = (
    (date(2025, 1, 1), "G"),
    (date(2028, 1, 1), "F"),
    (date(2034, 1, 1), "E"),
)
# Every field `check` reads: what the refresh loads (`.only()`), nothing more.
RULE_FIELDS = (
    "transaction",
    "property_type",
    "is_new",
    "department",
    "price",
    "price_hidden",
    "price_info",
    "price_excluding_fees",
    "fees_percent",
    "fees_paid_by",
    "copropriete",
    "copropriete_lots",
    "copropriete_charges",
    "dpe_letter",
    "dpe_date",
    "energy_cost_min",
    "energy_cost_max",
    "energy_cost_reference",
    "surface",
    "charges",
    "deposit",
    "tenant_fees",
    "inventory_fees",
)
VERDICT_FIELDS = ("compliance_issues", "is_compliant")
REFRESH_CHUNK = 2000


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


def _has_price_info_fees(listing: Listing) -> bool:
    """Gedeon's `priceInfo` carries the mandatory fee mentions already written out."""
    text = str(listing.price_info or "").lower()
    return "honoraires" in text


def check(listing: Listing, *, today: date | None = None) -> list[str]:
    """Codes of the rules this listing breaks, in `RULES` order (e.g. ["F-DPE-OLD"]).

    `today` defaults to the local date; the verdict of the same fields changes with it."""
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
        elif listing.dpe_date and dpe.is_outdated(listing.dpe_date, today=today):
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
        banned = {letter for since, letter in DECENCY_BANS if today >= since}
        if dwelling and listing.dpe_letter in banned and listing.department[:2] not in {"97"}:
            issues.append("F-DECENCE")
    return issues


def describe(codes: list[str]) -> list[Rule]:
    return [RULES[code] for code in codes if code in RULES]


def verdict(listing: Listing, *, today: date | None = None) -> list[Rule]:
    """The rules this listing breaks today, computed from its fields now: what a page or
    the admin shows, never the stored (possibly a day old) `compliance_issues`."""
    return describe(check(listing, today=today))


def listings_compliance_refresh(
    *, today: date | None = None, chunk_size: int = REFRESH_CHUNK
) -> int:
    """Recompute the stored verdict of every live (not withdrawn) listing for `today`
    (default: the local date) and save those that changed. Returns how many changed.

    Run daily (cron, after the night's `feeds sync`): a sync maps only the ads that
    changed upstream, so without it an unchanged ad keeps yesterday's verdict. Reads
    `chunk_size` rows at a time with only the fields the rules read, and writes the
    changed ones with `bulk_update` in batches of the same size, so memory stays bounded
    whatever the catalogue. Each batch commits on its own: an interrupted run leaves the
    earlier batches current and the next run finishes the job (the check is idempotent).
    """
    today = today or timezone.localdate()
    changed = 0
    batch: list[Listing] = []
    listings = Listing.objects.live().only(*RULE_FIELDS, *VERDICT_FIELDS).order_by("pk")
    for listing in listings.iterator(chunk_size=chunk_size):
        issues = check(listing, today=today)
        if issues == listing.compliance_issues and listing.is_compliant == (not issues):
            continue
        listing.compliance_issues = issues
        listing.is_compliant = not issues
        batch.append(listing)
        if len(batch) >= chunk_size:
            Listing.objects.bulk_update(batch, VERDICT_FIELDS)
            changed += len(batch)
            batch = []
    if batch:
        Listing.objects.bulk_update(batch, VERDICT_FIELDS)
        changed += len(batch)
    return changed
