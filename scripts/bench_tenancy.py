"""Tenancy benchmark: cost of host resolution (cached) and memory of sitemaps at 100,000 listings.

make bench-tenancy
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench import loopback_production_env  # noqa: E402


def main() -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-100k.sqlite3'}")
    os.environ.update(loopback_production_env(ALLOWED_HOSTS="*"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from scripts.bench_data import load_listings
    from showcase.tenants.models import Domain, Tenant
    from showcase.tenants.resolver import resolve_host

    call_command("migrate", verbosity=0)
    feed = load_listings(100_000)
    tenant, _ = Tenant.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    tenant.feeds.add(feed)
    Domain.objects.get_or_create(host="bench.test", defaults={"tenant": tenant, "is_primary": True})
    Domain.objects.get_or_create(host="www.bench.test", defaults={"tenant": tenant})

    resolve_host("bench.test")  # fill the cache
    calls = 20_000
    started = time.perf_counter()
    for _ in range(calls):
        resolve_host("bench.test")
    per_call = (time.perf_counter() - started) / calls * 1e6
    print(
        f"database: {connection.vendor}; cache: {os.environ.get('REDIS_URL') and 'redis' or 'local memory'}"
    )
    print(f"host resolution (cached): {per_call:.1f} µs per request (target < 1,000 µs)")

    setup_test_environment()
    client = Client(HTTP_HOST="bench.test")
    tracemalloc.start()
    index = client.get("/sitemap.xml").content.decode()
    _current, index_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = index.count("sitemap-listings.xml")
    print(
        f"sitemap index: {pages} listing pages of at most 50,000 URLs, peak {index_peak / 2**20:.1f} MB"
    )
    worst = 0
    for page in range(1, pages + 1):
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(f"/sitemap-listings.xml?p={page}")
        assert response.status_code == 200
        urls = size = 0
        for chunk in response.streaming_content:  # consumed as a server would send it
            urls += chunk.count(b"<url>")
            size += len(chunk)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        worst = max(worst, peak)
        print(
            f"  page {page:2d}: {urls:6d} URLs, {size / 2**20:5.1f} MB sent in {elapsed:4.1f} s, "
            f"peak Python memory {peak / 2**20:5.1f} MB"
        )
    print(f"worst page: {worst / 2**20:.1f} MB: streamed, so flat whatever the page holds")


if __name__ == "__main__":
    main()
