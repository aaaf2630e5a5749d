"""An agency's fee schedule (barème, docs/legal.md S6, S7, W7), one per agency, as pure
functions: read from the agent's text in the admin, Apimo `rates[]` or Gedeon
`legal.honoraires`, and compared with a listing's fees.

Amounts are € TTC, percentages % TTC. A sale band's percentage applies to the price
excluding fees (the base A2017 art. 3-3° gives the listing's percentage on), and the band
is chosen by that price too. Since the arrêté of 26 January 2022 the schedule states
*maximum* prices: a listing may charge less, never more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from html import unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.utils import formats
from django.utils.html import strip_tags

if TYPE_CHECKING:
    from showcase.listings.models import Agency

# Apimo's "no upper bound" (seen as 99 999 999 in the demo and real accounts).
OPEN_ENDED_FROM = 99_999_999
# Rounding of integer euro amounts upstream: a fee within 1 € of the maximum matches.
TOLERANCE_EUROS = Decimal(1)

# Apimo `property_category` of long lets (1 = Vente, 3 = Location saisonnière).
RENT_CATEGORY = 2
RENTAL_CATEGORIES = frozenset({RENT_CATEGORY, 3})

SOURCE_ADMIN = "admin"
SOURCE_APIMO = "apimo"
SOURCE_GEDEON = "gedeon"
SOURCE_WEBSITE = "website"


@dataclass(frozen=True)
class SaleBand:
    """Sale prices from `lower` to `upper` € (inclusive; None = unbounded) pay at most
    `percent` % of the price excluding fees, or the flat `amount` €."""

    lower: int | None
    upper: int | None
    percent: Decimal | None = None
    amount: int | None = None

    def holds(self, price: Decimal) -> bool:
        return (self.lower is None or price >= self.lower) and (
            self.upper is None or price <= self.upper
        )

    def maximum(self, price: Decimal) -> Decimal:
        """The highest fee (€) this band allows on `price` € excluding fees."""
        if self.percent is not None:
            return price * self.percent / 100
        return Decimal(self.amount or 0)


@dataclass(frozen=True)
class RentRow:
    """An Apimo rental row: `percent` % of `comment`'s base, or a flat `amount` €."""

    label: str
    percent: Decimal | None = None
    amount: int | None = None
    comment: str = ""
    category: int | None = None  # Apimo `property_category`: 2 = Location (long let)


@dataclass(frozen=True)
class FeeSchedule:
    """One agency's schedule. `structured` is True when every line of the source was
    understood, so the page may show the rows instead of the source text; otherwise the
    page shows `html` (sanitized on display) and the rows only serve the check."""

    source: str  # SOURCE_ADMIN, SOURCE_APIMO, SOURCE_GEDEON, SOURCE_WEBSITE
    sale_bands: tuple[SaleBand, ...] = ()
    paid_by: str = ""  # "buyer", "seller" or "" (not stated)
    cumulative: bool | None = None
    tenant_per_m2: Decimal | None = None  # visit, file and lease, € per m² of living area
    inventory_per_m2: Decimal | None = None  # état des lieux, € per m²
    rent_rows: tuple[RentRow, ...] = ()
    html: str = ""
    link: str = ""
    structured: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.sale_bands or self.rent_rows or self.tenant_per_m2 or self.html or self.link
        )

    def cumulative_maximum(self, price: Decimal) -> Decimal | None:
        """The highest fee (€) of cumulative bands ("tranches cumulatives"): each band's
        percentage on the part of `price` inside it, added up. None unless the schedule
        says its bands are cumulative and every band is a percentage."""
        if not self.cumulative or not self.sale_bands:
            return None
        if any(band.percent is None for band in self.sale_bands):
            return None
        total = Decimal(0)
        for band in self.sale_bands:
            start = Decimal(band.lower - 1 if band.lower else 0)
            end = price if band.upper is None else min(price, Decimal(band.upper))
            if end > start:
                total += (end - start) * (band.percent or 0) / 100
        return total

    @property
    def rental_rows(self) -> tuple[RentRow, ...]:
        """The rows of lets (Apimo Location, Location saisonnière), under "Rentals"."""
        return tuple(r for r in self.rent_rows if r.category in RENTAL_CATEGORIES)

    @property
    def other_rows(self) -> tuple[RentRow, ...]:
        """The other rows (programmes, life annuities, auctions, rows without a
        category): shown apart, never as rentals."""
        return tuple(r for r in self.rent_rows if r.category not in RENTAL_CATEGORIES)

    def band_for(self, price: Decimal) -> SaleBand | None:
        """The band of `price`, read to the euro below: bands are stated in whole euros
        ("jusqu'à 300 000 €", "de 300 001 €"), a net price computed from a percentage
        (300 000,95 €) falls between them otherwise."""
        euros = Decimal(price).to_integral_value(rounding=ROUND_FLOOR)
        return next((band for band in self.sale_bands if band.holds(euros)), None)


