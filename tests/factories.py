"""Small factories for the cache's models: sensible defaults, override anything."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from showcase.feeds.models import Feed, FeedKind
from showcase.listings.models import (
    AGENT_FIELDS,
    Agency,
    Listing,
    ListingFlags,
    Photo,
    PropertyType,
    Transaction,
)

_seq = itertools.count(1)


def make_feed(**kwargs: Any) -> Feed:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "name": f"feed-{n}",
        "kind": FeedKind.GEDEON,
        "base_url": "http://gedeon.test",
        "api_key": f"key-{n}-secret",
    }
    defaults.update(kwargs)
    return Feed.objects.create(**defaults)


def make_agency(**kwargs: Any) -> Agency:
    n = next(_seq)
    feed = kwargs.pop("feed", None) or make_feed()
    defaults: dict[str, Any] = {
        "feed": feed,
        "upstream_id": f"ag{n}",
        "name": f"Agence {n}",
        "slug": f"agence-{n}",
        "city": "Lyon",
        "zip_code": "69003",
    }
    defaults.update(kwargs)
    return Agency.objects.create(**defaults)


def make_listing(**kwargs: Any) -> Listing:
    n = next(_seq)
    feed = kwargs.pop("feed", None) or make_feed()
    defaults: dict[str, Any] = {
        "feed": feed,
        "upstream_id": str(100000 + n),
        "title": f"Appartement {n}",
        "description": "Bel appartement lumineux.",
        "transaction": Transaction.SELL,
        "property_type": PropertyType.FLAT,
        "price": 250000,
        "surface": 65.0,
        "rooms": 3,
        "bedrooms": 2,
        "city": "Lyon",
        "city_key": "lyon",
        "zip_code": "69003",
        "department": "69",
        "latitude": 45.76,
        "longitude": 4.85,
        "published_at": timezone.now(),
    }
    flags = {name: kwargs.pop(name) for name in AGENT_FIELDS if name in kwargs}
    defaults.update(kwargs)
    listing = Listing.objects.create(**defaults)
    if flags:
        # Agent flags given here hold on the platform and on every site reading the feed
        # now (as the migration from global flags made them); make_flags sets one site's.
        for tenant in [None, *feed.tenants.all()]:
            make_flags(listing, tenant, **flags)
    return listing


def make_flags(listing: Listing, tenant: Any = None, **flags: Any) -> ListingFlags:
    """`listing`'s agent flags on `tenant`'s site (None: the platform), created or updated."""
    row, _ = ListingFlags.objects.update_or_create(listing=listing, tenant=tenant, defaults=flags)
    return row


def make_photo(listing: Listing, **kwargs: Any) -> Photo:
    position = kwargs.pop("position", listing.photos.count())
    defaults: dict[str, Any] = {
        "listing": listing,
        "position": position,
        "url": f"https://photos.example/{listing.upstream_id}/{position}/large/1700000000",
    }
    defaults.update(kwargs)
    return Photo.objects.create(**defaults)


def make_tenant(host: str, *, feeds=(), aliases=(), **kwargs: Any):
    from showcase.tenants.models import Domain, Tenant

    n = next(_seq)
    tenant = Tenant.objects.create(name=kwargs.pop("name", f"Site {n}"), slug=f"site-{n}", **kwargs)
    tenant.feeds.set(feeds)
    Domain.objects.create(tenant=tenant, host=host, is_primary=True)
    for alias in aliases:
        Domain.objects.create(tenant=tenant, host=alias, is_primary=False)
    return tenant


def make_apimo_feed(**kwargs: Any) -> Feed:
    """An Apimo feed of agency 182 on http://apimo.test (the recorded payloads' agency)."""
    defaults: dict[str, Any] = {
        "kind": FeedKind.APIMO,
        "base_url": "http://apimo.test",
        "provider_id": "12",
        "token": "t0ken",
        "upstream_agency_id": "182",
        "api_key": "",
    }
    defaults.update(kwargs)
    return make_feed(**defaults)
