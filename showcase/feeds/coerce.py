"""Defensive readers for upstream JSON values: accept the forms seen, never crash."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from showcase.core.mixed_content import secure_url

_MS_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


def text(value: Any, *, limit: int | None = None) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    result = str(value).strip()
    return result[:limit] if limit else result


def postcode(value: Any) -> str:
    """A postcode as written; one sent as a JSON number lost its leading zero (6100 for
    Nice's "06100"), which a 4-digit number gets back. A 4-digit string ("1000", a
    Belgian postcode) is kept as it is."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return f"0{value}"
    return text(value, limit=10)


def number(value: Any) -> float | None:
    """A float from 12, 12.5, "12", "12,5", "2.0"; None for anything else, NaN and the
    infinities included ("NaN", "Infinity", "1e400", or the bare NaN Python's json reads):
    no upstream measure is one, and they would be stored and shown as "nan" or crash the
    arithmetic done on them."""
    if value is None or isinstance(value, bool):
        return None
    result: float | None = None
    if isinstance(value, (int, float)):
        try:
            result = float(value)
        except OverflowError:  # an int too large for a float
            return None
    elif isinstance(value, str):
        cleaned = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not cleaned:
            return None
        try:
            result = float(cleaned)
        except ValueError:
            return None
    return result if result is not None and math.isfinite(result) else None


def _exact(value: Any) -> Decimal | None:
    """The figure as written ("3,5", 2.5, "14.05"), exactly: a float's shortest repr, so
    that 2.5 and "2,5" are the same number; None for NaN, infinities and absurd sizes."""
    result = number(value)
    if result is None or not math.isfinite(result) or abs(result) > 9e15:
        return None
    return Decimal(repr(result))


def integer(value: Any) -> int | None:
    """A whole number, halves rounded up in size (2.5 -> 3, "3,5" -> 4, -0.5 -> -1): one
    rule whatever the form (Python's round() sent 2.5 to 2 but 3.5 to 4)."""
    exact = _exact(value)
    return None if exact is None else int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def positive_integer(value: Any) -> int | None:
    result = integer(value)
    return result if result is not None and result >= 0 else None


def room_count(value: Any) -> int | None:
    """Rooms (`nb_rooms`, Apimo `rooms`): whole rooms only, so a half room never counts
    as a room (3.5 and "3,5" -> 3, "2.0" -> 2). Rounding up would advertise a room the
    property does not have; the same rule applies whatever the upstream's number format.
    None for negatives and anything that is not a number."""
    exact = _exact(value)
    if exact is None or exact < 0:
        return None
    return int(exact.quantize(Decimal(1), rounding=ROUND_FLOOR))


def surface(value: Any) -> float | None:
    """An area in m², with the precision the agency gave (52.12 stays 52.12), rounded to
    the centimetre of a m² (two decimals) only to drop float noise; None unless > 0."""
    exact = _exact(value)
    if exact is None or exact <= 0:
        return None
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def position(latitude: Any, longitude: Any) -> tuple[float, float] | None:
    """(latitude, longitude) in degrees, or None when they cannot be a real position:
    either missing or not a number, NaN, out of range (|lat| > 90, |lng| > 180), or the
    (0, 0) that software writes for "no coordinates" (a point in the Gulf of Guinea,
    where no listing stands)."""
    lat, lng = number(latitude), number(longitude)
    if lat is None or lng is None or not (math.isfinite(lat) and math.isfinite(lng)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    if lat == 0 and lng == 0:
        return None
    return lat, lng


def https_url(value: Any, *, limit: int = 500) -> str:
    """An absolute http(s) URL with `http://` upgraded to `https://` (but for a loopback
    development server: `secure_url`), "" for anything else. Browsers already upgrade or block `http://` images on an https page (mixed
    content), so the upgrade never loses an image a visitor would have seen."""
    url = secure_url(text(value, limit=limit + 1))
    if url[:8].lower() != "https://" and not url[:7].lower() == "http://":
        return ""
    if len(url) > limit:
        return ""
    return url


def decimal(value: Any, places: int = 2) -> Decimal | None:
    result = number(value)
    if result is None:
        return None
    try:
        return Decimal(str(result)).quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        return None


def boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"1", "true", "yes", "oui", "o", "y", "vrai"}:
            return True
        if lowered in {"0", "false", "no", "non", "n", "faux", ""}:
            return False
    return None


def moment(value: Any) -> datetime | None:
    """A datetime from `\\/Date(ms)\\/`, ISO 8601, a date, or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = value / 1000 if value > 10**11 else value
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    raw = value.strip().replace("\\/", "/")
    match = _MS_DATE.search(raw)
    if match:
        try:
            return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        parsed = parse_datetime(raw.replace(" ", "T", 1)) if ("T" in raw or ":" in raw) else None
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    day = day_of(raw)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def day_of(value: Any) -> date | None:
    """A date from ISO `2024-05-02` (or `2024/05/02`), French `02/05/2024` (or with
    dashes or dots, `02-05-2024`, `02.05.2024`), or any form `moment` reads."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        raw = value.strip()
        french = re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", raw)
        slashed = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", raw)
        try:
            if french:
                return date(int(french.group(4)), int(french.group(3)), int(french.group(1)))
            if slashed:
                return date(int(slashed.group(1)), int(slashed.group(2)), int(slashed.group(3)))
            parsed = parse_date(raw[:10])
        except ValueError:
            return None
        if parsed is not None:
            return parsed
    found = moment(value) if not isinstance(value, str) or "Date(" in value else None
    return found.date() if found else None


def ranked(details: dict[str, Any]) -> dict[str, Any]:
    """An upstream object of objects with each value's rank in it (`position`): stored in
    PostgreSQL's jsonb, which reorders keys, it still shows in the agency's order."""
    return {
        name: {**(info if isinstance(info, dict) else {}), "position": position}
        for position, (name, info) in enumerate(details.items())
    }
