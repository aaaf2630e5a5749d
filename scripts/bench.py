"""Serving benchmark against the machine's limits (issue "Fast for every visitor").

50,000 generated listings; production settings (DEBUG off, gunicorn, 2 workers) on
127.0.0.1; wrk measures requests/s and latency p50/p95/p99 for each page uncached and
cached, beside two references from the same run: a Django view returning the same bytes
with no work (the framework's floor) and nginx serving those bytes as a static file
(the machine's limit). Also prints the SQL query count of each page.

    make bench                                   # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vitrine_bench make bench
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"rps": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""
NGINX_CONF = """
worker_processes 2; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; default_type text/html;
  client_body_temp_path {dir}; proxy_temp_path {dir}; fastcgi_temp_path {dir};
  uwsgi_temp_path {dir}; scgi_temp_path {dir};
  server {{ listen 127.0.0.1:{port}; root {dir}; location / {{ try_files /page.html =404; }} }}
}}
"""


def loopback_production_env(**overrides: str) -> dict[str, str]:
    """This environment with production settings (DEBUG off) for plain HTTP on 127.0.0.1."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnop",
        # No redirect to HTTPS, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "PLATFORM_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "showcase.settings",
        **overrides,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def wrk(url: str, script: Path) -> dict[str, float]:
    # Each worker's first requests (URL resolvers, templates compiled) are not the steady
    # state being measured.
    for _ in range(20):
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        timeout=SECONDS + 30,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "showcase.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
    except RuntimeError:
        process.kill()  # not left running when it never answered
        process.wait(15)
        raise
    return process


def main() -> None:
    if not shutil.which("wrk") or not shutil.which("nginx"):
        sys.exit("make bench needs wrk and nginx (Debian: apt-get install wrk nginx-light)")
    work = Path(tempfile.mkdtemp(prefix="vitrine-bench-"))
    # The product's settings with /__floor__/ added to the URLconf (scripts/bench_floor.py).
    env = loopback_production_env(
        ALLOWED_HOSTS="*", DJANGO_SETTINGS_MODULE="scripts.bench_settings"
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-50k.sqlite3'}")
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from scripts.bench_data import load_listings
    from showcase.listings.models import Listing

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_listings(50_000)
    detail = Listing.objects.published().order_by("pk").first().get_absolute_url()
    pages = {
        "home": "/",
        "search, no criteria": "/annonces/",
        "search, 3 criteria": "/annonces/?transaction=sell&type=flat&max_price=400000",
        "search, localization+extends": "/annonces/?localization=lyon&extends=10000",
        "detail": detail,
    }
    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    queries = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[name] = len(captured)
    connection.close()

    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    rows: dict[str, dict[str, float]] = {}
    for label, cache_seconds in (("uncached", "0"), ("cached", "600")):
        port = free_port()
        server = gunicorn({**env, "PAGE_CACHE_SECONDS": cache_seconds}, port)
        try:
            for name, path in pages.items():
                rows[f"{name} ({label})"] = wrk(f"http://127.0.0.1:{port}{path}", script)
            if label == "cached":
                rows["framework floor (same bytes, no work)"] = wrk(
                    f"http://127.0.0.1:{port}/__floor__/", script
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(15)

    # The machine's limit: nginx serving the home page's bytes as a file.
    (work / "page.html").write_bytes(client.get("/").content)
    port = free_port()
    (work / "nginx.conf").write_text(NGINX_CONF.format(dir=work, port=port))
    nginx = subprocess.Popen(
        ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        rows["nginx static file (machine limit)"] = wrk(f"http://127.0.0.1:{port}/", script)
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(15)

    floor = rows["framework floor (same bytes, no work)"]["rps"]
    limit = rows["nginx static file (machine limit)"]["rps"]
    print(
        f"database: {connection.vendor}; listings: 50,000; wrk {CONNECTIONS} connections, {SECONDS} s; gunicorn 2 workers"
    )
    print(
        f"{'page':<44} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'% floor':>8} {'% nginx':>8} {'SQL':>4}"
    )
    for name, row in rows.items():
        base = name.rsplit(" (", 1)[0]
        sql = str(queries.get(base, "")) if "uncached" in name else ""
        print(
            f"{name:<44} {row['rps']:8.0f} {row['p50']:7.1f} {row['p95']:7.1f} {row['p99']:7.1f} "
            f"{row['rps'] / floor * 100:7.0f}% {row['rps'] / limit * 100:7.1f}% {sql:>4}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
