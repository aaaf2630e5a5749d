"""Real processes for the tests that need them: a database other processes can open, Django
code run in a new process, and gunicorn with its workers.

The suite's own database is private to its process (SQLite in memory, or a transaction
never committed), so what several processes do is shown on a database of their own:
a temporary SQLite file, or a temporary PostgreSQL database beside the suite's when
DATABASE_URL points to one. Used by tests/test_processes_share_fresh_pages.py and
tests/deploy/.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRELUDE = (
    "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'showcase.settings'; "
    "sys.path.insert(0, os.getcwd()); django.setup()\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_env(database_url: str, *, redis: bool = False, **overrides: str) -> dict[str, str]:
    """This environment for a Django process on `database_url` (DEBUG on, the page cache
    on); REDIS_URL kept only with `redis`, under a key prefix of its own."""
    dropped = {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    if redis and os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        env["CACHE_KEY_PREFIX"] = f"vitrine-test-{uuid.uuid4().hex[:8]}"
    return {
        **env,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "PAGE_CACHE_SECONDS": "600",
        "CARD_CACHE_SECONDS": "600",
        **overrides,
    }


def run_django(env: dict[str, str], code: str, timeout: float = 60) -> str:
    """Run `code` in a new Django process with `env`; its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def served_database(directory: Path, *, postgres: bool) -> Iterator[str]:
    """A migrated database other processes can open; its URL. PostgreSQL (a database
    created beside DATABASE_URL's, dropped at the end) with `postgres`, else SQLite."""
    if not postgres:
        url = f"sqlite:///{directory / 'db.sqlite3'}"
        _migrate(url)
        yield url
        return
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"vitrine_served_{uuid.uuid4().hex[:10]}"
    server, _, _ = base.rpartition("/")
    admin_url = f"{server}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{server}/{name}"
        _migrate(url)
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=process_env(url),
        check=True,
        timeout=180,
    )


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2) -> Iterator[str]:
    """gunicorn (gunicorn.conf.py) with `workers` workers on a free port; its base URL.
    Stopped with its workers (its own process group) at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "showcase.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": "",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/robots.txt", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the master and its workers: ours only
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
