"""Defensive readers for upstream JSON values: accept the forms seen, never crash."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

_MS_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


def text(value: Any, *, limit: int | None = None) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    result = str(value).strip()
    return result[:limit] if limit else result


def number(value: Any) -> float | None:
    """A float from 12, 12.5, "12", "12,5", "2.0"; None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        cleaned = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not cleaned:
            return None
        try:
            return float(cleaned)
        except ValueError:
            return None
    return None


def integer(value: Any) -> int | None:
    result = number(value)
    if result is None or result != result or abs(result) > 9e15:  # NaN or absurd
        return None
    return round(result)


def positive_integer(value: Any) -> int | None:
    result = integer(value)
    return result if result is not None and result >= 0 else None


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
        seconds = value / 1000 if value > 10**11 else value
        try:
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
    """A date from ISO `2024-05-02`, French `02/05/2024`, or any form `moment` reads."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        raw = value.strip()
        french = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
        try:
            if french:
                return date(int(french.group(3)), int(french.group(2)), int(french.group(1)))
            parsed = parse_date(raw[:10])
        except ValueError:
            return None
        if parsed is not None:
            return parsed
    found = moment(value) if not isinstance(value, str) or "Date(" in value else None
    return found.date() if found else None
