from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright at collection time;
    # a production process never has it, and --deploy rightly fails on it. The suite runs
    # on tests.settings; these checks are about the product's own (manage.py's default).
    dropped = {"DEBUG", "DEMO", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_checklist():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "ALLOWED_HOSTS": "vitrine.example",
            "SECRET_KEY": "x" * 30 + "-production-like-secret-key-1234567890",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_static_files_collect_with_hashed_compressed_names(tmp_path):
    # The manifest storage fails on any reference it cannot resolve (e.g. a vendored
    # script's source map): a deploy would break at collectstatic, so prove it passes.
    result = _run_manage(
        "collectstatic",
        "--noinput",
        env={"DEBUG": "0", "SECRET_KEY": "x" * 50, "STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/leaflet.markercluster/leaflet.markercluster.*.js.br"))


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "vitrine.example"}


def test_production_does_not_install_the_demo_unless_asked():
    shipped = _run_manage("help", "demo", env=PRODUCTION)
    assert shipped.returncode != 0
    assert "Unknown command: 'demo'" in shipped.stderr
    asked = _run_manage("help", "demo", env={**PRODUCTION, "DEMO": "1"})
    assert asked.returncode == 0, asked.stdout + asked.stderr


def test_development_installs_the_demo():
    result = _run_manage("help", "demo", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_negative_or_garbled_trusted_proxy_count_stops_the_start():
    negative = _run_manage("check", env={"DEBUG": "1", "TRUSTED_PROXY_COUNT": "-1"})
    assert negative.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in negative.stderr
    garbled = _run_manage("check", env={"DEBUG": "1", "TRUSTED_PROXY_COUNT": "nginx"})
    assert garbled.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be an integer" in garbled.stderr


def test_sqlite_connections_wait_for_a_busy_database_in_wal_mode():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL: nothing of the kind to set")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["timeout"] >= 20 and options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
