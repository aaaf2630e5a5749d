"""The one search selector: a site's published listings matching the Gedeon criteria.

The search page, its map points, the embedded search, the alert pages and the alert
e-mails all go through `listing_search`, so a criterion means the same everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import QuerySet
from django.http import QueryDict

from showcase.core.site import Site
from showcase.listings.filters import ListingFilterSet
from showcase.listings.models import Listing, ListingQuerySet


@dataclass(frozen=True)
class ListingSearch:
    """`results`: the matching listings, sorted (lazy); `form`: the criteria form bound to
    the query, whose `errors` say which values were left out and why; `live_matches`: the
    matches before the site's hidden listings are left out (what `count()` starts from)."""

    results: ListingQuerySet
    form: forms.Form
    live_matches: ListingQuerySet
    # Disjoint querysets whose counts add up to `live_matches`' (ListingFilterSet).
    count_parts: tuple[ListingQuerySet, ...]
    # Places widened by a distance (`extends`): every match is read to find the page's
    # rows anyway, so the page and the count come from one query (`page_and_count`).
    by_distance: bool = False
    # Places widened by a distance: the matches of each (they may overlap), each a range
    # of the latitude-first index read alone, without the table's rows (an OR of two
    # places made PostgreSQL fetch every match's row: 20 ms instead of 8 for two towns at
    # 50,000 listings). The page and the count are read from their UNION (`_matches`).
    # Empty with `favorite=1`, whose halves the parts would lack.
    place_parts: tuple[ListingQuerySet, ...] = ()
    # The sort (`results`' ORDER BY), for queries over `_matches`.
    ordering: tuple[Any, ...] = ()

    @property
    def errors(self) -> Mapping[str, Any]:
        return self.form.errors

    def count(self) -> int:
        """The number of `results`, summed over `count_parts` (the matches, or their
        disjoint halves), each on the narrow search indexes.

        PostgreSQL leaves out the site's hidden listings in the same query: a hashed subplan
        checks each match at almost no cost (half the time of two queries). SQLite probes a
        b-tree per match, twice the time on a large count: it counts the live matches, then
        subtracts those of the site's few hidden ids that match, read first and checked by
        primary key (as a subquery, a planner misjudging a distance search at one row
        checked each match against every hidden id)."""
        if self.place_parts:
            return self._matches("pk").count()
        if connections[self.live_matches.db].vendor == "postgresql":
            return sum(part.exclude(pk__in=part.hidden_ids()).count() for part in self.count_parts)
        total = sum(part.count() for part in self.count_parts)
        hidden_ids = list(self.live_matches.hidden_ids().values_list("listing_id", flat=True))
        if hidden_ids:
            total -= self.live_matches.filter(pk__in=hidden_ids).count()
        return total

    def ordered_ids(self) -> Any:
        """Ids of `results` in their order, to slice for a page (`ids[24:48]`)."""
        if not self.place_parts:
            return self.results.values_list("pk", flat=True)
        return _FirstColumn(self._matches("pk", *self._sort_columns()).order_by(*self.ordering))

    def _matches(self, *columns: str) -> QuerySet[Any, Any]:
        """`columns` of `results`, unsorted: the UNION of `place_parts`, or `results`."""
        parts = [part.shown() for part in self.place_parts] or [self.results]
        rows = [part.order_by().values_list(*columns) for part in parts]
        return rows[0].union(*rows[1:]) if len(rows) > 1 else rows[0]

    def count_alongside(self) -> Callable[[], int]:
        """`count()` started on a thread of its own, whose database connection counts while
        this one reads the page (both database engines count without holding Python's
        lock): call the result for the number. Inside a transaction (a test, an atomic
        request) the count runs here and now: another connection would not see its rows."""
        in_transaction = connections[self.live_matches.db].in_atomic_block
        if in_transaction or settings.SEARCH_COUNT_THREADS <= 0:
            total = self.count()
            return lambda: total
        return _counters().submit(_count_on_own_connection, self).result

    def page_and_count(self, offset: int, limit: int) -> tuple[list[int], int | None]:
        """Ids of `results` from `offset` (at most `limit`), and the number of `results`
        when that page has rows (None otherwise: ask `count()`). One query, a window
        count over the matches, for a distance search, where the count and the sorted
        page each read every match (two reads of the same rows: 10 ms each with two
        cities at 50,000 listings on PostgreSQL)."""
        rows = self._page_with_total(offset, limit)
        return [pk for pk, _total in rows], (rows[0][1] if rows else None)

    def _page_with_total(self, offset: int, limit: int) -> list[tuple[int, int]]:
        # Django puts no window over a UNION: this query wraps the matches' own SQL.
        matches = self._matches("pk", *self._sort_columns())
        connection = connections[matches.db]
        sql, params = matches.query.get_compiler(connection=connection).as_sql()
        # A fence (the matches are not merged into this query): PostgreSQL, seeing the
        # LIMIT, would else read an index in the sort's order as if it could stop early,
        # while the window count reads every match (a million listings, Nice within 23 km:
        # 4 s through the newest-first index instead of 80 ms on the latitude-first one).
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        quote = connection.ops.quote_name
        order = ", ".join(
            f"{quote('pk' if by.expression.name == 'id' else by.expression.name)}"
            f" {'DESC' if by.descending else 'ASC'}"
            f"{' NULLS LAST' if by.nulls_last else ''}"
            for by in self.ordering
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('pk')}, COUNT(*) OVER () FROM ({sql}{fence}) matches"
                f" ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [tuple(row) for row in cursor.fetchall()]

    def _sort_columns(self) -> list[str]:
        """The columns of `ordering` besides the id, which every row carries as `pk`."""
        names = [by.expression.name for by in self.ordering]
        return [name for name in names if name != "id"]


