"""`make audit`: the browser-level quality gate.

Builds the demo (`manage.py demo --no-serve`: the fake Gedeon API synced through the real
feeds code) in a throwaway SQLite database, serves it with production settings (DEBUG off,
gunicorn, 2 workers, WhiteNoise's compressed files) on 127.0.0.1 with the fake API serving
the photos, then checks the home, search, a detail, an agency and the three legal pages:

* Lighthouse 12 (mobile preset: simulated slow 4G, 4x CPU slowdown), the median of
  AUDIT_LIGHTHOUSE_RUNS runs (default 3) for performance;
* axe-core on a phone and a desktop viewport;
* the Nu Html Checker on the HTML the server sent;
* the search page's weight: HTML+CSS+JS+fonts transferred, compressed, images excluded.

It prints a table, writes the reports under var/audit/ (Lighthouse HTML reports, results.json)
and exits 1 when a budget of `scripts/audit/budget.py` is missed, 2 when it cannot run.
Chromium runs offline-safe: every host but loopback resolves to "not found".
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.audit.budget import WEIGHT_PAGE, judge, table  # noqa: E402
from scripts.bench import free_port, gunicorn, loopback_production_env, wait_for  # noqa: E402

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
REPORTS = ROOT / "var" / "audit"
LIGHTHOUSE_RUNS = int(os.environ.get("AUDIT_LIGHTHOUSE_RUNS", "3"))
LIGHTHOUSE_ATTEMPTS = 4
VIEWPORTS = [["mobile", 390, 844], ["desktop", 1366, 900]]
# Offline safety net: any host but loopback fails inside Chromium without a DNS query.
HOST_RULES = "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1"
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--no-pings",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
]
LEGAL_PAGES = {
    "legal-notice": "/mentions-legales/",
    "fee-schedule": "/honoraires/",
    "privacy": "/donnees-personnelles/",
}
PAGES = ["home", "search", "detail", "agency", *LEGAL_PAGES]
NOT_IMAGES = {"Document", "Stylesheet", "Script", "Font", "Fetch", "XHR", "Other", "Manifest"}


class AuditError(Exception):
    """The audit could not run (as opposed to a budget missed)."""


def main() -> int:
    started = time.monotonic()
    check_tools()
    work = Path(tempfile.mkdtemp(prefix="vitrine-audit-"))
    REPORTS.mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen] = []
    try:
        urls = serve_demo(work, processes)
        print(f"[{time.monotonic() - started:5.0f}s] demo served; auditing {len(urls)} pages")
        results: dict[str, Any] = {"pages": {name: {"url": url} for name, url in urls.items()}}
        for name, errors in nu_check(urls, work).items():
            results["pages"][name]["nu"] = errors
        print(f"[{time.monotonic() - started:5.0f}s] Nu Html Checker done")
        for name, runs in axe_check(urls, work).items():
            results["pages"][name]["axe"] = runs
        print(f"[{time.monotonic() - started:5.0f}s] axe done")
        for name, url in urls.items():
            summary, report = lighthouse_median(url, name, work)
            results["pages"][name]["lighthouse"] = summary
            if name == WEIGHT_PAGE and report is not None:
                results["weight"] = page_weight(report, WEIGHT_PAGE)
            print(
                f"[{time.monotonic() - started:5.0f}s] lighthouse {name}: {summary.get('scores')}"
            )
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)
    results["duration_seconds"] = round(time.monotonic() - started, 1)
    (REPORTS / "results.json").write_text(json.dumps(results, indent=1))
    misses = judge(results, PAGES)
    print()
    print(table(results, misses, PAGES))
    print(
        f"\naudit took {results['duration_seconds']:.0f} s; reports in {REPORTS.relative_to(ROOT)}/"
    )
    return 1 if misses else 0


def check_tools() -> None:
    missing = [str(p) for p in (LIGHTHOUSE, VNU, NODE_MODULES / "axe-core") if not p.exists()]
    if missing:
        raise AuditError(f"missing {', '.join(missing)}: run `make audit` (it runs npm ci)")
    for tool in ("node", "java", CHROME):
        if not shutil.which(tool):
            raise AuditError(f"missing {tool} (`make audit-deps` installs it)")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    major, minor = (int(part) for part in version.strip().lstrip("v").split(".")[:2])
    if (major, minor) < (18, 16):
        raise AuditError(f"Lighthouse 12 needs node >= 18.16, found {version.strip()}")


def production_env(work: Path) -> dict[str, str]:
    env = loopback_production_env(
        DATABASE_URL=f"sqlite:///{work / 'audit.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.pop("REDIS_URL", None)
    return env


def serve_demo(work: Path, processes: list[subprocess.Popen]) -> dict[str, str]:
    """The demo data and servers; returns the URL of each audited page."""
    env = production_env(work)
    upstream_port = free_port()
    manage = [sys.executable, str(ROOT / "manage.py")]
    # The demo command is installed only when asked for (DEMO=1); the site is then served
    # as shipped, without it.
    for command, extra in (
        (["demo", "--no-serve", "--upstream-port", str(upstream_port)], {"DEMO": "1"}),
        (["collectstatic", "--noinput", "-v", "0"], {}),
    ):
        done = subprocess.run(
            manage + command, cwd=ROOT, env={**env, **extra}, capture_output=True, text=True
        )
        if done.returncode:
            raise AuditError(f"manage.py {command[0]} failed:\n{done.stdout}{done.stderr}")
    paths = json.loads(
        subprocess.run(
            [*manage, "shell", "--no-imports", "-c", PICK_PAGES],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )
    # The demo's photos come from the fake API, which `demo --no-serve` stopped: serve them again.
    # (Its log holds the broken pipes of photos a browser stopped loading: not errors.)
    with open(REPORTS / "fake-gedeon.log", "wb") as log:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "showcase.demo.fake_gedeon", "--port", str(upstream_port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    wait_for(upstream_port)
    port = free_port()
    processes.append(gunicorn(env, port))
    base = f"http://127.0.0.1:{port}"
    paths = {"home": "/", "search": "/annonces/", **paths, **LEGAL_PAGES}
    return {name: base + path for name, path in paths.items()}


# A detail page with a gallery and energy labels, and an agency with listings.
PICK_PAGES = """
import json
from django.db.models import Count
from showcase.listings.models import Agency, Listing
listing = (Listing.objects.published().exclude(dpe_letter="").filter(photo_count__gte=3)
           .order_by("pk").first())
