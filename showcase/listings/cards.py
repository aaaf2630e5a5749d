"""Listing cards (templates/includes/listing_card.html), each rendered once and reused.

A card's HTML depends on the listing (its upstream digest), the language, the embed mode
and the site (branding, agent edits: the site's page version), so it is rendered once per
such key and kept in Django's cache for settings.CARD_CACHE_SECONDS (0: never kept); a
sync or an admin edit bumps the site's version as it does for whole pages.

A page of cards reads its cards' HTML with one cache call (`listing_cards`), and only the
listings without one are read whole: building 24 full `Listing` rows (about 80 columns,
their JSON decoded) took 6–10 ms of a search page whose cards were all in the cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from showcase.core.pagecache import request_page_version
from showcase.core.site import SiteRequest
from showcase.listings.models import Listing, ListingQuerySet

CARD_TEMPLATE = "includes/listing_card.html"
# What a page still reads of a listing whose card is cached: the card's key, its address
# (the slug is made of the title, type and town), its JSON-LD identifier, and whether it
# was withdrawn (the favourites page lists those apart).
CARD_PAGE_COLUMNS = (
    "id",
    "content_hash",
    "title",
    "property_type",
    "city",
    "upstream_id",
    "withdrawn_at",
)


def card_key(request: SiteRequest, listing: Listing, embed_self: bool) -> str:
    """The cache key of `listing`'s card on this request's site, in its language, shown
    embedded with links to the embed's own pages (`embed_self`) or not."""
    version = f"{request.site.key}.{request_page_version(request)}"
    return make_template_fragment_key(
        "listing_card",
        [listing.pk, listing.content_hash, version, get_language(), bool(embed_self)],
    )


def listing_cards(
    request: SiteRequest,
    ids: Sequence[int],
    listings: ListingQuerySet,
    *,
    embed_self: bool = False,
) -> list[Listing]:
    """The listings of `ids` still among `listings` (those the page shows, e.g. the site's
    published ones: one withdrawn or hidden since `ids` were read is left out), in the
    order of `ids`, ready for the `{% listing_card %}` tag: those whose card is cached
    come with its HTML (`card_html`) and only CARD_PAGE_COLUMNS; the others are read whole
    with their cover photo (`with_cover`), and the tag renders their card. Two or three
    queries and one cache read whatever the number of cards."""
    queryset = listings
    ids = list(ids)
    if not ids:
        return []
    light = queryset.only(*CARD_PAGE_COLUMNS).in_order_of(ids)
    keys = {listing.pk: card_key(request, listing, embed_self) for listing in light}
    cached = cache.get_many(keys.values()) if settings.CARD_CACHE_SECONDS else {}
    missing = [pk for pk, key in keys.items() if key not in cached]
    whole = {listing.pk: listing for listing in queryset.with_cover().in_order_of(missing)}
    found = []
    for listing in light:
        html = cached.get(keys[listing.pk])
        if html is not None:
            listing.card_html = html  # type: ignore[attr-defined]
            found.append(listing)
        elif listing.pk in whole:  # else gone between the two reads: left out
            found.append(whole[listing.pk])
    return found


def render_card(context: Context, listing: Listing) -> SafeString:
    """`listing`'s card in the page being rendered (`context`): the HTML `listing_cards`
    found in the cache, else the cached one, else rendered now (and kept)."""
    html = getattr(listing, "card_html", None)
    if html is None:
        request: Any = context["request"]
        key = card_key(request, listing, bool(context.get("embed_self")))
        html = cache.get(key) if settings.CARD_CACHE_SECONDS else None
        if html is None:
            template = context.template.engine.get_template(CARD_TEMPLATE)  # type: ignore[union-attr]
            with context.push(listing=listing):
                html = template.render(context)
            if settings.CARD_CACHE_SECONDS:
                cache.set(key, html, settings.CARD_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output