class _FirstColumn:
    """Slices of a query of rows as lists of their first value (the ids of a UNION that
    also reads the sort's columns)."""

    def __init__(self, rows: QuerySet[Any, Any]) -> None:
        self.rows = rows

    def __getitem__(self, index: slice) -> list[Any]:
        return [row[0] for row in self.rows[index]]


# The counting threads (made on first use, in each web worker: never in a parent process
# that forks them) and their database connections, one per thread.
_COUNTING_LOCK = threading.Lock()
_counting_pool: ThreadPoolExecutor | None = None
_counting_connections: set[Any] = set()


def _counters() -> ThreadPoolExecutor:
    global _counting_pool
    with _COUNTING_LOCK:  # one pool per process, however many first searches at once
        if _counting_pool is None:
            _counting_pool = ThreadPoolExecutor(
                max_workers=settings.SEARCH_COUNT_THREADS, thread_name_prefix="search-count"
            )
        return _counting_pool


def _count_on_own_connection(found: ListingSearch) -> int:
    # What Django does with a request's connection at its start and end, done around each
    # count: one past its age (CONN_MAX_AGE) or broken is dropped, and with no age at all
    # it is closed after use.
    close_old_connections()
    try:
        return found.count()
    finally:
        close_old_connections()
        with _COUNTING_LOCK:
            _counting_connections.add(connections[found.live_matches.db])


def stop_counting() -> None:
    """Stop the counting threads and close their database connections, which otherwise
    live as long as the threads (e.g. before a test database is dropped: PostgreSQL
    refuses while a connection is open). The next search starts new threads."""
    global _counting_pool
    with _COUNTING_LOCK:
        pool, _counting_pool = _counting_pool, None
        wrappers = list(_counting_connections)
        _counting_connections.clear()
    if pool is not None:
        pool.shutdown(wait=True)
    for wrapper in wrappers:
        # Their threads have stopped: closed from this one.
        wrapper.inc_thread_sharing()
        try:
            wrapper.close()
        finally:
            wrapper.dec_thread_sharing()


def listing_search(*, site: Site, params: QueryDict | None) -> ListingSearch:
    """Published listings of `site` matching `params` (the search page's query string:
    Gedeon criteria names and formats, plus `sort`). Invalid values leave their criterion
    out and are explained in `form.errors`; the valid ones still apply. With `params`
    None the form is unbound (an empty search form) and `results` is every published
    listing of the site. The site's own agent flags apply (ListingFlags): its hidden
    listings are left out, its featured ones count as the agency's favourites."""
    base = Listing.objects.for_site(site).live()
    filterset = ListingFilterSet(params, queryset=base)
    live_matches = filterset.qs
    return ListingSearch(
        results=live_matches.shown(),
        form=filterset.form,
        live_matches=live_matches,
        count_parts=getattr(filterset, "count_parts", (live_matches,)),
        by_distance=bool(filterset.form.is_bound and getattr(filterset, "by_distance", False)),
        place_parts=getattr(filterset, "place_parts", ()),
        ordering=getattr(filterset, "ordering", ()),
    )
