"""Tenancy benchmark at 5,000 agency sites: host resolution, sitemaps, page-cache keys.

    make bench-tenancy                               # SQLite file var/bench-tenancy.sqlite3
    DATABASE_URL=postgres://... make bench-tenancy   # reused when it holds the same layout

The database gets `--sites` tenants (5,000), each with its own feed and one primary domain
(`site-N.bench.test`), and `--listings` generated listings (100,000): `--big` of them
(60 %) on site 0, so that its listing sitemap has two pages of at most 50,000 URLs, the
rest shared round-robin by the other sites (about 8 each). Then, with Django's test client
(no network) and the product's settings (DEBUG off, PAGE_CACHE_SECONDS as configured):

- host resolution (`resolve_host`): per call, p50/p95 and SQL queries, for hosts drawn at
  random among the 5,000, first uncached (after a tenancy change: every host is looked
  up again), then cached; and whole requests (`/robots.txt`) on random hosts;
- sitemaps of the big site and of a small one: time and queries of the index and of a
  listing page;
- page-cache keys: one per (site, URL) for the same path on every site, no two alike;
  the per-site version read is one query whichever site, first or last.

Targets: figures and query counts that do not grow with the number of sites.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench import loopback_production_env  # noqa: E402

SLUG = "bench-site-"


def _host(n: int) -> str:
    return f"site-{n}.bench.test"


def timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], int]:
    """Milliseconds of each of `repeat` calls, and the SQL queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(repeat - 1):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(queries)


def row(label: str, timings: list[float], queries: int | str, unit: str = "ms") -> None:
    scale = 1000 if unit == "µs" else 1
    p50 = statistics.median(timings) * scale
    p95 = (statistics.quantiles(timings, n=20)[18] if len(timings) > 1 else timings[0]) * scale
    print(f"{label:<58} {p50:9.2f} {p95:9.2f} {unit:>3} {queries!s:>5}")


