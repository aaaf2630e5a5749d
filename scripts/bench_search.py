"""Search page benchmark: server time of /annonces/ with assorted criteria at 50,000 listings
(or BENCH_LISTINGS), and of listing detail pages.

Generates the listings from the demo generator straight into the database (through the
real mapping; COPY on PostgreSQL, see scripts/bench_data.py), then times each query with
Django's test client (no network), reports p50/p95 per query and the SQL query count, then
the detail pages of `--details` listings picked at random (each asked once: none is warm).
Targets: search p95 < 50 ms, detail p95 < 20 ms, on SQLite and PostgreSQL, and the same
query counts whatever the number of listings.

    make bench-search                         # SQLite, a fresh file each run
    DATABASE_URL=postgres://... make bench-search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vitrine_1m make bench-search BENCH_LISTINGS=1000000

A database that already holds the asked number of listings is reused (no load).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench import loopback_production_env  # noqa: E402

QUERIES = [
    "/annonces/",
    "/annonces/?transaction=sell",
    "/annonces/?transaction=rent&localization=lyon&rooms=2,3",
    "/annonces/?type=house&min_price=200000&max_price=500000",
    "/annonces/?localization=69003&extends=10000",
    "/annonces/?localization=Nice&extends=23000",
    "/annonces/?localization=Paris&transaction=sell",
    "/annonces/?localization=Saint-Etienne,Marseille&extends=5000&sort=price_desc",
    "/annonces/?localization=33,44,2A&min_surface=50",
    "/annonces/?bbox=4.7,45.9,5.0,45.6&sort=price_asc",
    "/annonces/?bedrooms=2-3&transaction=sell,viager&sort=surface_desc",
    "/annonces/?transaction=viager&monthly_annuity=0-600&occupied=0",
    "/annonces/?max_days_old=30&nb_photos_min=5&page=3",
    "/annonces/?favorite=1&is_old=1",
    "/annonces/?sort=price_desc",
    "/annonces/?sort=price_asc&transaction=rent",
    "/annonces/?min_price=abc&bedrooms=5-1",
]
# The home page: the site's featured listings first, then the newest.
PAGES = ["/"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--count", type=int, default=int(os.environ.get("BENCH_LISTINGS") or 50_000)
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--hidden", type=int, default=500, help="listings hidden by the site's agents"
    )
    parser.add_argument("--featured", type=int, default=20, help="listings the site features")
    parser.add_argument("--details", type=int, default=200, help="detail pages timed")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="then EXPLAIN (ANALYZE, BUFFERS) each search's listing queries (PostgreSQL)",
    )
    parser.add_argument("--only", default="", help="time only the queries containing this")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="then profile the timed searches (cProfile) and print where their time goes",
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-search-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    # The whole-page cache would answer every repeat without SQL: measure the real work.
    os.environ.update(loopback_production_env(ALLOWED_HOSTS="*", PAGE_CACHE_SECONDS="0"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from scripts.bench_data import load_listings
    from showcase.listings.models import Listing, ListingFlags

    # No setup_test_environment(): it instruments every template render for tests (a
    # signal and a context copy each), which a web worker does not pay.
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    feed = load_listings(args.count, echo=True)
    loaded = time.perf_counter() - started
    # Agent flags on the platform (the site benched): every search leaves out the hidden
    # ones, the home page and `favorite` read the featured ones. Drawn afresh each run
    # (a reused database keeps its listings, not the last run's flags).
    ListingFlags.objects.filter(tenant__isnull=True).delete()
    rng = random.Random(7)
    bounds = Listing.objects.filter(feed=feed).aggregate(low=Min("pk"), high=Max("pk"))
    draw = rng.sample(range(bounds["low"], bounds["high"] + 1), args.hidden + args.featured)
    ids, picks = draw[: args.hidden], draw[args.hidden :]
    ListingFlags.objects.bulk_create(
        [ListingFlags(listing_id=pk, hidden=True) for pk in ids]
        + [
            ListingFlags(listing_id=pk, featured=True, display_order=n)
            for n, pk in enumerate(picks)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ListingFlags._meta.db_table}")
    # What loading left in memory is the bench's, not a web worker's: keep the garbage
    # collector from walking it during the timed requests.
    gc.collect()
    gc.freeze()
    print(
        f"database: {connection.vendor}; listings: {Listing.objects.count():,} "
        f"(loaded in {loaded:.0f} s)"
    )
    client = Client()
    print(f"{'query':<70} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4} {'results':>8}")
    worst = 0.0
    for url in [u for u in QUERIES + PAGES if args.only in u]:
        client.get(url)  # warm up
        timings = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, url
        # Counted in line for this request: a count on its own thread (the default,
        # SEARCH_COUNT_THREADS) runs on another connection, which the capture misses.
        with (
            override_settings(SEARCH_COUNT_THREADS=0),
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.get(url)
        content = response.content.decode()
        total = content.split('"numberOfItems": ')[1].split(",")[0] if url in QUERIES else "-"
        p95 = statistics.quantiles(timings, n=20)[18]
        worst = max(worst, p95)
        print(
            f"{url:<70} {statistics.median(timings):7.1f} {p95:7.1f} {len(queries):4d} {total:>8}"
        )
    print(f"worst p95: {worst:.1f} ms (target < 50 ms)")
    if args.details:
        detail_pages(client, rng, args.details)
    if args.profile:
        profile_searches(client, [u for u in QUERIES + PAGES if args.only in u], args.repeat)
    if args.explain and connection.vendor == "postgresql":
        for url in [u for u in QUERIES if args.only in u]:
            explain_search(client, url)


def profile_searches(client: Any, urls: list[str], repeat: int) -> None:
    """Where the searches' server time goes: `repeat` rounds of every URL under cProfile,
    the 40 functions with the most cumulative time (SQL shows as the driver's execute)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        for url in urls:
            client.get(url)
    profiler.disable()
    print(f"\nprofile of {repeat} x {len(urls)} pages")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def explain_search(client: Any, url: str) -> None:
    """Each SELECT of the search page on the listing table: its time and the scans of its
    plan (EXPLAIN ANALYZE, BUFFERS), one line per scan node."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    print(f"\n{url}")
    for query in captured.captured_queries:
        sql = query["sql"]
        if '"listings_listing"' not in sql or not sql.startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            (document,) = cursor.fetchone()
        data = json.loads(document) if isinstance(document, str) else document
        root = data[0]["Plan"]
        kind = "count" if "COUNT(" in sql.upper() else ("avg" if "AVG(" in sql.upper() else "rows")
        print(f"  {data[0]['Execution Time']:8.1f} ms  {kind:<5} {sql[:150]}")
        for node in _scans(root):
            target = node.get("Index Name") or node.get("Relation Name") or ""
            extra = []
            for key in ("Heap Fetches", "Rows Removed by Filter", "Rows Removed by Index Recheck"):
                if node.get(key):
                    extra.append(f"{key.lower()} {node[key]:,}")
            print(
                f"      {node['Node Type']} {target}: rows {node.get('Actual Rows', 0):,}"
                f" x{node.get('Actual Loops', 1)}, buffers hit {node.get('Shared Hit Blocks', 0):,}"
                f" read {node.get('Shared Read Blocks', 0):,}"
                + (f", {', '.join(extra)}" if extra else "")
            )


def _scans(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node] if "Scan" in node.get("Node Type", "") else []
    for child in node.get("Plans", ()):
        found += _scans(child)
    return found


def detail_pages(client: Any, rng: random.Random, count: int) -> None:
    """Time the detail pages of `count` live listings drawn at random, each asked once."""
    from django.db import connection
    from django.db.models import Max, Min
    from django.test.utils import CaptureQueriesContext

    from showcase.listings.models import Listing

    live = Listing.objects.live().shown()
    bounds = live.aggregate(low=Min("pk"), high=Max("pk"))
    candidates = rng.sample(range(bounds["low"], bounds["high"] + 1), count * 3)
    listings = list(live.filter(pk__in=candidates).only("pk", "title", "property_type", "city"))
    rng.shuffle(listings)
    urls = [listing.get_absolute_url() for listing in listings[:count]]
    client.get(urls[-1])  # warm up (templates, translations)
    timings = []
    queries: set[int] = set()
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
        queries.add(len(captured))
    p95 = statistics.quantiles(timings, n=20)[18]
    sql = "-".join(str(n) for n in (min(queries), max(queries))) if queries else "-"
    print(
        f"{'detail pages (' + str(len(urls)) + ' listings, each once)':<70} "
        f"{statistics.median(timings):7.1f} {p95:7.1f} {sql:>4}"
    )
    print(f"detail p95: {p95:.1f} ms (target < 20 ms)")


if __name__ == "__main__":
    main()
