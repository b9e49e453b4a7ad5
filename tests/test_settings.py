import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ntm_portal.settings import database_from_url, env_bool

ROOT = Path(__file__).resolve().parent.parent


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_start_up_refuses_a_missing_secret_key_with_debug_off():
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "ntm.example"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_start_up_with_debug_off_and_a_secret_key():
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "ntm.example"})
    assert result.returncode == 0, result.stderr


def test_malformed_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be a boolean"):
        env_bool("DJANGO_DEBUG", True)


def test_database_url_parsing():
    assert database_from_url(None)["ENGINE"] == "django.db.backends.sqlite3"
    pg = database_from_url("postgresql://ntm:p%40ss@db.local:5433/portal")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "portal",
        "ntm",
        "p@ss",
        "db.local",
        "5433",
    )
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        database_from_url("mysql://x@y/z")


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