agency = (Agency.objects.published().annotate(n=Count("listings")).filter(n__gt=0)
          .order_by("pk").first())
print(json.dumps({"detail": listing.get_absolute_url(), "agency": agency.get_absolute_url()}))
"""


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def nu_check(urls: dict[str, str], work: Path) -> dict[str, dict[str, Any]]:
    """Nu Html Checker errors of the HTML each page sent (one Java run for all)."""
    files = {}
    for name, url in urls.items():
        try:
            body = fetch(url)
        except OSError as exc:
            raise AuditError(f"{name} ({url}) did not answer 200: {exc}") from exc
        files[name] = work / f"{name}.html"
        files[name].write_bytes(body)
    done = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(path) for path in files.values()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        return {name: {"error": f"vnu failed: {done.stderr[-500:]}"} for name in urls}
    return nu_errors_by_page(messages, {path.name: name for name, path in files.items()})


def nu_errors_by_page(messages: list[dict[str, Any]], pages: dict[str, str]) -> dict[str, Any]:
    """Nu's JSON messages grouped by page (`pages`: file name -> page name; Nu writes
    `file:/dir/name.html`); warnings and info are left out. A message about no known file
    (e.g. an I/O failure) fails them all."""
    found: dict[str, dict[str, Any]] = {name: {"errors": []} for name in pages.values()}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = pages.get(message.get("url", "").rpartition("/")[2])
        if name is None:
            return {name: {"error": f"vnu: {message.get('message')}"} for name in pages.values()}
        found[name]["errors"].append(
            {
                "line": message.get("lastLine"),
                "column": message.get("firstColumn"),
                "message": message.get("message", "").strip(),
            }
        )
    return found


def axe_check(urls: dict[str, str], work: Path) -> dict[str, Any]:
    """axe-core violations per page and viewport."""
    out = work / "axe.json"
    profile = work / "axe-profile"
    command = [
        "node",
        str(HERE / "axe.cjs"),
        str(out),
        str(profile),
        json.dumps(VIEWPORTS),
        json.dumps(urls),
        *CHROME_FLAGS[1:],  # puppeteer adds --headless itself
        f"--host-resolver-rules={HOST_RULES}",
    ]
    try:
        done = run_browser(command, profile, timeout=120 + 30 * len(urls))
    except subprocess.TimeoutExpired:
        return {name: {"run": {"error": "axe timed out"}} for name in urls}
    if not out.exists():
        return {name: {"run": {"error": f"axe failed: {done.stderr[-500:]}"}} for name in urls}
    shutil.copy(out, REPORTS / "axe.json")
    return json.loads(out.read_text())


def lighthouse_median(url: str, name: str, work: Path) -> tuple[dict[str, Any], dict | None]:
    """Lighthouse LIGHTHOUSE_RUNS times; the summary and report of the median performance run."""
    runs = []
    for run in range(LIGHTHOUSE_RUNS):
        prefix = work / f"lh-{name}-{run}"
        report = lighthouse(url, prefix)
        for attempt in range(2, LIGHTHOUSE_ATTEMPTS + 1):
            if "error" not in report:
                break
            # Lighthouse itself says "run again" on a lost trace (NO_NAVSTART and the like);
            # seen twice in a row on a busy 2-core machine, never three times.
            print(f"lighthouse {name}: {report['error'].strip()[:200]}; attempt {attempt}")
            time.sleep(2)
            report = lighthouse(url, prefix)
        if "error" in report:
            return {"error": report["error"]}, None
        runs.append((score(report, "performance") or 0, run, report, prefix))
    runs.sort(key=lambda item: item[:2])
    _, _, median, prefix = runs[len(runs) // 2]
    summary = lighthouse_summary(median)
    summary["performance_runs"] = [item[0] for item in runs]
    for suffix in ("json", "html"):
        shutil.copy(f"{prefix}.report.{suffix}", REPORTS / f"lighthouse-{name}.{suffix}")
    return summary, median


def lighthouse(url: str, prefix: Path) -> dict[str, Any]:
    profile = prefix.with_name(prefix.name + "-profile")
    # Lighthouse splits --chrome-flags on spaces, so the one flag with spaces is quoted.
    flags = " ".join([*CHROME_FLAGS, f'--host-resolver-rules="{HOST_RULES}"'])
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={flags} --user-data-dir={profile}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json",
        "--output=html",
        f"--output-path={prefix}",
        "--max-wait-for-load=45000",
        "--no-enable-error-reporting",
        "--quiet",
    ]
    try:
        done = run_browser(command, profile, timeout=180, env={"CHROME_PATH": CHROME})
    except subprocess.TimeoutExpired:
        return {"error": "lighthouse timed out"}
    path = Path(f"{prefix}.report.json")
    if done.returncode or not path.exists():
        return {"error": f"lighthouse failed: {done.stderr[-500:]}"}
    report = json.loads(path.read_text())
    if report.get("runtimeError"):
        return {"error": f"lighthouse: {report['runtimeError'].get('message')}"}
    return report


def score(report: dict[str, Any], category: str) -> int | None:
    value = report["categories"].get(category, {}).get("score")
    return None if value is None else round(value * 100)


def lighthouse_summary(report: dict[str, Any]) -> dict[str, Any]:
    """Category scores (0-100) and, per category, the audits that cost points."""
    audits = report["audits"]
    scores, failing = {}, {}
    for category, data in report["categories"].items():
        scores[category] = score(report, category)
        failing[category] = [
            ref["id"]
            for ref in data["auditRefs"]
            if ref.get("weight", 0) > 0
            and audits[ref["id"]].get("score") is not None
            and audits[ref["id"]]["score"] < 1
        ]
    return {"scores": scores, "failing": failing}


def page_weight(report: dict[str, Any], page: str) -> dict[str, Any]:
    """What the page transferred (compressed) apart from images, from Lighthouse's network log."""
    items = report["audits"]["network-requests"]["details"]["items"]
    resources = [
        {"url": item["url"], "type": item.get("resourceType"), "bytes": item["transferSize"]}
        for item in items
        if item.get("resourceType") in NOT_IMAGES and item.get("transferSize")
    ]
    return {"page": page, "bytes": sum(r["bytes"] for r in resources), "resources": resources}


def run_browser(
    command: list[str], profile: Path, *, timeout: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a tool that starts Chromium; whatever it leaves running on `profile` is stopped."""
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "TMPDIR": str(profile.parent), **(env or {})},
        )
    finally:
        stop_profile_processes(profile)


def stop_profile_processes(profile: Path) -> None:
    """SIGTERM, then SIGKILL, the processes whose command line names our unique profile dir."""
    marker = f"--user-data-dir={profile}".encode()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = []
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    if marker in (proc / "cmdline").read_bytes():
                        pids.append(int(proc.name))
                except OSError:
                    continue
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        time.sleep(1)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AuditError as exc:
        print(f"audit could not run: {exc}", file=sys.stderr)
        sys.exit(2)
