"""“My favourites”: the listings whose ids the visitor's browser keeps (no account).

The ids travel in the URL (`?ids=12,34`), so the page is a shareable link and the
whole-page cache stays correct; the browser's list lives in localStorage.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from showcase.core.site import SiteRequest, absolute_url
from showcase.listings.criteria import is_whole_number
from showcase.listings.models import Listing

MAX_FAVOURITES = 60


def parse_ids(raw: str) -> tuple[list[int], list[str]]:
    """Listing ids from `12,34,…` in order, without repeats, and the problems found.

    An id is 1 to 12 ASCII digits (str.isdigit() also takes "²", which int() refuses)."""
    ids: list[int] = []
    problems: list[str] = []
    bad: list[str] = []
    for part in raw.replace(" ", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not is_whole_number(part) or len(part) > 12:
            bad.append(part[:20])
        elif int(part) not in ids:
            ids.append(int(part))
    if bad:
        problems.append(
            _("These are not listing numbers and were left out: %(values)s.")
            % {"values": ", ".join(f"“{b}”" for b in bad[:5])}
        )
    if len(ids) > MAX_FAVOURITES:
        problems.append(
            _("A list holds at most %(max)d listings; the first %(max)d are shown.")
            % {"max": MAX_FAVOURITES}
        )
        ids = ids[:MAX_FAVOURITES]
    return ids, problems


def favourites(request: SiteRequest) -> HttpResponse:
    ids, problems = parse_ids(request.GET.get("ids", "")[:2000])
    # Listings the site's agents hid are not public; withdrawn ones stay, flagged, so the list explains.
    found = Listing.objects.for_site(request.site).shown().filter(pk__in=ids).with_cover()
    by_pk = {listing.pk: listing for listing in found}
    listings = [by_pk[pk] for pk in ids if pk in by_pk]
    missing = [pk for pk in ids if pk not in by_pk]
    context = {
        "listings": listings,
        "available": [x for x in listings if not x.is_withdrawn],
        "withdrawn": [x for x in listings if x.is_withdrawn],
        "missing": missing,
        "problems": problems,
        "ids": ",".join(str(pk) for pk in ids),
        # On the site's configured address, never the request's Host header (#16, point 4).
        "share_url": absolute_url(request, request.get_full_path()),
    }
    return render(request, "favourites/list.html", context)
