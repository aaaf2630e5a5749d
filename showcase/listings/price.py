"""The price block French law requires (docs/legal.md §1-2), as data for the template.

On French pages from Gedeon's `priceInfo` when present (its texts sanitized, a fact it
repeats shown once), otherwise built from the structured fields (Apimo listings, or
Gedeon without `priceInfo`). `priceInfo` is written in French only (spec "priceInfo"),
so English and German pages build the block from the structured fields with our own
translated wording, and keep only the upstream lines those fields do not cover, marked
`lang="fr"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from showcase.core.html import clean_inline_price_html
from showcase.listings.models import Listing, Transaction
from showcase.listings.text import city_key

SALE_KINDS = {Transaction.SELL, Transaction.VIAGER, Transaction.PROGRAM, Transaction.SOLD}
BUYER_WORDS = {"acquereur", "acquéreur", "acheteur", "buyer", "acquereurs", "acquéreurs"}
SELLER_WORDS = {"vendeur", "seller", "vendeurs", "mandant"}
MONTHLY_WORDS = {"", "mois", "month", "mensuel", "par mois"}
# Upstream transaction labels (Apimo category, Gedeon `transaction_type`) of rentals,
# as `city_key` writes them: "Location", "Location saisonnière", "Location de Vacances".
RENTAL_LABELS = {"location", "rent", "rental", "holiday", "holidays", "miete", "vermietung"}
HOLIDAY_LABELS = ("saisonn", "vacances", "holiday", "ferien")
# Words by which an upstream price text (Gedeon `priceInfo`) gives a rent's period.
PERIOD_WORDS = re.compile(
    r"/|\b(mois|mensuel\w*|month\w*|semaine\w*|week\w*|jours?|day|nuit\w*|night\w*"
    r"|an|ans|annuel\w*|ann[ée]e|year\w*|trimestr\w*|quinzaine|semestr\w*)\b",
    re.IGNORECASE,
)


# A rent's period as upstreams write it (Apimo's `property_period` labels, Gedeon's
# `rent_period`), keyed by `city_key` -> its name in the page's language.
PERIOD_NAMES = {
    word: name
    for words, name in (
        (("jour", "journalier", "day", "daily", "tag"), pgettext_lazy("rent period", "day")),
        (("nuit", "nuitee", "night", "nacht"), pgettext_lazy("rent period", "night")),
        (
            ("semaine", "hebdomadaire", "week", "weekly", "woche"),
            pgettext_lazy("rent period", "week"),
        ),
        (
            ("quinzaine", "bimensuel", "fortnight", "2 weeks"),
            pgettext_lazy("rent period", "fortnight"),
        ),
        (("mois", "mensuel", "month", "monthly", "monat"), pgettext_lazy("rent period", "month")),
        (("trimestre", "trimestriel", "quarter"), pgettext_lazy("rent period", "quarter")),
        (("semestre", "semestriel", "half year"), pgettext_lazy("rent period", "half-year")),
        (("an", "annee", "annuel", "year", "yearly", "jahr"), pgettext_lazy("rent period", "year")),
    )
    for word in words
}


def period_name(period: str) -> str:
    """A rent's period in the page's language ("Semaine" -> "week" in English); one no
    table names is kept as the agency wrote it."""
    name = PERIOD_NAMES.get(city_key(period).removeprefix("par ").lstrip("/ ").strip())
    return str(name) if name is not None else period.strip()


@dataclass
class PriceBlock:
    amount: str = ""  # the main price, e.g. "385 000 €"
    prefix: str = ""
    suffix: str = ""
    details: list[SafeString] = field(default_factory=list)  # mandatory mentions, one a line
    on_request: bool = False
    # The topic of each line of `details` (see `topic`), "" when unknown.
    topics: list[str] = field(default_factory=list)


# The facts a price line can state, recognised in French upstream text (spec "priceInfo",
# A2017 art. 3 and 4); the first that matches wins, so the narrower ones come first.
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("inventory_fees", re.compile(r"\betat des lieux\b")),
    ("tenant_fees", re.compile(r"\blocataire")),
    ("excluding_fees", re.compile(r"hors hono|\bnet vendeur|\bhh\b")),
    ("copro_lots", re.compile(r"\blots?\b")),
    ("copro_charges", re.compile(r"quote part|charges (annuelles|courantes)")),
    ("copro_procedure", re.compile(r"\bprocedure|\bsyndic")),
    ("fees", re.compile(r"\bhonoraires\b|\bfai\b")),
    ("deposit", re.compile(r"\bdepot\b|\bgarantie\b")),
    ("charges", re.compile(r"\bcharges?\b")),
)
AMOUNT = re.compile(r"\d[\d\s\u00a0\u202f.]*(?:,\d+)?")


def topic(line: str) -> str:
    """The fact an upstream French price line states ("excluding_fees", "fees", "deposit",
    ...), "" when it is none we know."""
    words = city_key(strip_tags(line).replace("\u00a0", " "))
    return next((name for name, pattern in TOPICS if pattern.search(words)), "")


def _amounts(line: str) -> frozenset[str]:
    return frozenset(re.sub(r"\D", "", a) for a in AMOUNT.findall(strip_tags(line)))


def _once(lines: list[SafeString]) -> list[SafeString]:
    """Each fact once: `priceInfo` may say the price before fees in `moreinfos` and again
    in `alurinfos` ("366 667 € hors honoraires", "Prix hors honoraires : 366 667 €")."""
    seen: set[tuple[str, frozenset[str]] | str] = set()
    kept = []
    for line in lines:
        subject = topic(line)
        key = (subject, _amounts(line)) if subject else city_key(strip_tags(line))
        if key not in seen:
            seen.add(key)
            kept.append(line)
    return kept


def in_french(text: str) -> SafeString:
    """Upstream French text inside a page in another language: marked for screen readers
    and translation tools (WCAG 3.1.2). Escaped unless already safe."""
    if not text or (get_language() or "fr").startswith("fr"):
        return conditional_escape(text)
    return format_html('<span lang="fr">{}</span>', text)


def euros(amount: int | float | Decimal | None) -> str:
    if amount is None:
        return ""
    amount_text = number_format(amount, 0, force_grouping=True)  # grouping per locale
    # English writes the sign first (€250,000); French and German after (250 000 €, 250.000 €).
    if (get_language() or "").startswith("en"):
        return f"€{amount_text}"
    return f"{amount_text}\u00a0€"


def percent(value: Decimal | float) -> str:
    """ "5,26 %" in French and German (a space before the sign), "5.26%" in English."""
    sign = "%" if (get_language() or "").startswith("en") else "\u00a0%"
    return f"{number_format(value, 2, force_grouping=True)}{sign}"


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
        details=_once(_texts(entry.get("moreinfos")) + _texts(entry.get("alurinfos"))),
    )


def is_let(listing: Listing) -> bool:
    """A closed rental: Apimo statuses 30-32 ("vendu/loué") and Gedeon's "O" mean *let*
    on a rental and *sold* on a sale. Both store the transaction `sold`; the offer it
    closed is told by the upstream label (`transaction_label`) or by a rent period."""
    if listing.transaction != Transaction.SOLD:
        return False
    first_word = (city_key(listing.transaction_label).split() or [""])[0]
    return first_word in RENTAL_LABELS or bool((listing.rent_period or "").strip())


def offered(listing: Listing) -> str:
    """The transaction the listing was offered as: a let one is a rental again (or a
    holiday rental), so its rent keeps its period; the others are their transaction."""
    if not is_let(listing):
        return str(listing.transaction)
    label = city_key(listing.transaction_label)
    return Transaction.HOLIDAYS if any(w in label for w in HOLIDAY_LABELS) else Transaction.RENT


def closed_state(listing: Listing) -> str:
    """ "Let" or "Sold" for a closed listing, "" for a live offer."""
    if listing.transaction != Transaction.SOLD:
        return ""
    return _("Let") if is_let(listing) else _("Sold")


def transaction_name(listing: Listing) -> str:
    """The transaction as the pages name it: "Let" rather than "Sold" for a let rental."""
    return _("Let") if is_let(listing) else str(listing.get_transaction_display())


def has_price(listing: Listing) -> bool:
    """An amount to show: a price above 0 € that the agency does not keep on request."""
    return bool(listing.price) and not listing.price_hidden


def who_pays(listing: Listing) -> str:
    word = (listing.fees_paid_by or "").strip().lower()
    if word in BUYER_WORDS or "acqu" in word:
        return "buyer"
    if word in SELLER_WORDS or "vend" in word:
        return "seller"
    if "partag" in word or "both" in word:
        return "both"
    return ""


def from_fields(listing: Listing) -> PriceBlock:
    """The mandatory mentions built from structured fields (A2017 art. 3 and 4), in the
    page's language; amounts in €."""
    block = PriceBlock(amount=euros(listing.price))

    def add(subject: str, line: SafeString) -> None:
        block.details.append(line)
        block.topics.append(subject)

    transaction = offered(listing)
    if transaction in SALE_KINDS:
        payer = who_pays(listing)
        if payer in {"buyer", "both"} and listing.price_excluding_fees:
            block.suffix = _("fees included")
            add(
                "excluding_fees",
                format_html(_("{} excluding fees"), euros(listing.price_excluding_fees)),
            )
            if listing.fees_percent is not None:
                text = (
                    _("Fees: %(percent)s incl. VAT, paid by the buyer")
                    if payer == "buyer"
                    else _("Fees: %(percent)s incl. VAT, shared between buyer and seller")
                )
                add("fees", format_html("{}", text % {"percent": percent(listing.fees_percent)}))
        elif payer == "seller":
            add("fees", format_html("{}", _("Fees paid by the seller")))
        if listing.copropriete:
            if listing.copropriete_lots:
                add(
                    "copro_lots",
                    format_html(
                        "{}",
                        _("Property in a copropriété of %(lots)s lots")
                        % {"lots": listing.copropriete_lots},
                    ),
                )
            if listing.copropriete_charges:
                add(
                    "copro_charges",
                    format_html(
                        "{}",
                        _("Average annual share of current charges: %(amount)s")
                        % {"amount": euros(listing.copropriete_charges)},
                    ),
                )
            if listing.copropriete_procedure:
                add("copro_procedure", in_french(listing.copropriete_procedure))
    elif transaction == Transaction.RENT:
        period = other_rent_period(listing)
        # A rent for another period (an Apimo lease by the year) is not given per month.
        block.suffix = f"/ {period_name(period)}" if period else _("per month, charges included")
        if listing.charges is not None:
            add(
                "charges",
                format_html(
                    "{}",
                    _("of which %(amount)s of charges (provision with annual adjustment)")
                    % {"amount": euros(listing.charges)},
                ),
            )
        if listing.deposit is not None:
            add(
                "deposit",
                format_html("{}", _("Deposit: %(amount)s") % {"amount": euros(listing.deposit)}),
            )
        if listing.tenant_fees is not None:
            text = _("Fees paid by the tenant: %(amount)s incl. VAT") % {
                "amount": euros(listing.tenant_fees)
            }
            if listing.inventory_fees is not None:
                text += " " + _("of which %(amount)s for the check-in inventory") % {
                    "amount": euros(listing.inventory_fees)
                }
                block.topics.append("inventory_fees")
                block.details.append(format_html("{}", text))
            else:
                add("tenant_fees", format_html("{}", text))
    elif transaction == Transaction.HOLIDAYS and listing.rent_period:
        block.suffix = f"/ {period_name(listing.rent_period)}"
    return block


