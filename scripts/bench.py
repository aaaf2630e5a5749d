"""Serving benchmark against the machine's limits (issues "Fast for every visitor", #18).

50,000 generated listings; production settings (DEBUG off, gunicorn with gunicorn.conf.py,
2 workers) on 127.0.0.1; wrk measures requests/s and latency p50/p95/p99 of each page:
- through gunicorn alone, uncached and from Django's page cache, beside the framework's
  floor (a Django view returning the same bytes with no work, scripts/bench_floor.py);
- through nginx's shared cache (deploy/nginx/vitrine.conf, the shipped file) in front of
  that gunicorn, beside nginx serving each page's very bytes as a static file (the
  machine's limit).
Then checks the targets of #18 in one line each, and prints the SQL query count of each page.

    make bench                                   # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vitrine_bench make bench
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
GUNICORN_WORKERS = 2
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"rps": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""
NGINX_MAIN = """
{user} worker_processes 2; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; default_type text/html;
  client_body_temp_path {dir}; proxy_temp_path {dir}; fastcgi_temp_path {dir};
  uwsgi_temp_path {dir}; scgi_temp_path {dir};
  {server}
}}
"""
# Each page's bytes as a file, /static-<n>.html: the machine's limit for those bytes.
STATIC_SERVER = "server {{ listen 127.0.0.1:{port}; root {dir}; }}"
SHIPPED_CONF = ROOT / "deploy" / "nginx" / "vitrine.conf"
TARGETS = {"nginx_share": 0.5, "nginx_p99": 5.0, "floor_share": 0.9, "gunicorn_p99": 20.0}


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


def wrk(url: str, script: Path, *, expect_hit: bool = False) -> dict[str, float]:
    # Each worker's first requests (URL resolvers, templates compiled) are not the steady
    # state being measured.
    for _ in range(20):
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            status = response.headers.get("X-Cache-Status", "")
    if expect_hit and status != "HIT":
        sys.exit(f"{url} is not served from nginx's cache (X-Cache-Status: {status!r})")
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
            str(GUNICORN_WORKERS),
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


def render_shipped_conf(values: dict[str, str]) -> str:
    """deploy/nginx/vitrine.conf with its ${VITRINE_...} names replaced (as envsubst does)."""
    pattern = re.compile(r"\$\{(VITRINE_[A-Z_]+)\}")
    return pattern.sub(lambda m: values[m.group(1)], SHIPPED_CONF.read_text())


@contextmanager
def nginx(work: Path, server: str) -> Iterator[int]:
    """nginx (2 workers) with `server` (formatted with `port` and `dir`); its port."""
    port = free_port()
    work.mkdir(exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = NGINX_MAIN.format(dir=work, user=user, server=server.format(port=port, dir=work))
    (work / "nginx.conf").write_text(conf)
    process = subprocess.Popen(
        ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        yield port
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(15)


def main() -> None:
    os.environ["PATH"] += os.pathsep + "/usr/sbin"  # nginx, for users other than root
    if not shutil.which("wrk") or not shutil.which("nginx"):
        sys.exit("make bench needs wrk and nginx: bash scripts/system-packages.sh bench")
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

    # Anything else running on the machine shows in every figure: said beside them.
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    rows: dict[str, dict[str, float]] = {}
    bodies: dict[str, bytes] = {}
    for label, cache_seconds in (("uncached", "0"), ("cached", "600")):
        port = free_port()
        server = gunicorn({**env, "PAGE_CACHE_SECONDS": cache_seconds}, port)
        try:
            for name, path in pages.items():
                rows[f"{name} ({label})"] = wrk(f"http://127.0.0.1:{port}{path}", script)
            if label == "uncached":
                continue
            for name, path in pages.items():
                floor_url = f"http://127.0.0.1:{port}/__floor__/?path={quote(path, safe='/')}"
                rows[f"{name} (floor)"] = wrk(floor_url, script)
            for name, path in pages.items():
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
                    bodies[name] = response.read()
            # nginx's shared cache in front of this gunicorn: the shipped configuration.
            (work / "cache").mkdir()
            (work / "tls.conf").write_text("")
            shipped = render_shipped_conf(
                {
                    "VITRINE_LISTEN": "127.0.0.1:{port}",
                    "VITRINE_SERVER_NAMES": "127.0.0.1",
                    "VITRINE_TLS": str(work / "tls.conf"),
                    "VITRINE_UPSTREAM": f"127.0.0.1:{port}",
                    "VITRINE_CACHE_DIR": str(work / "cache"),
                    "VITRINE_MEDIA_ROOT": str(work),
                }
            )
            # Its braces are nginx's, not format()'s; only the port is left to fill in.
            shipped = shipped.replace("{", "{{").replace("}", "}}").replace("{{port}}", "{port}")
            with nginx(work / "nginx-cache", shipped) as cache_port:
                for name, path in pages.items():
                    url = f"http://127.0.0.1:{cache_port}{path}"
                    rows[f"{name} (nginx cache)"] = wrk(url, script, expect_hit=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(15)

    # The machine's limit: nginx serving each page's bytes as a file.
    static = work / "nginx-static"
    static.mkdir()
    for n, name in enumerate(pages):
        (static / f"static-{n}.html").write_bytes(bodies[name])
    with nginx(static, STATIC_SERVER) as static_port:
        for n, name in enumerate(pages):
            url = f"http://127.0.0.1:{static_port}/static-{n}.html"
            rows[f"{name} (nginx static file)"] = wrk(url, script)

    print(
        f"database: {connection.vendor}; listings: 50,000; wrk {CONNECTIONS} connections, "
        f"{SECONDS} s; gunicorn {GUNICORN_WORKERS} workers; {os.cpu_count()} CPUs; load "
        f"average {load_before} before, {' '.join(f'{x:.1f}' for x in os.getloadavg())} after"
    )
    print(
        "floor: a Django view sending the page's very bytes with no work (scripts/bench_floor.py)"
    )
    print(
        f"{'page':<44} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'x floor':>8} {'% static':>8} {'SQL':>4}"
    )
    for name, row in rows.items():
        base, _, kind = name.rpartition(" (")
        kind = kind.rstrip(")")
        sql = str(queries.get(base, "")) if kind == "uncached" else ""
        floor = rows.get(f"{base} (floor)")
        versus_floor = (
            f"{row['rps'] / floor['rps']:8.2f}" if kind in {"uncached", "cached"} and floor else ""
        )
        static_row = rows.get(f"{base} (nginx static file)")
        versus_static = (
            f"{row['rps'] / static_row['rps'] * 100:7.0f}%"
            if kind == "nginx cache" and static_row
            else ""
        )
        print(
            f"{name:<44} {row['rps']:8.0f} {row['p50']:7.2f} {row['p95']:7.2f} {row['p99']:7.2f} "
            f"{versus_floor:>8} {versus_static:>8} {sql:>4}"
        )

    # The targets of #18, each on its worst page.
    shares = [
        rows[f"{n} (nginx cache)"]["rps"] / rows[f"{n} (nginx static file)"]["rps"] for n in pages
    ]
    nginx_p99 = max(rows[f"{n} (nginx cache)"]["p99"] for n in pages)
    floor_shares = [rows[f"{n} (cached)"]["rps"] / rows[f"{n} (floor)"]["rps"] for n in pages]
    gunicorn_p99 = max(rows[f"{n} (cached)"]["p99"] for n in pages)
    uncached_p95 = max(rows[f"{n} (uncached)"]["p95"] for n in pages)
    verdict = {True: "met", False: "MISSED"}
    print()
    print(
        f"nginx cache vs static file: worst {min(shares) * 100:.0f}% (target >= "
        f"{TARGETS['nginx_share'] * 100:.0f}%), p99 worst {nginx_p99:.2f} ms (target < "
        f"{TARGETS['nginx_p99']:.0f} ms): "
        f"{verdict[min(shares) >= TARGETS['nginx_share'] and nginx_p99 < TARGETS['nginx_p99']]}"
    )
    print(
        f"gunicorn cached vs floor: worst {min(floor_shares):.3f}x (target >= "
        f"{TARGETS['floor_share']}x), p99 worst {gunicorn_p99:.2f} ms (target < "
        f"{TARGETS['gunicorn_p99']:.0f} ms): "
        f"{verdict[min(floor_shares) >= TARGETS['floor_share'] and gunicorn_p99 < TARGETS['gunicorn_p99']]}"
    )
    print(f"uncached pages: p95 worst {uncached_p95:.1f} ms")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