_NUMBER = r"(\d[\d\s\u00a0\u202f.]*(?:,\d+)?)"
_VALUE = rf"{_NUMBER}\s*(%|€)"
_SEP = r"\s*[:=–-]?\s*"
_UP_TO = re.compile(rf"^jusqu.{{0,3}}[àa]\s+{_NUMBER}\s*€{_SEP}{_VALUE}", re.I)
_BETWEEN = re.compile(rf"^de\s+{_NUMBER}\s*€?\s+[àa]\s+{_NUMBER}\s*€{_SEP}{_VALUE}", re.I)
_ABOVE = re.compile(rf"^(?:au-del[àa]\s+de|plus\s+de)\s+{_NUMBER}\s*€{_SEP}{_VALUE}", re.I)
# "À partir de 300 000 €", "300 000 € et plus": 300 000 € itself is in the band.
_FROM = re.compile(rf"^[àa]\s+partir\s+de\s+{_NUMBER}\s*€{_SEP}{_VALUE}", re.I)
_AND_MORE = re.compile(rf"^{_NUMBER}\s*€\s+et\s+(?:plus|au-del[àa]){_SEP}{_VALUE}", re.I)
# Amounts or rates excluding VAT: the schedule states TTC prices; such a line is not read.
_EXCLUDING_TAX = re.compile(r"\bHT\b|hors[\s-]+tax", re.I)
_INCLUDING_TAX = re.compile(r"\bTTC\b|toutes[\s-]+taxes", re.I)
_PER_M2 = r"(\d+(?:[.,]\d+)?)\s*€(?:\s*ttc)?\s*/\s*m(?:²|2)"
_TENANT = re.compile(rf"(?:visite|dossier|bail)[^:]*:\s*{_PER_M2}", re.I)
_INVENTORY = re.compile(rf"[ée]tat des lieux\s*:\s*{_PER_M2}", re.I)
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/li|/h\d|/div|/tr)\s*>", re.I)


_HEADING = re.compile(r"<(h[1-6]|th|caption|dt)\b[^>]*>(.*?)</\1\s*>", re.I | re.S)


def _is_heading(line: str, headings: set[str]) -> bool:
    """A line without a figure that titles rows ("Vente", "<h3>Transactions</h3>",
    "Location :"), not a condition the table would drop ("Honoraires partagés entre le
    vendeur et l'acquéreur", "Aucun honoraire n'est dû avant la signature de l'acte")."""
    return line in headings or len(line.rstrip(" :").split()) <= 3


def _amount(text: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0\u202f.]", "", text).replace(",", ".")
    return Decimal(cleaned)


def _band(lower: int | None, upper: int | None, value: str, unit: str) -> SaleBand:
    if unit == "%":  # "4,5 %", "4.5 %": a decimal, never grouped thousands
        return SaleBand(lower, upper, percent=Decimal(value.strip().replace(",", ".")))
    return SaleBand(lower, upper, amount=int(_amount(value)))  # "5 000 €", "5.000 €"