def other_rent_period(listing: Listing) -> str:
    """The rent's period when it is not the month ("" for a monthly rent)."""
    period = (listing.rent_period or "").strip()
    return "" if period.lower() in MONTHLY_WORDS else period


# Upstream prefixes of the amount (spec "priceInfo": "prefix") we can say in every language.
PREFIXES = {"a partir de": "from", "des": "from", "bouquet": "bouquet", "loyer": "rent"}


def _prefix_name(prefix: str) -> SafeString:
    known = PREFIXES.get(city_key(strip_tags(prefix)).rstrip(" :"))
    if known == "from":
        return format_html("{}", pgettext("price", "From"))
    if known == "bouquet":
        return format_html("{}", _("Down payment (bouquet)"))
    if known == "rent":
        return format_html("{}", _("Rent"))
    return in_french(prefix)


# Whole upstream price lines we can say in every language (by `city_key`).
KNOWN_LINES = {
    "taxe de sejour en sus": lambda: _("Tourist tax not included"),
    "taxe de sejour incluse": lambda: _("Tourist tax included"),
}


def translated(upstream: PriceBlock, listing: Listing) -> PriceBlock:
    """The block of an English or German page: our wording from the structured fields,
    plus each upstream line on a fact they do not give, marked as French."""
    block = from_fields(listing)
    if upstream.prefix and not block.prefix:
        block.prefix = _prefix_name(upstream.prefix)
    covered = set(block.topics)
    # "excluding_fees" built from the fields also says who pays; "inventory_fees" the
    # tenant's fees.
    if "inventory_fees" in covered:
        covered.add("tenant_fees")
    for line in upstream.details:
        subject = topic(line)
        if subject and subject in covered:
            continue
        known = KNOWN_LINES.get(city_key(strip_tags(line)).rstrip(" ."))
        block.details.append(format_html("{}", known()) if known else in_french(line))
        block.topics.append(subject)
    if not block.suffix and upstream.suffix:
        block.suffix = _suffix_name(upstream.suffix, listing)
    return block


