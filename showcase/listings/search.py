"""The one search selector: a site's published listings matching the Gedeon criteria.

The search page, its map points, the embedded search, the alert pages and the alert
e-mails all go through `listing_search`, so a criterion means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from showcase.core.site import Site
from showcase.listings.filters import ListingFilterSet
from showcase.listings.models import Listing


@dataclass(frozen=True)
class ListingSearch:
    """`results`: the matching listings, sorted (lazy); `form`: the criteria form bound to
    the query, whose `errors` say which values were left out and why."""

    results: QuerySet[Listing]
    form: forms.Form

    @property
    def errors(self) -> Mapping[str, Any]:
        return self.form.errors


def listing_search(*, site: Site, params: QueryDict | None) -> ListingSearch:
    """Published listings of `site` matching `params` (the search page's query string:
    Gedeon criteria names and formats, plus `sort`). Invalid values leave their criterion
    out and are explained in `form.errors`; the valid ones still apply. With `params`
    None the form is unbound (an empty search form) and `results` is every published
    listing of the site."""
    base = Listing.objects.for_site(site).published()
    filterset = ListingFilterSet(params, queryset=base)
    return ListingSearch(results=filterset.qs, form=filterset.form)
