"""The deployment recipe (issue #18, points 1 and 6): the systemd units start what the code
defines, and the env file example documents every variable the code reads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = {
    name: (DEPLOY / "systemd" / f"{name}.service").read_text()
    for name in ("vitrine-web", "vitrine-worker", "vitrine-beat")
}
EXAMPLE = (DEPLOY / "vitrine.env.example").read_text()


def documented() -> set[str]:
    """The variables of the example, set or commented out (`#NAME=`)."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", EXAMPLE, re.MULTILINE))


def read_by_the_code() -> set[str]:
    settings = (ROOT / "showcase" / "settings.py").read_text()
    gunicorn = (ROOT / "gunicorn.conf.py").read_text()
    return set(re.findall(r"env_[a-z]+\(\s*\"([A-Z0-9_]+)\"", settings)) | set(
        re.findall(r"environ\.get\(\s*\"([A-Z0-9_]+)\"", gunicorn)
    )


def test_the_env_example_documents_every_variable_the_code_reads():
    missing = sorted(read_by_the_code() - documented())
    assert not missing, f"add them to deploy/vitrine.env.example: {missing}"


def test_the_units_use_only_variables_the_example_documents():
    for name, unit in UNITS.items():
        used = set(re.findall(r"\$\{([A-Z0-9_]+)\}", unit))
        assert used <= documented(), name


@pytest.mark.parametrize(
    "name, command",
    [
        ("vitrine-web", "/srv/vitrine/.venv/bin/gunicorn showcase.wsgi"),
        ("vitrine-worker", "/srv/vitrine/.venv/bin/celery -A showcase worker"),
        ("vitrine-beat", "/srv/vitrine/.venv/bin/celery -A showcase beat"),
    ],
)
def test_each_unit_runs_its_process_with_the_shared_environment(name, command):
    unit = UNITS[name]
    assert f"ExecStart={command}" in unit
    assert "EnvironmentFile=/etc/vitrine/vitrine.env" in unit
    assert "User=vitrine" in unit and "WorkingDirectory=/srv/vitrine" in unit
    assert "[Install]" in unit and "WantedBy=multi-user.target" in unit


def test_the_celery_command_finds_the_app_as_the_units_start_it():
    """`celery -A showcase` loads the project's app configured from Django's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    done = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "showcase", "report"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "CELERY_TASK_DEFAULT_QUEUE: 'vitrine'" in done.stdout
