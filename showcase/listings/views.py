"""Public pages of the cache: home, search, listing detail, agencies. Views stay thin."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from showcase.core.pagecache import request_page_version
from showcase.core.site import SiteRequest, absolute_url
from showcase.listings import embeds, jsonld
from showcase.listings.cards import listing_cards
from showcase.listings.criteria import BIG_MAX, CriterionError, whole_number
from showcase.listings.filters import BASIC_CRITERIA, MORE_CRITERIA, canonical_query, dress_form
from showcase.listings.hours import parse_opening_hours
from showcase.listings.models import Agency, Listing
from showcase.listings.photos import sized_url
from showcase.listings.place import listing_place_names
from showcase.listings.search import listing_search
from showcase.listings.textformat import format_text, recased_title

DEFAULT_LIMIT = 24
MAX_LIMIT = 100


def home(request: SiteRequest) -> HttpResponse:
    listings = Listing.objects.for_site(request.site).published().exclude(transaction="sold")
    # The site's agents' picks first (featured, in their display order), then the newest.
    latest = listing_cards(request, listings.picks_first(6), listings)
    form = listing_search(site=request.site, params=None).form
    return render(request, "listings/home.html", {"latest": latest, "form": dress_form(form)})


class CountedPaginator(Paginator):
    """A paginator told its total (`ListingSearch.count()` counts faster than the rows'
    own `count()`)."""

    def __init__(self, object_list: Any, per_page: int, *, total: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


class ReadPage:
    """`ids` (a sliceable query) whose slice from `offset` has already been read."""

    def __init__(self, ids: Any, offset: int, page_ids: list[int]) -> None:
        self.ids, self.offset, self.page_ids = ids, offset, page_ids

    def __getitem__(self, index: slice) -> Any:
        if index.start == self.offset and self.page_ids:
            return self.page_ids[: (index.stop or self.offset) - self.offset]
        return self.ids[index]


def _positive(raw: str | None, default: int, maximum: int | None = None) -> tuple[int, str]:
    if raw is None or raw == "":
        return default, ""
    try:
        # ASCII digits only: int() also takes "１" and "٣"; a huge page is the last page.
        value = whole_number(raw.strip(), maximum=BIG_MAX, units=())
    except CriterionError:
        value = BIG_MAX
    if value is None:
        return default, _("“%(value)s” is not a whole number.") % {"value": raw[:20]}
    if value < 1:
        return default, _("Use a number from 1.")
    if maximum is not None and value > maximum:
        return maximum, _("At most %(max)d.") % {"max": maximum}
    return value, ""


def embed_context(request: SiteRequest, embed: bool) -> dict:
    """Template switches for pages shown inside an agency's own site (issue "embedding")."""
    if not embed:
        return {"base_template": "base.html", "search_url": reverse("listing-search")}
    target = request.site.embed_link_target
    return {
        "base_template": "embed_base.html",
        "embed": True,
        "embed_self": target == "_self",
        "link_target": target,
        "frame_origins": request.site.frame_origins,
        "search_url": reverse("embed-search" if target == "_self" else "listing-search"),
    }


def search(request: SiteRequest, embed: bool = False) -> HttpResponse:
    # Always bound, even to no criteria: the defaults (no sold listings, newest first) apply.
    found = listing_search(site=request.site, params=request.GET)
    canonical = canonical_query(found.form, request.GET)
    if canonical is not None:
        # "400 000 €" typed in the form: the URL carries "400000" (one address per search).
        return HttpResponseRedirect(f"{request.path}?{canonical.urlencode()}")
    limit, limit_error = _positive(request.GET.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)
    page_number, page_error = _positive(request.GET.get("page"), 1)
    ids: Any = found.ordered_ids()
    total: int | None = None
    offset = (page_number - 1) * limit
    # A page past any catalogue (page=10**18) is the last page, found from the count.
    if found.by_distance and offset < 10**9:
        page_ids, total = found.page_and_count(offset, limit)
        # The paginator slices `ids` for this page: it gets the rows already read.
        ids = ReadPage(ids, offset, page_ids)
    embedding = embed_context(request, embed)
    embed_self = embedding.get("embed_self", False)
    # Cards are read again by id: only those still shown (not withdrawn or hidden since).
    published = Listing.objects.for_site(request.site).published()
    listings: list[Listing] | None = None
    if total is None:
        # The count runs beside the rest (showcase/listings/search.py): the page's rows and
        # cards are read meanwhile, for the asked page, which exists unless past the end.
        counted = found.count_alongside()
        if not found.by_distance and offset < 10**9:
            page_ids = list(ids[offset : offset + limit])
            ids = ReadPage(ids, offset, page_ids)
            if page_ids:
                listings = listing_cards(request, page_ids, published, embed_self=embed_self)
        form = dress_form(found.form, request.site)
        total = counted()
    else:
        form = dress_form(found.form, request.site)
    paginator = CountedPaginator(ids, limit, total=total, allow_empty_first_page=True)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        page_error = _("There are only %(pages)d pages; here is the last one.") % {
            "pages": paginator.num_pages
        }
        listings = None
    if listings is None:
        listings = listing_cards(request, list(page.object_list), published, embed_self=embed_self)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "basic_fields": BASIC_CRITERIA,
        "more_fields": MORE_CRITERIA,
        "advanced_open": any(
            request.GET.get(name) for name in found.form.fields if name not in BASIC_CRITERIA
        ),
        "page": page,
        "listings": listings,
        "total": total,
        "query": query.urlencode(),
        "limit_error": limit_error,
        "page_error": page_error,
        "jsonld": jsonld.script(
            jsonld.item_list(request, listings, total, page.start_index() or 1)
        ),
        "has_errors": bool(found.errors or limit_error or page_error),
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
        "map_max_points": settings.MAP_MAX_POINTS,
        **embedding,
    }
    return render(request, "listings/search.html", context)


