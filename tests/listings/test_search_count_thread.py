"""The search page counts its results on a thread of its own (ListingSearch.count_alongside)
while it reads the page: the total and the page must be those of a count made in line."""

from __future__ import annotations

import re
import threading

import pytest

from showcase.listings import search
from tests.factories import make_feed, make_flags, make_listing

# Committed rows: the counting thread has its own connection, which sees only those.
pytestmark = pytest.mark.django_db(transaction=True)

QUERIES = [
    "",
    "?transaction=sell",
    "?transaction=rent&sort=price_asc",
    "?favorite=1",
    "?type=house&min_price=100000",
    "?limit=5&page=2",
    "?limit=5&page=400",  # past the end: the last page, found from the count
    "?min_price=abc",
]


@pytest.fixture
def counting_thread(settings):
    """One counting thread, made for the test and stopped after it."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.SEARCH_COUNT_THREADS = 1
    search.stop_counting()
    yield
    search.stop_counting()


@pytest.fixture
def catalogue():
    feed = make_feed()
    listings = [
        make_listing(
            feed=feed,
            upstream_id=f"L{n}",
            transaction=("sell", "rent", "sold")[n % 3],
            property_type=("house", "flat")[n % 2],
            price=50_000 + 10_000 * n,
            upstream_favorite=n % 4 == 0,
        )
        for n in range(23)
    ]
    make_flags(listings[1], hidden=True)
    make_flags(listings[3], featured=True)
    return listings


def total(body: str) -> int:
    return int(re.search(r'"numberOfItems": (\d+)', body).group(1))


def test_a_count_made_on_its_own_thread_gives_the_page_and_total_of_one_made_in_line(
    client, settings, counting_thread, catalogue, monkeypatch
):
    threads: list[str] = []
    count = search.ListingSearch.count

    def recorded(self: search.ListingSearch) -> int:
        threads.append(threading.current_thread().name)
        return count(self)

    monkeypatch.setattr(search.ListingSearch, "count", recorded)
    for query in QUERIES:
        alongside = client.get(f"/annonces/{query}").content.decode()
        assert threads.pop().startswith("search-count"), query
        settings.SEARCH_COUNT_THREADS = 0
        in_line = client.get(f"/annonces/{query}").content.decode()
        assert threads.pop() == threading.current_thread().name, query
        settings.SEARCH_COUNT_THREADS = 1
        assert alongside == in_line, query
    everything = client.get("/annonces/").content.decode()
    assert total(everything) == 15  # 23, less the 7 sold, less the hidden one


def test_a_search_inside_a_transaction_counts_in_line(client, counting_thread, catalogue):
    from django.db import transaction

    # Another connection would not see rows this transaction wrote.
    with transaction.atomic():
        make_listing(feed=catalogue[0].feed, upstream_id="uncommitted", transaction="sell")
        body = client.get("/annonces/?transaction=sell").content.decode()
    assert total(body) == 8 + 1


def test_first_searches_at_once_share_one_pool_of_counting_threads(settings):
    settings.SEARCH_COUNT_THREADS = 2
    search.stop_counting()
    pools = []
    start = threading.Barrier(6)

    def first_search() -> None:
        start.wait()
        pools.append(search._counters())

    runners = [threading.Thread(target=first_search) for _ in range(6)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert len({id(pool) for pool in pools}) == 1
    search.stop_counting()


def test_stopping_the_counts_closes_their_connections(client, counting_thread, catalogue):
    client.get("/annonces/")
    (wrapper,) = search._counting_connections
    search.stop_counting()
    assert not search._counting_connections
    # Django keeps an in-memory SQLite test database open whatever is asked: its rows
    # would be gone. A database on disk or a server's is closed.
    if not (wrapper.vendor == "sqlite" and wrapper.is_in_memory_db()):
        assert wrapper.connection is None
