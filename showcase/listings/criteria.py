"""The grammar of Gedeon's list criteria, in one place (spec "Critères de recherche").

- comma lists: `sell,rent`, `3,4,5`;
- interval lists: `1-5,7`, `-3` (0 to 3), `4-` (4 and more); every bound is included.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_ITEMS = 20


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


def integer_list(raw: str) -> list[int]:
    values = []
    for item in comma_list(raw):
        if not item.isdigit():
            raise CriterionError(_("“%(item)s” is not a whole number.") % {"item": item})
        values.append(int(item))
    return values


def _bound(text: str, whole: str) -> int:
    if not text.isdigit():
        raise CriterionError(
            _("“%(item)s” is not a number or an interval like 1-5, -3 or 4-.") % {"item": whole}
        )
    return int(text)


def interval_list(raw: str) -> list[Interval]:
    """Parse `1-5,7`, `-3`, `4-` into intervals; bounds included, low ≤ high."""
    intervals = []
    for item in comma_list(raw):
        text = item.replace(" ", "")
        if text == "-":
            raise CriterionError(_("“-” alone is not an interval."))
        if "-" not in text:
            value = _bound(text, item)
            intervals.append(Interval(value, value))
            continue
        if text.count("-") > 1:
            raise CriterionError(
                _("“%(item)s” is not a number or an interval like 1-5, -3 or 4-.") % {"item": item}
            )
        low_text, high_text = text.split("-")
        low = _bound(low_text, item) if low_text else 0
        high = _bound(high_text, item) if high_text else None
        if high is not None and high < low:
            raise CriterionError(
                _("In “%(item)s” the first bound is greater than the second.") % {"item": item}
            )
        intervals.append(Interval(low, high))
    if not intervals:
        raise CriterionError(_("Give at least one number or interval."))
    return intervals
