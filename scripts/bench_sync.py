"""Sync benchmark: N generated ads behind the local fake Gedeon API.

Measures the initial sync, a no-change re-sync (ads/s) and the peak RSS, on a fresh
SQLite file (default) or on DATABASE_URL when given. It also times reading the pages
alone (no database), the floor set by the fake upstream on this machine, and reports
the CPU time of the sync process beside the wall time, since the machine may be busy. Targets (issue "Foundation"):
initial >= 1,000 ads/s on SQLite, re-sync >= 5,000 ads/s, peak RSS < 200 MB at 100,000.

A third pass measures the cost of confirming withdrawals (issue #13): WITHDRAWALS listings
are renamed to ids the upstream does not know, so the pass creates the real ones again and
confirms each renamed one gone with GET /ads/{id} (404) before withdrawing it.

    make bench-sync                      # 20,000 ads
    make bench-sync COUNT=100000
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the fake Gedeon API did not start")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument(
        "--withdrawals", type=int, default=100, help="unseen listings the third pass confirms"
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-sync-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The fake Gedeon listens on 127.0.0.1: credentials may go there for the benchmark only.
    os.environ.setdefault("FEEDS_EXTRA_ALLOWED_HOSTS", "http://127.0.0.1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "showcase.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from showcase.feeds.gedeon.client import GedeonClient
    from showcase.feeds.models import Feed
    from showcase.feeds.sync import sync_feed
    from showcase.listings.models import Listing

    call_command("flush", interactive=False, verbosity=0) if connection.vendor != "sqlite" else None
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; ads: {args.count:,}")
    # The upstream runs in its own process, as a real API would: its JSON encoding must
    # not share this process's interpreter lock or memory.
    port = free_port()
    upstream = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "showcase.demo.fake_gedeon",
            "--port",
            str(port),
            "--count",
            str(args.count),
            "--key",
            "bench",
            # Pages are generated on the first read (the "upstream alone" pass) and kept,
            # so both syncs measure our code rather than the fake's ad generator.
            "--cache-pages",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        feed = Feed.objects.create(
            name="bench", kind="gedeon", base_url=f"http://127.0.0.1:{port}", api_key="bench"
        )
        rows = []
        # Reading every page with no database at all: the first read fills the fake's page
        # cache, the second is the floor any sync has on this machine.
        for label in ("upstream warm-up", "upstream alone"):
            started, cpu = time.perf_counter(), time.process_time()
            fetched = sum(len(page.items) for page in GedeonClient(feed).ad_pages())
            assert fetched == args.count, fetched
            rows.append((label, time.perf_counter() - started, time.process_time() - cpu))
        for label in ("initial sync", "no-change re-sync"):
            started, cpu = time.perf_counter(), time.process_time()
            run = sync_feed(feed, full=True)
            rows.append((label, time.perf_counter() - started, time.process_time() - cpu))
            assert run.status == "success" and run.complete, run.error
            rows[-1] += (
                f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}",
            )
        renamed = list(
            Listing.objects.filter(feed=feed)
            .order_by("pk")
            .values_list("pk", flat=True)[: args.withdrawals]
        )
        for pk in renamed:
            Listing.objects.filter(pk=pk).update(upstream_id=f"99{pk:09d}")
        started, cpu = time.perf_counter(), time.process_time()
        run = sync_feed(feed, full=True)
        rows.append(
            (
                "withdrawing re-sync",
                time.perf_counter() - started,
                time.process_time() - cpu,
                f"created {run.created}, unchanged {run.unchanged}, "
                f"withdrawn {run.withdrawn} after {len(renamed)} GET /ads/{{id}}",
            )
        )
        assert run.status == "success" and run.withdrawn == len(renamed), run.error
        # Before the checks below: they read the whole table through SQLite's memory map.
        sync_rss = peak_rss_mb()
    finally:
        upstream.terminate()
        upstream.wait(10)
    assert Listing.objects.filter(feed=feed).live().count() == args.count
    print(f"{'':<18} {'wall':>8}  {'ads/s':>8}  {'CPU of this process':>22}")
    for label, seconds, cpu_seconds, *counts in rows:
        print(
            f"{label:<18} {seconds:7.1f}s  {args.count / seconds:8.0f}  "
            f"{cpu_seconds:7.1f}s = {args.count / cpu_seconds:6.0f} ads/CPU-s  "
            + (f"({counts[0]})" if counts else "")
        )
    confirm = rows[-1][1] - rows[-2][1]
    print(
        f"confirming {args.withdrawals} withdrawals cost about {confirm:.1f}s more than a "
        f"no-change re-sync (with {args.withdrawals} creations): "
        f"{1000 * confirm / max(args.withdrawals, 1):.0f} ms a withdrawal"
    )
    print(f"peak RSS           {sync_rss:7.0f} MB (the sync process)")
    print(
        f"load average       {os.getloadavg()[0]:7.1f} on {os.cpu_count()} CPUs (other work slows the wall figures)"
    )
    Feed.objects.filter(pk=feed.pk).delete() if connection.vendor != "sqlite" else None


if __name__ == "__main__":
    main()
