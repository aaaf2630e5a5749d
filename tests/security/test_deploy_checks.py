"""`manage.py check --deploy` under production settings, as the README sets them up.

One check is silenced, on purpose: security.W021 (HSTS preload) while
SECURE_HSTS_PRELOAD is off, since preloading is a commitment each agency makes for its
own domain (showcase/settings.py). Nothing else is.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DROPPED = {"DEBUG", "DEMO", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": ".my-agency.fr,.other-agency.fr,admin.my-host.fr",
    "SITE_URL": "https://www.my-agency.fr",
    "SECURE_PROXY_SSL_HEADER": "1",
}


def deploy_check(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in DROPPED}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, "SECRET_KEY": secrets.token_urlsafe(50), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_every_deploy_check_but_the_documented_one():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(1 silenced)" in result.stdout + result.stderr


def test_with_hsts_preload_on_nothing_is_silenced():
    result = deploy_check(SECURE_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 silenced)" in result.stdout + result.stderr


def test_any_host_without_site_url_is_reported():
    result = deploy_check(ALLOWED_HOSTS="*", SITE_URL="")
    assert result.returncode != 0
    assert "vitrine.W001" in result.stdout + result.stderr


def test_a_site_url_that_is_not_an_origin_stops_the_process():
    result = deploy_check(SITE_URL="https://*.my-agency.fr/path")
    assert result.returncode != 0
    assert "SITE_URL must be an origin" in result.stderr
