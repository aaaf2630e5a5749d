"""Great-circle distances in SQL, for `extends` (Gedeon: "3000 pour rechercher 3km aux
alentours"): a bounding box on the indexed latitude and longitude, then the haversine
term of the rows inside it, on SQLite (Django registers the math functions) and
PostgreSQL alike."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import F, FloatField, Func, Q, Value
from django.db.models.lookups import LessThanOrEqual

EARTH_RADIUS = 6_371_008.8  # metres, the mean radius (IUGG)


def box_around(lat: float, lng: float, metres: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees of the box around the circle of `metres`
    around (lat, lng). West and east may pass ±180 when the circle crosses the
    antimeridian (`box_q` wraps them); a circle over a pole spans every longitude.

    The circle is widest poleward of its centre: its longitudes reach
    asin(sin r / cos φ), farther than r / cos φ along the centre's parallel (13 m at
    200 km around Lyon, more farther north)."""
    angle = metres / EARTH_RADIUS
    dlat = math.degrees(angle)
    if abs(lat) + dlat >= 90:
        return (lat - dlat, lat + dlat, -180.0, 180.0)
    ratio = min(1.0, math.sin(angle) / math.cos(math.radians(lat)))
    dlng = math.degrees(math.asin(ratio))
    return (lat - dlat, lat + dlat, lng - dlng, lng + dlng)


def box_q(south: float, north: float, west: float, east: float) -> Q:
    """Rows (latitude, longitude) in the box, in degrees; a box passing ±180 (`box_around`)
    is two longitude ranges, one each side of the antimeridian."""
    latitudes = Q(latitude__range=(south, north))
    if east - west >= 360:
        return latitudes & Q(longitude__range=(-180, 180))
    if west < -180:
        return latitudes & (Q(longitude__gte=west + 360) | Q(longitude__lte=east))
    if east > 180:
        return latitudes & (Q(longitude__gte=west) | Q(longitude__lte=east - 360))
    return latitudes & Q(longitude__range=(west, east))


class Haversine(Func):
    """sin²(Δφ/2) + cos φ₀ · cos φ · sin²(Δλ/2) between each row's (latitude, longitude)
    and (lat, lng), in degrees: the haversine of the central angle. One expression node
    where Django's Sin/Cos/Power made fifteen, which every clone of a search copied."""

    output_field = FloatField()
    template = (
        "(POWER(SIN((RADIANS(%(latitude)s) - %%s) / 2.0), 2)"
        " + %%s * COS(RADIANS(%(latitude)s))"
        " * POWER(SIN((RADIANS(%(longitude)s) - %%s) / 2.0), 2))"
    )

    def __init__(self, lat: float, lng: float, **extra: Any) -> None:
        super().__init__(F("latitude"), F("longitude"), **extra)
        self.centre = (lat, lng)

    def as_sql(  # type: ignore[override]  # takes no function/template overrides
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        latitude, lat_params = compiler.compile(self.source_expressions[0])
        longitude, lng_params = compiler.compile(self.source_expressions[1])
        lat, lng = self.centre
        sql = self.template % {"latitude": latitude, "longitude": longitude}
        params = [
            *lat_params,
            math.radians(lat),
            math.cos(math.radians(lat)),
            *lat_params,
            *lng_params,
            math.radians(lng),
        ]
        return sql, params


def within_q(lat: float, lng: float, metres: float) -> Q:
    """Rows at most `metres` from (lat, lng) in degrees, by great-circle distance
    (haversine on a sphere of the Earth's mean radius: at most 0.5 % off the ellipsoid).
    Callers put it under a box holding the circle (`box_around`), which an index ranges
    over, so that the database computes the distance of few rows (the box alone reached
    41 % farther than asked in its corners). Not repeated here: the same box twice made
    a two-place search's SQL a third longer, and its planning as much slower."""
    # distance <= metres  <=>  haversine <= sin²(metres / 2R): no ASin per row.
    limit = math.sin(min(metres / (2 * EARTH_RADIUS), math.pi / 2)) ** 2
    return Q(LessThanOrEqual(Haversine(lat, lng), Value(limit)))
