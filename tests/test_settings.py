import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from carsi_tracker.env import env_bool, env_list


def start(**env):
    """Import the settings in a fresh interpreter with exactly these DJANGO_* variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import carsi_tracker.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        env=clean | env,
        capture_output=True,
        text=True,
    )


def test_debug_is_off_and_a_secret_key_is_required_unless_asked_otherwise():
    result = start()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    result = start(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['127.0.0.1', 'localhost']"


def test_production_settings_take_hosts_from_the_environment():
    result = start(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="carsi.example.org, www.carsi.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['carsi.example.org', 'www.carsi.example.org']"


def test_env_bool_refuses_what_it_cannot_read(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be one of"):
        env_bool("DJANGO_DEBUG", default=False)


def test_env_list(monkeypatch):
    monkeypatch.setenv("HOSTS", "a, b,,c")
    assert env_list("HOSTS", default=[]) == ["a", "b", "c"]


def test_manage_py_names_a_missing_setting_in_one_line():
    clean = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "check"],
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "manage.py: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. For local use, `make run` "
        "turns debug on; run other commands as `DJANGO_DEBUG=1 .venv/bin/python manage.py …`."
    ]
