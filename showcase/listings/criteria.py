"""The grammar of Gedeon's list criteria, in one place (spec "Critères de recherche").

- comma lists: `sell,rent`, `3,4,5`;
- interval lists: `1-5,7`, `-3` (0 to 3), `4-` (4 and more); every bound is included.

Numbers are written with the ASCII digits 0-9 only: Python's int() and str.isdigit() also
take "²", "٣" or "１", which are no number a visitor meant (and "²" makes int() fail).
Every number is bounded by the largest value its database column holds, so that a
20-digit value is explained instead of overflowing the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_ITEMS = 20
# The largest values of Django's integer columns (the PostgreSQL ranges; SQLite's are wider).
SMALL_MAX = 32_767
INTEGER_MAX = 2_147_483_647
BIG_MAX = 9_223_372_036_854_775_807
_ASCII_WHOLE = re.compile(r"[0-9]+")
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


def whole_number(text: str, *, maximum: int = BIG_MAX) -> int | None:
    """`text` as a whole number from 0 to `maximum`; None when it is not one written in
    ASCII digits. Raises CriterionError when it is greater than `maximum`."""
    if not is_whole_number(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > maximum:
        raise CriterionError(
            _("“%(item)s” is too large: at most %(max)s.")
            % {"item": _shorten(text), "max": maximum}
        )
    return int(digits)


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
        text = item.replace(" ", "")
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
        low_text, high_text = text.split("-")
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
