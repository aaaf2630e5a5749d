"""The grammar of Gedeon's list criteria, in one place (spec "Critères de recherche").

- comma lists: `sell,rent`, `3,4,5`;
- interval lists: `1-5,7`, `-3` (0 to 3), `4-` (4 and more); every bound is included.

Numbers are read as people type them (`number_parts`): ASCII digits 0-9, groups of three
separated by any kind of space (ASCII, no-break, narrow no-break), a decimal comma or
point, a trailing unit (`€`, `m²`). Python's int() and str.isdigit() also take "²", "٣"
or "１", which are no number a visitor meant (and "²" makes int() fail). Every number is
bounded by the largest value its database column holds, so that a 20-digit value is
explained instead of overflowing the query.

Booleans (`boolean`): 1/0, true/false, yes/no, on/off, any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_ITEMS = 20
# The largest values of Django's integer columns (the PostgreSQL ranges; SQLite's are wider).
SMALL_MAX = 32_767
INTEGER_MAX = 2_147_483_647
BIG_MAX = 9_223_372_036_854_775_807
_ASCII_WHOLE = re.compile(r"[0-9]+")
_FRACTION = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?")
_GROUP = re.compile(r"[0-9]{3}")
# "400.000", "1.500.000,50": points between groups of three are thousands separators, as
# French prices are often written; a point before another count of digits ("80.5") is a
# decimal point. Without this, "400.000" € read as 400 € and "1.500.000" was refused.
_POINT_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")
# What people write after a number; the canonical form never has one.
PRICE_UNITS = ("€", "eur", "euros")
SURFACE_UNITS = ("m²", "m2")
UNITS = PRICE_UNITS + SURFACE_UNITS
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
# More digits than any bound has: refused before int() parses them (it refuses > 4300).
_MAX_DIGITS = len(str(BIG_MAX))


class CriterionError(ValueError):
    """A criterion value that does not follow the grammar; the message is for humans."""


@dataclass(frozen=True)
class Interval:
    low: int
    high: int | None  # None: no upper bound

    def contains(self, value: int) -> bool:
        return value >= self.low and (self.high is None or value <= self.high)

    @property
    def includes_zero(self) -> bool:
        return self.contains(0)


def comma_list(raw: str) -> list[str]:
    """Non-empty, stripped items of a comma list, in order, without repeats."""
    items: list[str] = []
    for part in (raw or "").split(","):
        item = part.strip()
        if item and item not in items:
            items.append(item)
    if len(items) > MAX_ITEMS:
        raise CriterionError(_("At most %(count)d values, please.") % {"count": MAX_ITEMS})
    return items


def is_whole_number(text: str) -> bool:
    """True for a non-empty run of ASCII digits 0-9 (no sign, space or other script)."""
    return _ASCII_WHOLE.fullmatch(text) is not None


def number_parts(text: str, units: tuple[str, ...] = UNITS) -> tuple[str, str] | None:
    """(whole digits, fraction digits) of a number as people type it, None when `text` is
    not one: "400 000" (any space or a point between groups of three: "400.000"),
    "200000€", "80 m²", "80,5", "80.5" -> ("80", "5"). No sign, exponent or digits other
    than 0-9. Only `units` may follow: a price field takes "€", not "m²"."""
    body = (text or "").strip()
    lowered = body.lower()
    for unit in units:
        if lowered.endswith(unit) and len(body) > len(unit):
            body = body[: -len(unit)].rstrip()
            break
    groups = [
        part
        for group in body.split()  # splits on every Unicode space: no-break, narrow ones too
        for part in (group.split(".") if _POINT_GROUPS.fullmatch(group) else [group])
    ]
    if not groups:
        return None
    last = _FRACTION.fullmatch(groups[-1])
    if last is None:
        return None
    head = [*groups[:-1], last["whole"]]
    if len(head) > 1 and not (
        1 <= len(head[0]) <= 3
        and is_whole_number(head[0])
        and all(_GROUP.fullmatch(group) for group in head[1:])
    ):
        return None  # "12 5" or "1 0000": not thousands groups, a typo
    return "".join(head), last["fraction"] or ""


def too_large(text: str, maximum: int) -> CriterionError:
    """The explanation of a number over `maximum`, quoting it as typed."""
    return CriterionError(
        _("“%(item)s” is too large: at most %(max)s.")
        % {"item": _shorten(text), "max": french_number(maximum)}
    )


def whole_number(
    text: str, *, maximum: int = BIG_MAX, units: tuple[str, ...] = UNITS
) -> int | None:
    """`text` as a whole number from 0 to `maximum`, as people type it (`number_parts`;
    a zero fraction such as "400 000,00 €" is whole, but not "400,000"); None when it is not one. Raises
    CriterionError when it is greater than `maximum`."""
    parts = number_parts(text, units)
    # "400,000" is 400 written with a French decimal comma, or 400000 written the English
    # way: no whole number is typed so, and guessing wrong is a thousandfold: explained.
    if parts is None or parts[1].strip("0") or len(parts[1]) == 3:
        return None
    digits = parts[0].lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > maximum:
        raise too_large(text, maximum)
    return int(digits)


def decimal_number(
    text: str, *, maximum: int = BIG_MAX, units: tuple[str, ...] = UNITS
) -> Decimal | None:
    """`text` as a number from 0 to `maximum` with its decimals ("80,5 m²" -> 80.5), as
    people type it (`number_parts`); None when it is not one. Raises CriterionError when
    it is greater than `maximum`."""
    parts = number_parts(text, units)
    if parts is None:
        return None
    digits = parts[0].lstrip("0") or "0"
    # Decimals beyond a column's precision mean nothing; the bound keeps Decimal small.
    fraction = parts[1][:6]
    if len(digits) > _MAX_DIGITS or int(digits) > maximum:
        raise too_large(text, maximum)
    value = Decimal(f"{digits}.{fraction or 0}")
    if value > maximum:
        raise too_large(text, maximum)
    return value.normalize() if fraction.strip("0") else Decimal(int(digits))


def canonical_number(value: int | Decimal) -> str:
    """The number as the URL carries it: ASCII digits, a decimal point ("80.5", "400000")."""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f") if value != value.to_integral() else str(int(value))
    return str(value)


def french_number(value: int | Decimal) -> str:
    """The number as a French visitor writes it, whatever the page's language: groups of
    three joined by a no-break space, a decimal comma ("400 000", "80,5")."""
    whole, _dot, fraction = canonical_number(value).partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return "\u00a0".join(groups) + (f",{fraction}" if fraction else "")


def boolean(text: str) -> bool | None:
    """A yes/no criterion: 1/0, true/false, yes/no, on/off (any case, spaces around);
    None for an empty value. Raises CriterionError for anything else."""
    word = (text or "").strip().lower()
    if not word:
        return None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CriterionError(_("Use 1 (yes) or 0 (no)."))


def _shorten(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "…"


def integer_list(raw: str, *, maximum: int = BIG_MAX) -> list[int]:
    """Parse `3,4,5` into whole numbers from 0 to `maximum`."""
    values = []
    for item in comma_list(raw):
        value = whole_number(item, maximum=maximum)
        if value is None:
            raise CriterionError(_("“%(item)s” is not a whole number.") % {"item": _shorten(item)})
        values.append(value)
    return values


def _bound(text: str, whole: str, maximum: int) -> int:
    value = whole_number(text, maximum=maximum)
    if value is None:
        raise CriterionError(
            _("“%(item)s” is not a number or an interval like 1-5, -3 or 4-.")
            % {"item": _shorten(whole)}
        )
    return value


def interval_list(raw: str, *, maximum: int = BIG_MAX) -> list[Interval]:
    """Parse `1-5,7`, `-3`, `4-` into intervals of whole numbers from 0 to `maximum`;
    bounds included, low ≤ high."""
    intervals = []
    for item in comma_list(raw):
        text = item.strip()
        if text == "-":
            raise CriterionError(_("“-” alone is not an interval."))
        if "-" not in text:
            value = _bound(text, item, maximum)
            intervals.append(Interval(value, value))
            continue
        if text.count("-") > 1:
            raise CriterionError(
                _("“%(item)s” is not a number or an interval like 1-5, -3 or 4-.")
                % {"item": _shorten(item)}
            )
        low_text, high_text = (part.strip() for part in text.split("-"))
        low = _bound(low_text, item, maximum) if low_text else 0
        high = _bound(high_text, item, maximum) if high_text else None
        if high is not None and high < low:
            raise CriterionError(
                _("In “%(item)s” the first bound is greater than the second.") % {"item": item}
            )
        intervals.append(Interval(low, high))
    if not intervals:
        raise CriterionError(_("Give at least one number or interval."))
    return intervals
