"""schema.org JSON-LD for search and detail pages (docs/design.md, "Contracts")."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from showcase.core.site import SiteRequest, absolute_url
from showcase.listings.models import Listing
from showcase.listings.price import has_price

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script(data: dict[str, Any]) -> SafeString:
    """A `<script type="application/ld+json">` that upstream text cannot break out of."""
    encoded = json.dumps(data, ensure_ascii=False, default=str).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')  # noqa: S308


def item_list(
    request: SiteRequest, listings: Iterable[Listing], total: int, first_position: int
) -> dict[str, Any]:
    origin = absolute_url(request, "")  # the same for every item: worked out once
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": total,
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": first_position + index,
                "item": {
                    "@type": "RealEstateListing",
                    "url": f"{origin}{listing.get_absolute_url()}",
                    "identifier": str(listing.upstream_id),
                },
            }
            for index, listing in enumerate(listings)
        ],
    }


def real_estate_listing(
    request: SiteRequest, listing: Listing, image: str = "", *, name: str = ""
) -> dict[str, Any]:
    """The detail page's RealEstateListing; `name` is the title as the page shows it
    (e.g. recased), the stored one by default."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "RealEstateListing",
        "identifier": str(listing.upstream_id),
        "url": absolute_url(request, listing.get_absolute_url()),
        "name": name or str(listing),
    }
    if listing.published_at:
        data["datePosted"] = listing.published_at.date().isoformat()
    if image:
        data["image"] = image
    offer: dict[str, Any] = {"@type": "Offer", "priceCurrency": "EUR"}
    # No price, 0 € or on request: no `price` at all (a price of 0 would read as free).
    if has_price(listing):
        offer["price"] = listing.price
    if listing.is_sold:
        offer["availability"] = "https://schema.org/SoldOut"
    data["offers"] = offer
    place: dict[str, Any] = {"@type": "Place"}
    address = {
        "@type": "PostalAddress",
        "addressLocality": listing.city,
        "addressCountry": listing.country or "FR",
    }
    if listing.zip_code:
        address["postalCode"] = listing.zip_code
    if listing.address_public and listing.address:
        address["streetAddress"] = listing.address
        if listing.latitude is not None and listing.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": listing.latitude,
                "longitude": listing.longitude,
            }
    place["address"] = address
    data["contentLocation"] = place
    return data
