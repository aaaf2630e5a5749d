"""The price block French law requires (docs/legal.md §1-2), as data for the template.

From Gedeon's `priceInfo` when present (its texts sanitized), otherwise built
from the structured fields (Apimo listings, or Gedeon without `priceInfo`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from showcase.core.html import clean_inline_price_html
from showcase.listings.models import Listing, Transaction

SALE_KINDS = {Transaction.SELL, Transaction.VIAGER, Transaction.PROGRAM, Transaction.SOLD}
BUYER_WORDS = {"acquereur", "acquéreur", "acheteur", "buyer", "acquereurs", "acquéreurs"}
SELLER_WORDS = {"vendeur", "seller", "vendeurs", "mandant"}
MONTHLY_WORDS = {"", "mois", "month", "mensuel", "par mois"}


@dataclass
class PriceBlock:
    amount: str = ""  # the main price, e.g. "385 000 €"
    prefix: str = ""
    suffix: str = ""
    details: list[SafeString] = field(default_factory=list)  # mandatory mentions, one a line
    on_request: bool = False


def euros(amount: int | float | Decimal | None) -> str:
    if amount is None:
        return ""
    amount_text = number_format(amount, 0, force_grouping=True)  # grouping per locale
    # English writes the sign first (€250,000); French and German after (250 000 €, 250.000 €).
    if (get_language() or "").startswith("en"):
        return f"€{amount_text}"
    return f"{amount_text}\u00a0€"


def percent(value: Decimal | float) -> str:
    return f"{number_format(value, 2, force_grouping=True)}\u00a0%"


def clean_inline_html(value: Any) -> SafeString:
    """Upstream text or HTML (None, a number) reduced to inline formatting (allow-list)."""
    return clean_inline_price_html("" if value is None else str(value))


def _texts(block: Any) -> list[SafeString]:
    values: Iterable[Any]
    if isinstance(block, dict):
        values = block.values()
    elif isinstance(block, list):
        values = block
    elif block:
        values = [block]
    else:
        values = []
    cleaned = [clean_inline_html(v) for v in values if isinstance(v, (str, int, float))]
    return [c for c in cleaned if c]


def from_price_info(price_info: dict[str, Any]) -> PriceBlock | None:
    """Gedeon `priceInfo`: `{<key>: {euros, prefix, suffix, euros+, moreinfos, alurinfos}}`."""
    if not isinstance(price_info, dict):
        return None
    entry = next(
        (
            v
            for v in price_info.values()
            if isinstance(v, dict) and (v.get("euros") or v.get("euros+"))
        ),
        None,
    )
    if entry is None and (price_info.get("euros") or price_info.get("euros+")):
        entry = price_info
    if entry is None:
        return None
    amount = clean_inline_html(entry.get("euros") or entry.get("euros+"))
    return PriceBlock(
        amount=amount,
        prefix=clean_inline_html(entry.get("prefix")),
        suffix=clean_inline_html(entry.get("suffix")),
        details=_texts(entry.get("moreinfos")) + _texts(entry.get("alurinfos")),
    )


def _who_pays(listing: Listing) -> str:
    word = (listing.fees_paid_by or "").strip().lower()
    if word in BUYER_WORDS or "acqu" in word:
        return "buyer"
    if word in SELLER_WORDS or "vend" in word:
        return "seller"
    if "partag" in word or "both" in word:
        return "both"
    return ""


def from_fields(listing: Listing) -> PriceBlock:
    """The mandatory mentions built from structured fields (A2017 art. 3 and 4)."""
    block = PriceBlock(amount=euros(listing.price))
    lines: list[SafeString] = []
    if listing.transaction in SALE_KINDS:
        payer = _who_pays(listing)
        if payer in {"buyer", "both"} and listing.price_excluding_fees:
            block.suffix = _("fees included")
            lines.append(format_html(_("{} excluding fees"), euros(listing.price_excluding_fees)))
            if listing.fees_percent is not None:
                text = (
                    _("Fees: %(percent)s incl. VAT, paid by the buyer")
                    if payer == "buyer"
                    else _("Fees: %(percent)s incl. VAT, shared between buyer and seller")
                )
                lines.append(format_html("{}", text % {"percent": percent(listing.fees_percent)}))
        elif payer == "seller":
            lines.append(format_html("{}", _("Fees paid by the seller")))
        if listing.copropriete:
            if listing.copropriete_lots:
                lines.append(
                    format_html(
                        "{}",
                        _("Property in a copropriété of %(lots)s lots")
                        % {"lots": listing.copropriete_lots},
                    )
                )
            if listing.copropriete_charges:
                lines.append(
                    format_html(
                        "{}",
                        _("Average annual share of current charges: %(amount)s")
                        % {"amount": euros(listing.copropriete_charges)},
                    )
                )
            if listing.copropriete_procedure:
                lines.append(format_html("{}", listing.copropriete_procedure))
    elif listing.transaction == Transaction.RENT:
        period = other_rent_period(listing)
        # A rent for another period (an Apimo lease by the year) is not given per month.
        block.suffix = f"/ {period}" if period else _("per month, charges included")
        if listing.charges is not None:
            lines.append(
                format_html(
                    "{}",
                    _("of which %(amount)s of charges (provision with annual adjustment)")
                    % {"amount": euros(listing.charges)},
                )
            )
        if listing.deposit is not None:
            lines.append(
                format_html("{}", _("Deposit: %(amount)s") % {"amount": euros(listing.deposit)})
            )
        if listing.tenant_fees is not None:
            text = _("Fees paid by the tenant: %(amount)s incl. VAT") % {
                "amount": euros(listing.tenant_fees)
            }
            if listing.inventory_fees is not None:
                text += " " + _("of which %(amount)s for the check-in inventory") % {
                    "amount": euros(listing.inventory_fees)
                }
            lines.append(format_html("{}", text))
    elif listing.transaction == Transaction.HOLIDAYS and listing.rent_period:
        block.suffix = f"/ {listing.rent_period}"
    block.details = lines
    return block


def other_rent_period(listing: Listing) -> str:
    """The rent's period when it is not the month ("" for a monthly rent)."""
    period = (listing.rent_period or "").strip()
    return "" if period.lower() in MONTHLY_WORDS else period


def price_block(listing: Listing) -> PriceBlock:
    if listing.price_hidden:
        return PriceBlock(amount=_("Price on request"), on_request=True)
    from_upstream = from_price_info(listing.price_info)
    if from_upstream is not None:
        return from_upstream
    if listing.price is None:
        return PriceBlock(amount=_("Price on request"), on_request=True)
    return from_fields(listing)


def short_price(listing: Listing) -> str:
    """The price as a card shows it: amount and, for rentals, the period."""
    if listing.price_hidden or listing.price is None:
        return _("Price on request")
    if listing.transaction == Transaction.RENT:
        period = other_rent_period(listing)
        if period:
            return f"{euros(listing.price)} / {period}"
        return _("%(amount)s per month") % {"amount": euros(listing.price)}
    if listing.transaction == Transaction.HOLIDAYS and listing.rent_period:
        return f"{euros(listing.price)} / {listing.rent_period}"
    return euros(listing.price)