def _suffix_name(suffix: str, listing: Listing) -> SafeString:
    """An upstream suffix ("honoraires inclus", "CC/mois", "/semaine") in the page's
    language when we know its words, as written (marked French) otherwise."""
    words = city_key(strip_tags(suffix))
    if re.fullmatch(r"(honoraires inclus|fai)", words):
        return format_html("{}", _("fees included"))
    if re.fullmatch(r"(cc|charges comprises)?\s*(/|par)?\s*mois", words):
        return format_html("{}", _("per month, charges included"))
    if PERIOD_NAMES.get(words.lstrip("/ ").removeprefix("par ").strip()) is not None:
        return format_html("/ {}", period_name(words))
    return in_french(suffix)


def price_block(listing: Listing) -> PriceBlock:
    """The block of the detail page. Without an amount (none, 0 €, or kept on request) a
    live listing says "Price on request" and a closed one its state ("Sold", "Let"),
    whatever `priceInfo` says (Gedeon formats a price of 0 as "0 €")."""
    if not has_price(listing):
        state = closed_state(listing)
        if state:
            return PriceBlock(amount=state)
        return PriceBlock(amount=_("Price on request"), on_request=True)
    from_upstream = from_price_info(listing.price_info)
    if from_upstream is None:
        return from_fields(listing)
    if not (get_language() or "fr").startswith("fr"):
        return translated(from_upstream, listing)
    return _with_period(from_upstream, listing)


def _with_period(block: PriceBlock, listing: Listing) -> PriceBlock:
    """A rent from upstream text keeps its period: ours is added when the text names none."""
    transaction = offered(listing)
    if transaction not in (Transaction.RENT, Transaction.HOLIDAYS):
        return block
    written = strip_tags(f"{block.prefix} {block.amount} {block.suffix}")
    if PERIOD_WORDS.search(written):
        return block
    period = from_fields(listing).suffix
    if period:
        block.suffix = SafeString(f"{block.suffix} {conditional_escape(period)}".strip())
    return block


def short_price(listing: Listing) -> str:
    """The price as a card shows it: amount and, for rentals (let ones too), the period;
    the state of a closed listing without an amount, "Price on request" otherwise."""
    if not has_price(listing):
        return closed_state(listing) or _("Price on request")
    transaction = offered(listing)
    if transaction == Transaction.RENT:
        period = other_rent_period(listing)
        if period:
            return f"{euros(listing.price)} / {period_name(period)}"
        return _("%(amount)s per month") % {"amount": euros(listing.price)}
    if transaction == Transaction.HOLIDAYS and listing.rent_period:
        return f"{euros(listing.price)} / {period_name(listing.rent_period)}"
    return euros(listing.price)
