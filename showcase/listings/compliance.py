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
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from showcase.core import dpe
from showcase.listings import fees, price
from showcase.listings.models import Agency, Listing, PropertyType, Transaction

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
    "agency",
)
# The agency columns its fee schedule is read from (fees.agency_schedule).
AGENCY_FIELDS = ("agency__name", "agency__fee_schedule", "agency__rates", "agency__legal")
VERDICT_FIELDS = ("compliance_issues", "is_compliant")
REFRESH_CHUNK = 2000


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "blocker" or "warning"
    message: Promise
    label: Promise  # a few words, for the admin's filter


SEVERITIES = {"blocker": _("must be fixed"), "warning": _("to check")}


RULES = {
    rule.code: rule
    for rule in (
        Rule(
            "F-PRICE-FEES",
            "blocker",
            _(
                "Sale: the price excluding fees, the fee percentage or who pays the fees is missing."
            ),
            _("sale price or fee mentions missing"),
        ),
        Rule(
            "F-FEES-PCT",
            "blocker",
            _("Sale: the fee percentage does not match the prices with and without fees."),
            _("fee percentage does not add up"),
        ),
        Rule(
            "F-FEES-SCHEDULE",
            "blocker",
            _("The fees are higher than the agency's fee schedule allows."),
            _("fees do not match the schedule"),
        ),
        Rule(
            "F-COPRO",
            "blocker",
            _("Copropriété: the number of lots or the annual charges are missing."),
            _("co-ownership details missing"),
        ),
        Rule(
            "F-DPE-MISSING",
            "blocker",
            _("Dwelling without an energy class (DPE)."),
            _("energy class (DPE) missing"),
        ),
        Rule(
            "F-DPE-OLD",
            "blocker",
            _("The DPE predates 1 July 2021 or is more than 10 years old: a new one is needed."),
            _("DPE too old"),
        ),
        Rule(
            "F-DPE-COST",
            "blocker",
            _("Dwelling without the estimated annual energy costs or their reference year."),
            _("energy cost estimate missing"),
        ),
        Rule(
            "F-RENT-CORE",
            "blocker",
            _(
                "Rental: charges, deposit, surface or tenant fees (with the inventory part) are missing."
            ),
            _("rental mentions missing"),
        ),
        Rule(
            "F-RENT-CAP",
            "warning",
            _("Rental: the inventory fees exceed the legal cap per m²."),
            _("inventory fees above the legal cap"),
        ),
        Rule(
            "F-DECENCE",
            "warning",
            _("Rental: the energy class no longer allows letting this home as a main residence."),
            _("energy class too low to let"),
        ),
    )
}


def _has_price_info_fees(listing: Listing) -> bool:
    """Gedeon's `priceInfo` carries the mandatory fee mentions already written out."""
    text = str(listing.price_info or "").lower()
    return "honoraires" in text


# `check()` reads the listing's own agency when no schedule is given.
_OWN_AGENCY: Any = object()


def listing_schedule(listing: Listing) -> fees.FeeSchedule:
    """The fee schedule of the listing's agency (one query unless `agency` is loaded)."""
    return fees.agency_schedule(listing.agency if listing.agency_id else None)


NO_SCHEDULE = fees.FeeSchedule(source="")


def schedules_by_agency(agency_ids: set[int | None]) -> dict[int | None, fees.FeeSchedule]:
    """The fee schedule of each agency in `agency_ids` (one query)."""
    agencies = Agency.objects.filter(pk__in={pk for pk in agency_ids if pk is not None}).only(
        "name", "fee_schedule", "rates", "legal"
    )
    return {agency.pk: fees.agency_schedule(agency) for agency in agencies}


def fee_mismatch(listing: Listing, schedule: fees.FeeSchedule) -> fees.Mismatch | None:
    """How the listing's fees exceed its agency's schedule, or None (docs/legal.md S6, W7)."""
    if listing.transaction in SALES and not listing.price_hidden:
        if price.who_pays(listing) == "seller":
            return None  # the price holds no buyer's fees to set against the schedule
        return fees.sale_mismatch(
            price=listing.price,
            net=listing.price_excluding_fees,
            percent=listing.fees_percent,
            schedule=schedule,
        )
    if listing.transaction == Transaction.RENT:
        return fees.rent_mismatch(
            surface=listing.surface,
            rent=listing.price,
            charges=listing.charges,
            tenant_fees=listing.tenant_fees,
            inventory_fees=listing.inventory_fees,
            schedule=schedule,
        )
    return None


def _euros(amount: Decimal) -> str:
    return (
        formats.number_format(amount.quantize(Decimal("1")), use_l10n=True, force_grouping=True)
        + " €"
    )


