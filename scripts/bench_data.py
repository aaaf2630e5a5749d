"""Load N generated listings (demo generator + the real mapping) quickly, for benchmarks."""

from __future__ import annotations

from django.utils import timezone

from showcase.demo.gedeon_data import generate_ads
from showcase.feeds.gedeon.mapping import map_ad
from showcase.feeds.models import Feed
from showcase.feeds.sync import agencies_upsert, listings_analyze, listings_upsert_page, raw_hash
from showcase.listings.models import Listing


def load_listings(count: int, *, feed_name: str = "bench") -> Feed:
    """Fill the cache with `count` listings; reuses them when they are already there."""
    feed, _ = Feed.objects.get_or_create(
        name=feed_name,
        defaults={"kind": "gedeon", "base_url": "http://127.0.0.1:9", "api_key": "bench"},
    )
    have = Listing.objects.filter(feed=feed).count()
    if have >= count:
        return feed
    Listing.objects.filter(feed=feed).delete()
    now = timezone.now()
    agencies: dict[str, int] = {}
    batch = []
    for ad in generate_ads(count, base_url="http://127.0.0.1:8765"):
        batch.append(ad)
        if len(batch) == 500:
            _load(feed, batch, now, agencies)
            batch = []
    if batch:
        _load(feed, batch, now, agencies)
    listings_analyze()
    return feed


def _load(feed: Feed, ads: list[dict], now, agencies: dict[str, int]) -> None:
    records = [map_ad(ad) for ad in ads]
    missing = {
        r.agency_upstream_id: r.agency
        for r in records
        if r.agency and r.agency_upstream_id not in agencies
    }
    if missing:
        agencies_upsert(feed=feed, records=list(missing.values()), now=now, known=agencies)
    listings_upsert_page(
        feed=feed,
        records=records,
        now=now,
        agencies=agencies,
        digests={str(ad["id"]): raw_hash(ad) for ad in ads},
    )
