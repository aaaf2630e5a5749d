"""Towns of the site's catalogue for the search's place field (`/annonces/lieux.json`),
fetched by static/js/place-suggestions.js as the visitor types; without JavaScript the
field is a plain text input."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import JsonResponse

from showcase.core.pagecache import request_page_version
from showcase.core.site import SiteRequest
from showcase.listings.criteria import is_whole_number
from showcase.listings.models import Listing, ListingQuerySet
from showcase.listings.text import city_key

MAX_SUGGESTIONS = 10
MIN_KEY_LENGTH = 2
SUGGESTION_SECONDS = 600


def town_suggestions(*, listings: ListingQuerySet, prefix: str) -> list[dict]:
    """Up to MAX_SUGGESTIONS towns of `listings` whose name starts with `prefix` (folded
    like `city_key`: "st ma" finds Saint-Malo) or whose zip code does ("354"), most listings first: `{"name", "zip_code",
    "count"}`, one per town and zip code. [] for a prefix shorter than two characters."""
    key = city_key(prefix)
    if len(key) < MIN_KEY_LENGTH:
        return []
    # Digits are the start of a zip code ("354" finds Saint-Malo, 35400), as the search
    # reads them; anything else the start of a town's name.
    where = {"zip_code__startswith": key} if is_whole_number(key) else {"city_key__startswith": key}
    rows = (
        listings.filter(**where)
        .exclude(city="")
        .values("city_key", "zip_code")
        .annotate(name=Max("city"), count=Count("id"))
        .order_by("-count", "city_key", "zip_code")[:MAX_SUGGESTIONS]
    )
    return [{"name": r["name"], "zip_code": r["zip_code"], "count": r["count"]} for r in rows]


def place_suggestions(request: SiteRequest) -> JsonResponse:
    """`?q=<what the visitor typed>` -> `{"places": [{"name", "zip_code", "count"}]}`:
    the towns of this site's published listings (sold ones left out, as on the search
    page). Cached per site until its listings change."""
    prefix = request.GET.get("q", "")[:100]
    folded = city_key(prefix)
    # Hashed: the typed text may hold spaces or anything else no cache key may.
    typed = hashlib.sha1(folded.encode()).hexdigest()
    digest = f"{request.site.key}:{request_page_version(request)}:{typed}"
    places = cache.get(f"place-suggestions:{digest}")
    if places is None:
        listings = Listing.objects.for_site(request.site).published().exclude(transaction="sold")
        places = town_suggestions(listings=listings, prefix=prefix)
        cache.set(f"place-suggestions:{digest}", places, SUGGESTION_SECONDS)
    return JsonResponse({"places": places})