def _band_words(band: fees.SaleBand) -> str:
    if band.lower is not None and band.upper is not None:
        where = gettext("from %(low)s to %(high)s") % {
            "low": _euros(Decimal(band.lower)),
            "high": _euros(Decimal(band.upper)),
        }
    elif band.upper is not None:
        where = gettext("up to %(high)s") % {"high": _euros(Decimal(band.upper))}
    elif band.lower is not None:
        where = gettext("from %(low)s") % {"low": _euros(Decimal(band.lower))}
    else:
        where = gettext("at any price")
    if band.percent is not None:
        most = fees.rate_text(band.percent) + "\u00a0%"
    else:
        most = _euros(Decimal(band.amount or 0))
    return gettext("at most %(most)s %(where)s") % {"most": most, "where": where}


def explain_mismatch(listing: Listing, mismatch: fees.Mismatch) -> str:
    """The mismatch in words for the agent, e.g. "Fees of 7 605 € (5.5 % of 138 282 €
    excluding fees); the schedule of Agence X allows at most 5 % from 100 001 € to
    300 000 €, that is 6 914 €."
    """
    agency = listing.agency.name if listing.agency is not None else ""
    if mismatch.kind == "sale":
        net = Decimal(mismatch.facts["net"])
        charged = gettext("Fees of %(fees)s (%(percent)s of %(net)s excluding fees)") % {
            "fees": _euros(mismatch.charged),
            "percent": formats.number_format(
                (mismatch.charged / net * 100).quantize(Decimal("0.01")), use_l10n=True
            )
            + "\u00a0%",
            "net": _euros(net),
        }
        if mismatch.facts.get("cumulative"):
            return gettext(
                "%(charged)s; the cumulative bands of the schedule of %(agency)s allow at "
                "most %(allowed)s."
            ) % {"charged": charged, "agency": agency, "allowed": _euros(mismatch.allowed)}
        if mismatch.band is None:
            return gettext(
                "%(charged)s: the schedule of %(agency)s has no band for this price."
            ) % {
                "charged": charged,
                "agency": agency,
            }
        return gettext(
            "%(charged)s; the schedule of %(agency)s allows %(band)s, that is %(allowed)s."
        ) % {
            "charged": charged,
            "agency": agency,
            "band": _band_words(mismatch.band),
            "allowed": _euros(mismatch.allowed),
        }
    what = gettext("Inventory fees") if mismatch.kind == "inventory" else gettext("Tenant fees")
    return gettext(
        "%(what)s of %(charged)s; the schedule of %(agency)s allows at most %(allowed)s "
        "for this home."
    ) % {
        "what": what,
        "charged": _euros(mismatch.charged),
        "agency": agency,
        "allowed": _euros(mismatch.allowed),
    }


def check(listing: Listing, *, today: date | None = None, schedule: Any = _OWN_AGENCY) -> list[str]:
    """Codes of the rules this listing breaks, in `RULES` order (e.g. ["F-DPE-OLD"]).

    `today` defaults to the local date; the verdict of the same fields changes with it.
    `schedule` (a fees.FeeSchedule) defaults to the listing's agency's: pass it when
    checking many listings of few agencies."""
    today = today or timezone.localdate()
    if schedule is _OWN_AGENCY:
        schedule = listing_schedule(listing)
    issues: list[str] = []
    if fee_mismatch(listing, schedule) is not None:
        issues.append("F-FEES-SCHEDULE")
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
    order = list(RULES)
    return sorted(issues, key=order.index)


def describe(codes: list[str]) -> list[Rule]:
    return [RULES[code] for code in codes if code in RULES]


def verdict(listing: Listing, *, today: date | None = None) -> list[Rule]:
    """The rules this listing breaks today, computed from its fields now: what a page or
    the admin shows, never the stored (possibly a day old) `compliance_issues`."""
    return describe(check(listing, today=today))


@dataclass(frozen=True)
class Finding:
    rule: Rule
    detail: str  # this listing's case in words ("" when the rule's message says it all)


def findings(listing: Listing, *, today: date | None = None) -> list[Finding]:
    """`verdict()` with each rule explained for this listing where it can be."""
    schedule = listing_schedule(listing)
    result = []
    for rule in describe(check(listing, today=today, schedule=schedule)):
        detail = ""
        if rule.code == "F-FEES-SCHEDULE":
            mismatch = fee_mismatch(listing, schedule)
            detail = explain_mismatch(listing, mismatch) if mismatch else ""
        result.append(Finding(rule, detail))
    return result


def listings_compliance_refresh(
    *, today: date | None = None, chunk_size: int = REFRESH_CHUNK, agency: Agency | None = None
) -> int:
    """Recompute the stored verdict of every live (not withdrawn) listing for `today`
    (default: the local date) and save those that changed, only `agency`'s when given.
    Returns how many changed.

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
    live = Listing.objects.live()
    if agency is not None:  # after an edit of its fee schedule
        live = live.filter(agency=agency)
    listings = (
        live.select_related("agency")
        .only(*RULE_FIELDS, *AGENCY_FIELDS, *VERDICT_FIELDS)
        .order_by("pk")
    )
    schedules: dict[int | None, fees.FeeSchedule] = {}
    for listing in listings.iterator(chunk_size=chunk_size):
        if listing.agency_id not in schedules:
            schedules[listing.agency_id] = listing_schedule(listing)
        issues = check(listing, today=today, schedule=schedules[listing.agency_id])
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
