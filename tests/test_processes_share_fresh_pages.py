"""Several processes on one SQLite file and no Redis (the embedded default), as deployed:
two gunicorn workers serving cached pages, and `feeds sync` or an admin edit in another
process. A change made anywhere reaches every worker's cached pages at once; counters are
shared and atomic; a writer holding the database makes the others wait, never fail.

Real processes on a temporary database: the suite's own database is in memory and private
to its process, so it could not show any of this.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.servers import PRELUDE, ROOT, gunicorn, process_env, run_django, served_database


def _env(db: str) -> dict[str, str]:
    return process_env(db)


def _django(db: str, code: str, timeout: float = 60) -> str:
    """Run `code` in a new Django process on `db`; its stdout."""
    return run_django(_env(db), code, timeout)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The embedded default on purpose: one SQLite file, no Redis; its URL."""
    with served_database(tmp_path_factory.mktemp("processes"), postgres=False) as db:
        _django(
            db,
            "from tests.factories import make_agency, make_listing\n"
            "agency = make_agency()\n"
            "for n in range(5):\n"
            "    make_listing(feed=agency.feed, agency=agency, upstream_id=f'P{n}',"
            " title=f'Maison numéro {n}')\n",
        )
        yield db


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[str]:
    """Two gunicorn workers on the database; their base URL."""
    with gunicorn(_env(database), workers=2) as url:
        yield url


def _search(url: str) -> tuple[int, str, str]:
    """numberOfItems of the search page, its X-Cache header and its body."""
    with urllib.request.urlopen(f"{url}/annonces/", timeout=10) as response:
        body = response.read().decode()
        cache = response.headers.get("X-Cache", "")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    lists = [json.loads(block) for block in blocks]
    total = next(item["numberOfItems"] for item in lists if item.get("@type") == "ItemList")
    return total, cache, body


def _warm(url: str) -> int:
    """Ask until both workers answer from their cache; the number they show."""
    # Which worker answers is the kernel's choice: ask until 8 hits in a row (each worker
    # has then most likely cached the page), within a bound that a broken cache never meets.
    seen = []
    hits = 0
    while hits < 8:
        assert len(seen) < 80, "pages are not cached"
        seen.append(_search(url))
        hits = hits + 1 if seen[-1][1] == "hit" else 0
    assert len({total for total, _, _ in seen}) == 1
    return seen[-1][0]


def test_an_admin_edit_in_another_process_reaches_every_workers_cached_pages(server, database):
    before = _warm(server)
    _django(
        database,
        "from showcase.listings.models import Listing, ListingFlags\n"
        "listing = Listing.objects.get(upstream_id='P0')\n"
        "ListingFlags.objects.create(listing=listing, tenant=None, hidden=True)"
        "  # the admin's flags inline\n"
        "edited = Listing.objects.get(upstream_id='P3')\n"
        "edited.title = 'Maison rénovée par l’agent'\n"
        "edited.save()  # same upstream digest: only the site's version renews its card\n",
    )
    answers = [_search(server) for _ in range(8)]
    assert {total for total, _, _ in answers} == {before - 1}
    assert not any("Maison numéro 0" in body for _, _, body in answers)
    assert all("Maison rénovée par l’agent" in body for _, _, body in answers)


def test_a_sync_in_another_process_reaches_every_workers_cached_pages(server, database):
    before = _warm(server)
    # What `feeds sync` does: withdraw with one UPDATE, then announce the sync once.
    _django(
        database,
        "from django.utils import timezone\n"
        "from showcase.feeds.models import Feed\n"
        "from showcase.feeds.signals import feed_synced\n"
        "from showcase.listings.models import Listing\n"
        "withdrawn = Listing.objects.filter(upstream_id__in=['P1', 'P2'])\n"
        "withdrawn.update(withdrawn_at=timezone.now())\n"
        "feed = Feed.objects.get()\n"
        "feed_synced.send(sender=Feed, feed=feed, run=None)\n",
    )
    answers = [_search(server) for _ in range(8)]
    assert {total for total, _, _ in answers} == {before - 2}


def test_hits_counted_by_several_processes_at_once_are_never_lost(database):
    code = (
        "from showcase.core.cache import hits_count, version_bump\n"
        "for _ in range(10):\n"
        "    hits_count('processes:burst', 600)\n"
        "    version_bump('processes:burst')\n"
    )
    counters = [
        subprocess.Popen([sys.executable, "-c", PRELUDE + code], cwd=ROOT, env=_env(database))
        for _ in range(3)
    ]
    assert [process.wait(timeout=60) for process in counters] == [0, 0, 0]
    totals = _django(
        database,
        "from showcase.core.cache import hits_get, version_get\n"
        "print(hits_get('processes:burst'), version_get('processes:burst'))\n",
    )
    assert totals.split() == ["30", "31"]


def test_every_connection_uses_wal_and_waits_for_a_busy_database(database):
    """The sync's page transactions, its fetching thread and a web request each open their
    own connection: each must be in WAL mode and wait (20 s) rather than fail as locked."""
    out = _django(
        database,
        "import threading\n"
        "from django.db import connection\n"
        "def pragmas():\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('PRAGMA journal_mode')\n"
        "        mode = cursor.fetchone()[0]\n"
        "        cursor.execute('PRAGMA busy_timeout')\n"
        "        print(mode, cursor.fetchone()[0])\n"
        "    connection.close()\n"
        "pragmas()\n"
        "thread = threading.Thread(target=pragmas)\n"
        "thread.start(); thread.join()\n",
    )
    assert out.split("\n")[:2] == ["wal 20000", "wal 20000"]


def test_a_long_write_elsewhere_delays_but_never_fails_page_views_and_counted_posts(
    server, database
):
    # Another process (a sync's page transaction) holds the write lock for 1 s.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PRELUDE + "import time\n"
            "from django.db import transaction\n"
            "from showcase.core.models import Counter\n"
            "with transaction.atomic():\n"
            "    Counter.objects.create(key='processes:holder', value=1)\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(1.0)\n",
        ],
        cwd=ROOT,
        env=_env(database),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        total, _, _ = _search(server)  # a read: WAL lets it through at once
        read_seconds = time.monotonic() - started
        # A failed admin login writes a shared counter: it waits for the lock, then counts.
        with urllib.request.urlopen(f"{server}/admin/login/", timeout=10) as page:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
            cookie = page.headers["Set-Cookie"].split(";")[0]
        assert token is not None
        form = f"csrfmiddlewaretoken={token.group(1)}&username=agent&password=wrong".encode()
        request = urllib.request.Request(
            f"{server}/admin/login/",
            data=form,
            headers={"Cookie": cookie, "Referer": f"{server}/admin/login/"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200  # the login form again, with its error
        assert holder.wait(timeout=10) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert total >= 0 and read_seconds < 1.0
    counted = _django(
        database,
        "from showcase.core.models import Counter\n"
        "print(Counter.objects.filter(key__startswith='login-failures:').count())\n",
    )
    assert counted.strip() == "1"
