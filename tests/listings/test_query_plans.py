"""The main searches read the listings through an index at any size (issue #18, point 4).

Each criteria set of `make bench-search` (scripts/bench_search.py) is asked of the search
page through the test client, so the SQL is exactly the one the real path runs (the
FilterSet over `Listing.objects.for_site(site).live()`, the live-match count, the count of
the site's hidden matches, the page of ids, the cards of that page). Every statement that
reads the listing table or the agents' flags table is then EXPLAINed on PostgreSQL, and
the test fails when the plan holds a sequential scan of either.

Why `enable_seqscan = off` makes this meaningful on a small database: a test database
holds a few thousand rows, and on tables that small a sequential scan is often the
cheapest plan, legitimately; at a million listings it costs seconds. With
`enable_seqscan = off` the planner adds a prohibitive cost to every sequential scan and
takes any index path it has (an index matching a criterion, the sort order, a partial
index whose condition the query implies, or a covering index it can read alone); a
sequential scan that is still in the plan means that no index can serve the query on that
table at all, which is the missing index this test is about. The rows come from the
benchmark's own generator (`scripts/bench_data.load_listings`: the demo ads through the
real mapping), ANALYZEd, so the planner's estimates have the shape they have at a million
rows.

What it does not catch: a full scan of an index is not a sequential scan, and is allowed
(an index-only scan of the wide covering index with no index condition; or, for the page
of ids, which is always sorted, a walk down the index of its sort order filtering every
row). So the count queries (no ORDER BY) are where a criterion no index serves shows; for
the page query the check catches a sort order no index gives. How long each plan takes at
a million listings is `make bench-search`'s business.

The setting is set for each EXPLAIN only and reset after it. On SQLite the test is
skipped: the plans checked are PostgreSQL's, the production database at this size.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scripts.bench_data import load_listings
from scripts.bench_search import QUERIES
from showcase.listings.models import Listing, ListingFlags

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are checked on PostgreSQL (set DATABASE_URL to one); "
        "SQLite's planner is not the production one at a million listings",
    ),
    # Asks for the test database; each test's own transaction nests in the module's.
    pytest.mark.django_db,
]

LISTINGS = 2_000
CHECKED_TABLES = (Listing._meta.db_table, ListingFlags._meta.db_table)
# Criteria sets whose plan still reads a table sequentially: url -> why (strict xfail,
# so the day an index or a query change fixes it, the mark must go).
KNOWN_SEQUENTIAL: dict[str, str] = {}


@pytest.fixture(scope="module")
def searchable(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """LISTINGS generated listings, a few hidden and featured on the platform, ANALYZEd;
    all rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        feed = load_listings(LISTINGS, feed_name="plans")
        ids = list(Listing.objects.filter(feed=feed).values_list("pk", flat=True))
        picks = random.Random(3).sample(ids, 30)
        ListingFlags.objects.bulk_create(
            [ListingFlags(listing_id=pk, hidden=True) for pk in picks[:20]]
            + [
                ListingFlags(listing_id=pk, featured=True, display_order=n)
                for n, pk in enumerate(picks[20:])
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{ListingFlags._meta.db_table}"')
        yield
        transaction.set_rollback(True)


def _sequential_scans(plan: dict[str, Any]) -> list[str]:
    """Tables of CHECKED_TABLES that `plan` (a node of EXPLAIN's JSON) reads sequentially."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in CHECKED_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", ()):
        found += _sequential_scans(child)
    return found


def _explain(sql: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (document,) = cursor.fetchone()
        finally:
            cursor.execute("RESET enable_seqscan")
    data = json.loads(document) if isinstance(document, str) else document
    return data[0]["Plan"]


def _case(url: str) -> Any:
    reason = KNOWN_SEQUENTIAL.get(url)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(url, marks=marks, id=url.removeprefix("/annonces/") or "all")


@pytest.mark.parametrize("url", [_case(url) for url in QUERIES])
def test_search_reads_listings_through_indexes(searchable: None, settings: Any, url: str) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # the real work, not a cached page
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url)
    assert response.status_code == 200
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if any(f'"{table}"' in query["sql"] for table in CHECKED_TABLES)
        and query["sql"].lstrip().upper().startswith("SELECT")
    ]
    # The live-match count, the hidden-match count and the page of ids at least.
    assert len(statements) >= 3, statements
    scans = {sql: _sequential_scans(_explain(sql)) for sql in statements}
    offending = {sql: tables for sql, tables in scans.items() if tables}
    assert not offending, (
        "sequential scan with enable_seqscan=off (no usable index):\n"
        + "\n".join(f"{', '.join(tables)}: {sql}" for sql, tables in offending.items())
    )


def test_a_criterion_no_index_serves_is_caught(searchable: None) -> None:
    """The check itself: with sequential scans priced out, a filter on a column that no
    index holds (the agency's reference) still reads the listing table sequentially."""
    with CaptureQueriesContext(connection) as captured:
        # No ORDER BY: an index giving the order would otherwise be walked instead.
        list(Listing.objects.filter(reference="REF-100001").order_by().values_list("pk"))
    (query,) = captured.captured_queries
    assert _sequential_scans(_explain(query["sql"])) == [Listing._meta.db_table]
