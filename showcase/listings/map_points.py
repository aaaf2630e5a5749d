"""The search results as map points (JSON), fetched by static/js/map.js only when the
visitor opens the map. Same criteria and FilterSet as the list; bounded in size."""

from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse

from showcase.core.site import SiteRequest
from showcase.listings.models import Listing
from showcase.listings.price import short_price
from showcase.listings.search import listing_search

# Fields the point needs: position, privacy, the popup's title, price and link.
POINT_FIELDS = (
    "id",
    "title",
    "property_type",
    "city",
    "latitude",
    "longitude",
    "accuracy",
    "address",
    "address_public",
    "price",
    "price_hidden",
    "transaction",
    "transaction_label",  # a let listing's price keeps its period
    "rent_period",
)
MIN_APPROXIMATE_RADIUS = 250  # metres, as on the detail page
# A stored position that can be drawn: in range and not the (0, 0) of "no coordinates".
# The mappings store no other (showcase/feeds/coerce.py `position`); this guards rows
# synced before they did.
PLAUSIBLE_POSITION = Q(
    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
) & ~Q(latitude=0, longitude=0)


def is_plausible(latitude: float | None, longitude: float | None) -> bool:
    """True for a position in degrees that can be drawn (the rule of PLAUSIBLE_POSITION)."""
    if latitude is None or longitude is None:
        return False
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return False
    in_range = -90 <= latitude <= 90 and -180 <= longitude <= 180
    return in_range and not (latitude == 0 and longitude == 0)


def point(listing: Listing) -> dict:
    """A located listing's point: `lat`/`lng` in degrees (5 decimals: about a metre),
    `radius` in metres. Raises ValueError for a listing without a plausible position."""
    lat, lng = listing.latitude, listing.longitude
    if lat is None or lng is None or not is_plausible(lat, lng):  # map_points asks for those
        raise ValueError(f"Listing {listing.pk} has no position.")
    precise = bool(listing.address_public and listing.address)
    return {
        "id": listing.pk,
        "lat": round(lat, 5),
        "lng": round(lng, 5),
        # Not public: a circle of at least 250 m around the (already approximate) position.
        "radius": 0 if precise else max(int(listing.accuracy or 0), MIN_APPROXIMATE_RADIUS),
        "title": str(listing),
        "price": short_price(listing),
        "url": listing.get_absolute_url(),
    }


def map_points(request: SiteRequest) -> JsonResponse:
    found = listing_search(site=request.site, params=request.GET)
    limit = settings.MAP_MAX_POINTS
    rows = list(found.results.filter(PLAUSIBLE_POSITION).only(*POINT_FIELDS)[: limit + 1])
    errors = {name: [str(e) for e in errs] for name, errs in found.errors.items()}
    return JsonResponse(
        {
            "points": [point(listing) for listing in rows[:limit]],
            "truncated": len(rows) > limit,
            "errors": errors,
        }
    )