def shown_listing(request: SiteRequest, pk: int) -> Listing | None:
    """Listing `pk` with its agency's card, None when the request's site does not show it
    (hidden by its agents, or never its own). Read once per request: the ETag and the page
    both start from it, and its query is most of the page's database work."""
    read: dict[int, Listing | None] = request.__dict__.setdefault("_shown_listings", {})
    if pk not in read:
        listings = Listing.objects.for_site(request.site).shown().with_agency_card()
        try:
            read[pk] = listings.get(pk=pk)
        except Listing.DoesNotExist:
            read[pk] = None
    return read[pk]


def detail_etag(request: SiteRequest, pk: int, slug: str = "", embed: bool = False) -> str | None:
    """Cheap validator: the listing's row, no rendering. Changes with the listing, the
    site's page version (branding, legal data, its agents' flags) and the language. None
    for a listing the site does not show: the view answers 404."""
    listing = shown_listing(request, pk)
    if listing is None:
        return None
    row = (listing.content_hash, listing.withdrawn_at)
    version = request_page_version(request)
    raw = f"{row}|{version}|{get_language()}|{embed}|{slug}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@condition(etag_func=detail_etag)
def detail(request: SiteRequest, pk: int, slug: str = "", embed: bool = False) -> HttpResponse:
    listing = shown_listing(request, pk)
    if listing is None:
        # Hidden by the site's agents: 404, like a listing the site never had.
        raise Http404
    if slug != listing.slug:
        if embed:
            return HttpResponsePermanentRedirect(
                reverse("embed-listing-detail", kwargs={"pk": listing.pk, "slug": listing.slug})
            )
        return HttpResponsePermanentRedirect(listing.get_absolute_url())
    if listing.is_withdrawn:
        # Near it: its département or its town, never "" (every foreign or placeless
        # listing has an empty département), and a département only in its own country.
        near = Q(pk__in=[])
        if listing.department:
            near |= Q(department=listing.department, country=listing.country)
        if listing.city_key:
            near |= Q(city_key=listing.city_key, country=listing.country)
        similar = (
            Listing.objects.for_site(request.site)
            .published()
            .filter(transaction=listing.transaction, property_type=listing.property_type)
            .filter(near)
            .newest_first()
            .with_cover()[:4]
        )
        return render(
            request, "listings/gone.html", {"listing": listing, "similar": similar}, status=410
        )
    # By position only: Photo's default ordering joins the listings to sort by theirs.
    photos = list(listing.photos.order_by("position"))
    language = get_language() or "fr"
    title, title_language = listing.title_in(language)
    description, text_language = listing.description_in(language)
    first_photo = photos[0].url if photos else ""
    og_image = sized_url(first_photo, 800) if first_photo else ""
    text_format = request.site.text_format
    # Recasing keeps the listing's own place names (issue #14, point 8).
    keep = listing_place_names(listing.city, listing.extras)
    title = recased_title(title, text_format, keep)
    facades = embeds.listing_facades(listing.medias, listing.virtual_visit)
    description_html = format_text(description, text_format, keep=keep)
    context = {
        "listing": listing,
        "photos": photos,
        "title": title,
        "description": description,
        "title_language": title_language,
        "text_language": text_language,
        "og_image": og_image,
        "canonical": absolute_url(request, listing.get_absolute_url()),
        "jsonld": jsonld.script(
            jsonld.real_estate_listing(
                request, listing, og_image, name=recased_title(str(listing), text_format, keep)
            )
        ),
        "description_html": description_html,
        # The meta description follows the site's text options too (e.g. no phone numbers).
        "summary": strip_tags(description_html),
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
        # Never smaller than 250 m when the address is not public, whatever upstream says.
        "map_radius": max(int(listing.accuracy or 0), 250),
        "facades": facades,
        "frames_media": any(f.can_embed for f in facades),
        **embed_context(request, embed),
    }
    response = render(request, "listings/detail.html", context)
    # The page frames nothing but the players its facades load, once asked.
    response.frame_src = embeds.frame_sources(facades)  # type: ignore[attr-defined]
    if listing.upstream_updated_at:
        response["Last-Modified"] = http_date(listing.upstream_updated_at.timestamp())
    return response


def agency_list(request: SiteRequest) -> HttpResponse:
    hidden = Listing.objects.for_site(request.site).hidden_ids()
    agencies = (
        Agency.objects.for_site(request.site)
        .published()
        .annotate(
            live_listings=Count(
                "listings",
                filter=Q(listings__withdrawn_at__isnull=True) & ~Q(listings__id__in=hidden),
            )
        )
        .order_by("name")
    )
    return render(request, "agencies/list.html", {"agencies": agencies})


def agency_detail(request: SiteRequest, pk: int, slug: str = "") -> HttpResponse:
    agency = get_object_or_404(Agency.objects.for_site(request.site).published(), pk=pk)
    if slug != agency.slug:
        return HttpResponsePermanentRedirect(agency.get_absolute_url())
    newest = (
        Listing.objects.for_site(request.site)
        .published()
        .filter(agency=agency)
        .exclude(transaction="sold")
        .newest_first()
    )
    listings = listing_cards(request, newest.values_list("pk", flat=True)[:12], newest)
    return render(
        request,
        "agencies/detail.html",
        {"agency": agency, "listings": listings, "week": parse_opening_hours(agency.opening_hours)},
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
