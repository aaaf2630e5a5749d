from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright at collection time;
    # a production process never has it, and --deploy rightly fails on it.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