def parse_text(html: str, *, source: str, link: str = "") -> FeeSchedule:
    """A schedule written out in French (Gedeon `honoraires`, the agent's text) -> its
    rows, one line at a time: "Jusqu'à 100 000 € : 6 % TTC", "De 100 001 € à 300 000 € :
    5 % TTC", "Au-delà de 300 000 € : 4 % TTC", "Visite, dossier, bail : 10 € TTC/m²",
    "état des lieux : 3 € TTC/m²", who pays, "(non) cumulatifs". Headings (lines without a
    figure: a heading element or three words at most) are skipped; any other line makes the
    schedule unstructured, so the page shows it as written."""
    text = strip_tags(_BLOCK_END.sub("\n", html or ""))
    headings = {
        " ".join(strip_tags(inner).replace("’", "'").split())
        for _tag, inner in _HEADING.findall(html or "")
    }
    bands: list[SaleBand] = []
    tenant = inventory = None
    paid_by, cumulative, understood = "", None, True
    for raw in text.splitlines():
        line = " ".join(raw.replace("’", "'").split())
        if not line:
            continue
        lower = line.lower()
        known = False
        try:
            if _EXCLUDING_TAX.search(line) and not _INCLUDING_TAX.search(line):
                pass  # HT: not the TTC maximum the schedule must state
            elif match := _UP_TO.match(line):
                bands.append(_band(None, int(_amount(match[1])), match[2], match[3]))
                known = True
            elif match := _BETWEEN.match(line):
                lo, hi = int(_amount(match[1])), int(_amount(match[2]))
                bands.append(_band(lo, hi, match[3], match[4]))
                known = True
            elif match := _ABOVE.match(line):
                bands.append(_band(int(_amount(match[1])) + 1, None, match[2], match[3]))
                known = True
            elif match := _FROM.match(line) or _AND_MORE.match(line):
                bands.append(_band(int(_amount(match[1])), None, match[2], match[3]))
                known = True
            if match := _TENANT.search(line):
                tenant, known = _amount(match[1]), True
            if match := _INVENTORY.search(line):
                inventory, known = _amount(match[1]), True
        except (InvalidOperation, ValueError):
            known = False
        if "charge de l'acqu" in lower or "charge des acqu" in lower:
            paid_by, known = "buyer", True
        elif "charge du vendeur" in lower or "charge des vendeurs" in lower:
            paid_by, known = "seller", True
        if "non cumulati" in lower:
            cumulative, known = False, True
        elif "cumulati" in lower:
            cumulative, known = True, True
        if not known and (re.search(r"\d", line) or not _is_heading(line, headings)):
            understood = False
    return FeeSchedule(
        source=source,
        sale_bands=tuple(bands),
        paid_by=paid_by,
        cumulative=cumulative,
        tenant_per_m2=tenant,
        inventory_per_m2=inventory,
        html=html or "",
        link=link,
        structured=understood and bool(bands or tenant),
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def parse_rates(rates: list[dict[str, Any]]) -> FeeSchedule:
    """Apimo `rates[]` as stored by the mapping (category 1 = sale, others by label) ->
    the schedule. Rows without a rate or a price are left out by the mapping."""
    bands: list[SaleBand] = []
    rent: list[RentRow] = []
    for rate in rates:
        if not isinstance(rate, dict):
            continue
        percent = _decimal(rate.get("commission_rate"))
        price = _decimal(rate.get("commission_price"))
        amount = int(price) if price is not None else None
        if rate.get("category") == 1:
            lower = _decimal(rate.get("range_min"))
            upper = _decimal(rate.get("range_max"))
            bands.append(
                SaleBand(
                    int(lower) if lower else None,
                    int(upper) if upper is not None and upper < OPEN_ENDED_FROM else None,
                    percent=percent,
                    amount=None if percent is not None else amount,
                )
            )
        else:
            rent.append(
                RentRow(
                    label=str(rate.get("category_label") or rate.get("category") or ""),
                    percent=percent,
                    amount=None if percent is not None else amount,
                    comment=str(rate.get("comment") or ""),
                    category=rate.get("category")
                    if isinstance(rate.get("category"), int)
                    else None,
                )
            )
    return FeeSchedule(
        source=SOURCE_APIMO, sale_bands=tuple(bands), rent_rows=tuple(rent), structured=True
    )


@dataclass(frozen=True)
class Mismatch:
    """A listing's fee above its agency's schedule: `charged` and `allowed` in €."""

    kind: str  # "sale", "rent" or "inventory"
    charged: Decimal
    allowed: Decimal
    band: SaleBand | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def sale_mismatch(
    *, price: int | None, net: int | None, percent: Decimal | None, schedule: FeeSchedule
) -> Mismatch | None:
    """A buyer-paid sale (`price` € fees included, `net` € excluding them, `percent` % of
    `net`) against the schedule's bands; None when it fits or cannot be checked."""
    if not schedule.sale_bands or not price:
        return None
    if net is not None and net <= 0:
        net = None  # "0 € excluding fees" from a feed is no price to check against
    if percent is not None and (not percent.is_finite() or percent <= 0):
        percent = None  # nor is a rate of 0, -100 % or less (a division by zero)
    if net is None and percent is not None:
        net_value = Decimal(price) / (1 + percent / 100)
    elif net is not None:
        net_value = Decimal(net)
    else:
        return None
    fees = Decimal(price) - net_value
    if fees <= 0:
        return None  # seller-paid: the price holds no fees to check
    band = schedule.band_for(net_value)
    cumulative = schedule.cumulative_maximum(net_value)
    if cumulative is not None:
        if fees > cumulative + TOLERANCE_EUROS:
            return Mismatch("sale", fees, cumulative, None, {"net": net_value, "cumulative": True})
        return None
    if band is None and not schedule.structured:
        return None  # the band may be on a line of the schedule we could not read
    if band is None:
        return Mismatch("sale", fees, Decimal(0), None, {"net": net_value})
    allowed = band.maximum(net_value)
    if fees > allowed + TOLERANCE_EUROS:
        return Mismatch("sale", fees, allowed, band, {"net": net_value})
    return None


def rent_mismatch(
    *,
    surface: float | None,
    rent: int | None,
    charges: int | None,
    tenant_fees: int | None,
    inventory_fees: int | None,
    schedule: FeeSchedule,
) -> Mismatch | None:
    """A rental's tenant fees (€, état des lieux included) against the schedule's € per m²
    of living area (`surface` m²), or its percentage of the yearly rent excluding charges."""
    if tenant_fees is None:
        return None
    if schedule.tenant_per_m2 is not None and surface:
        area = Decimal(str(surface))
        per_m2 = schedule.tenant_per_m2 + (schedule.inventory_per_m2 or 0)
        allowed = (per_m2 * area).quantize(Decimal("0.01"))
        if tenant_fees > allowed + TOLERANCE_EUROS:
            return Mismatch("rent", Decimal(tenant_fees), allowed, None, {"surface": area})
        if schedule.inventory_per_m2 is not None and inventory_fees is not None:
            cap = (schedule.inventory_per_m2 * area).quantize(Decimal("0.01"))
            if inventory_fees > cap + TOLERANCE_EUROS:
                return Mismatch("inventory", Decimal(inventory_fees), cap, None, {"surface": area})
        return None
    # Only a "Location" row caps a long let's tenant fees; holiday lets (3), programmes (4),
    # life annuities (5), auctions (6) or rows without a category have their own rates.
    row = next(
        (r for r in schedule.rent_rows if r.percent is not None and r.category == RENT_CATEGORY),
        None,
    )
    if row is not None and row.percent is not None and rent:
        yearly = Decimal(rent - (charges or 0)) * 12
        allowed = (yearly * row.percent / 100).quantize(Decimal("0.01"))
        if tenant_fees > allowed + TOLERANCE_EUROS:
            return Mismatch("rent", Decimal(tenant_fees), allowed, None, {"yearly": yearly})
    return None


def has_text(html: str) -> bool:
    """Whether a schedule's HTML says anything: "<p>&nbsp;</p>", "<br>" or an emptied
    editor's markup is no schedule, so the next source serves."""
    return bool(unescape(strip_tags(html or "")).replace("\u00a0", " ").strip())


def web_link(value: Any) -> str:
    """An upstream link to the full schedule, kept only as an http(s) address: the page
    puts it in `href`, where "javascript:" or "data:" would run in the visitor's page."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in {"http", "https"} and parts.netloc else ""


def agency_schedule(
    agency: Agency | None, *, website_text: str = "", website_link: str = ""
) -> FeeSchedule:
    """The one schedule of `agency`: the agent's text in the admin wins, then Apimo
    `rates[]`, then Gedeon `legal.honoraires`, then the website's own text and link
    (Tenant `fee_schedule`, `fee_schedule_url`), for agencies whose feed sends none.
    Empty when none has one."""
    if agency is not None:
        if has_text(agency.fee_schedule):
            return parse_text(agency.fee_schedule, source=SOURCE_ADMIN)
        if agency.rates:
            return parse_rates(agency.rates)
        legal = agency.legal if isinstance(agency.legal, dict) else {}
        honoraires = legal.get("honoraires")
        if isinstance(honoraires, str) and has_text(honoraires):
            return parse_text(
                honoraires,
                source=SOURCE_GEDEON,
                link=web_link(legal.get("url_bareme")),
            )
    if not has_text(website_text):
        website_text = ""
    if website_text or web_link(website_link):
        return parse_text(website_text, source=SOURCE_WEBSITE, link=web_link(website_link))
    return FeeSchedule(source="")


def rate_text(value: Decimal | float) -> str:
    """A rate or a per-m² amount as a schedule states it, without trailing zeros and in the
    active language: Decimal("4.50") -> "4,5" in French, Decimal("100") -> "100"."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return formats.number_format(number, use_l10n=True)
