"""Opening hours in Gedeon's simplified format: `Mo 08:00-12:00,13:30-17:45;Tu ...`.

"Simplified": no day ranges, no comments, no holidays (spec, "Format horaires").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DAYS = (
    ("Mo", _("Monday")),
    ("Tu", _("Tuesday")),
    ("We", _("Wednesday")),
    ("Th", _("Thursday")),
    ("Fr", _("Friday")),
    ("Sa", _("Saturday")),
    ("Su", _("Sunday")),
)
RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class DayHours:
    code: str
    name: str
    ranges: tuple[tuple[str, str], ...]  # (("08:00", "12:00"), ...); empty = closed


def parse_opening_hours(text: str) -> list[DayHours] | None:
    """The week, Monday first; None when the text is not in the format (show it raw)."""
    if not text or not text.strip():
        return None
    found: dict[str, list[tuple[str, str]]] = {}
    for chunk in text.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        day, _sep, times = chunk.partition(" ")
        if day not in dict(DAYS) or day in found:
            return None
        ranges = []
        for part in times.split(","):
            match = RANGE.match(part.strip())
            if not match:
                return None
            start, end = f"{match[1]}:{match[2]}", f"{match[3]}:{match[4]}"
            if end <= start:
                return None
            ranges.append((start, end))
        found[day] = ranges
    return [DayHours(code, str(name), tuple(found.get(code, ()))) for code, name in DAYS]