def build_sites(sites: int, listings: int, big: int) -> None:
    """The tenants, feeds, domains and listings described in the module docstring; left
    as they are when the database already holds that layout."""
    from django.db import connection, transaction

    from scripts.bench_data import load_listings
    from showcase.feeds.models import Feed
    from showcase.listings.models import Listing
    from showcase.tenants.models import Domain, Tenant

    tenants = Tenant.objects.filter(slug__startswith=SLUG)
    big_feed = Feed.objects.filter(name=f"{SLUG}0").first()
    if (
        tenants.count() == sites
        and Domain.objects.filter(tenant__in=tenants).count() == sites
        and big_feed is not None
        and Listing.objects.count() == listings
        and Listing.objects.filter(feed=big_feed).count() == big
    ):
        return
    started = time.perf_counter()
    Feed.objects.filter(name__startswith=SLUG).delete()  # their listings and tenants' links
    tenants.delete()
    source = load_listings(listings, feed_name="bench-tenancy")
    with transaction.atomic():
        feeds = Feed.objects.bulk_create(
            Feed(name=f"{SLUG}{n}", kind="gedeon", base_url="http://127.0.0.1:9", api_key="b")
            for n in range(sites)
        )
        made = Tenant.objects.bulk_create(
            Tenant(name=f"Agence {n}", slug=f"{SLUG}{n}") for n in range(sites)
        )
        links = Tenant.feeds.through
        links.objects.bulk_create(
            links(tenant_id=tenant.pk, feed_id=feed.pk)
            for tenant, feed in zip(made, feeds, strict=True)
        )
        Domain.objects.bulk_create(
            Domain(tenant=tenant, host=_host(n), is_primary=True) for n, tenant in enumerate(made)
        )
        # Site 0 takes `big` listings, the others the rest in turn: one UPDATE each way.
        ids = list(Listing.objects.filter(feed=source).order_by("pk").values_list("pk", flat=True))
        if big:
            Listing.objects.filter(feed=source, pk__lte=ids[big - 1]).update(feed=feeds[0])
        small = [feed.pk for feed in feeds[1:]]
        rest = ids[big:]
        by_feed: dict[int, list[int]] = {}
        for n, pk in enumerate(rest):
            by_feed.setdefault(small[n % len(small)], []).append(pk)
        table = Listing._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f'UPDATE "{table}" SET feed_id = %s WHERE id = %s',
                [(feed_id, pk) for feed_id, pks in by_feed.items() for pk in pks],
            )
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{Listing._meta.db_table}"')
    print(f"built {sites:,} sites in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=5_000)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=60_000, help="listings of site 0")
    parser.add_argument("--calls", type=int, default=2_000, help="host resolutions timed")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-tenancy.sqlite3'}")
    # Sitemaps are measured as rendered, not from the whole-page cache.
    os.environ.update(loopback_production_env(ALLOWED_HOSTS="*", PAGE_CACHE_SECONDS="0"))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.client import RequestFactory
    from django.test.utils import setup_test_environment

    from showcase.core.pagecache import _cache_key, request_page_version
    from showcase.tenants.resolver import forget_tenancy, resolve_host

    call_command("migrate", verbosity=0)
    build_sites(args.sites, args.listings, args.big)
    setup_test_environment()
    rng = random.Random(5)
    cache_name = "redis" if os.environ.get("REDIS_URL") else "local memory"
    print(f"database: {connection.vendor}; cache: {cache_name}; sites: {args.sites:,}")
    print(f"{'':<58} {'p50':>9} {'p95':>9} {'':>3} {'SQL':>5}")

    # Host resolution: every host asked for the first time after a tenancy change, then
    # the same hosts again from the cache.
    hosts = [_host(rng.randrange(args.sites)) for _ in range(args.calls)]
    forget_tenancy()
    cache.clear()
    cold: list[float] = []
    seen: set[str] = set()
    for host in hosts:
        if host in seen:
            continue
        seen.add(host)
        started = time.perf_counter()
        assert resolve_host(host) is not None, host
        cold.append((time.perf_counter() - started) * 1000)

    def uncached() -> None:
        cache.clear()
        resolve_host(hosts[0])

    _t, cold_queries = timed(uncached, 1)
    row(f"host resolution, uncached ({len(cold):,} hosts)", cold, cold_queries, "µs")
    warm: list[float] = []
    for host in hosts:
        started = time.perf_counter()
        resolve_host(host)
        warm.append((time.perf_counter() - started) * 1000)
    _t, warm_queries = timed(lambda: resolve_host(hosts[0]), 1)
    row(f"host resolution, cached ({len(warm):,} calls)", warm, warm_queries, "µs")
    if warm_queries > 1:
        # One query (the tenancy version) is the cached path; more means the entry was gone.
        print(
            f"  ! a cached host took {warm_queries} queries: Django's local-memory cache keeps "
            "300 entries (MAX_ENTRIES) and culls a third when full, so with thousands of "
            "hosts most are looked up again; REDIS_URL (or a larger MAX_ENTRIES) keeps them"
        )
    _t, unknown_queries = timed(lambda: resolve_host("nobody.bench.test"), 50)
    row("host resolution, unknown host (cached 'no')", _t, unknown_queries, "µs")
    client = Client()
    requests: list[float] = []
    for host in hosts[:500]:
        started = time.perf_counter()
        response = client.get("/robots.txt", HTTP_HOST=host)
        requests.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, host
    _t, robots_queries = timed(lambda: client.get("/robots.txt", HTTP_HOST=hosts[0]), 1)
    row("whole request /robots.txt on random hosts (500)", requests, robots_queries)

    # Sitemaps: the big site (two listing pages) and a small one, index and pages.
    for n in (0, args.sites - 1):
        host = _host(n)
        client.get("/sitemap.xml", HTTP_HOST=host)  # warm up

        def index_page(host: str = host) -> None:
            client.get("/sitemap.xml", HTTP_HOST=host)

        index_times, index_queries = timed(index_page, 10)
        index = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
        pages = index.count("sitemap-listings.xml")
        row(f"sitemap index, site {n} ({pages} listing page(s))", index_times, index_queries)
        for page in range(1, pages + 1):

            def fetch(host: str = host, page: int = page) -> int:
                response: Any = client.get(f"/sitemap-listings.xml?p={page}", HTTP_HOST=host)
                assert response.status_code == 200
                return sum(chunk.count(b"<url>") for chunk in response.streaming_content)

            urls = fetch()
            times, queries = timed(fetch, 3 if urls > 1000 else 10)
            row(f"sitemap listings page {page}, site {n} ({urls:,} URLs)", times, queries)

    # Page-cache keys: the same URL on every site, and the version read of the first and
    # the last site.
    factory = RequestFactory()
    keys = set()
    version_times = {}
    for n in range(args.sites):
        request: Any = factory.get("/annonces/?transaction=sell", HTTP_HOST=_host(n))
        resolution = resolve_host(_host(n))
        assert resolution is not None
        site = resolution.site
        request.site = site
        keys.add(_cache_key(request))
        if n in (0, args.sites - 1):

            def read(site: Any = site, host: str = _host(n)) -> int:
                fresh: Any = factory.get("/", HTTP_HOST=host)
                fresh.site = site
                return request_page_version(fresh)

            version_times[n] = timed(read, 200)
    print(
        f"page-cache keys: {len(keys):,} distinct for the same URL on {args.sites:,} sites "
        f"({'no collision' if len(keys) == args.sites else 'COLLISIONS'})"
    )
    for n, (times, queries) in version_times.items():
        row(f"page version read, site {n}", times, queries, "µs")


if __name__ == "__main__":
    main()
