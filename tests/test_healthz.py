"""/healthz (issue 16): the database reachable, migrations applied, the task backlog young; 503 otherwise."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_healthy_portal_answers_200_without_a_login():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "task_backlog_seconds": 0.0}
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_database_is_503():
    with mock.patch("ntm_portal.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "database": "unreachable: OperationalError"}


def test_migrations_not_applied_are_503():
    with mock.patch("ntm_portal.health.MigrationExecutor.migration_plan", return_value=[("x", False)]):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 not applied"


def test_a_task_waiting_too_long_is_503():
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        task_path="reports.tasks.recompute_month",
        args_kwargs={"args": [], "kwargs": {}},
        status="READY",
        backend_name="default",
        queue_name="default",
        priority=0,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - dt.timedelta(hours=1))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["task_backlog_seconds"] >= 3600


def test_production_settings_pass_the_deploy_check():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_TLS": "true",
        "DJANGO_EMAIL_HOST": "smtp.example.vn",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "ntm.example.vn",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' plugin, never on a server
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_tls_everything_but_the_health_check_is_redirected(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/login/").status_code == 301
    assert Client().get("/login/", headers={"x-forwarded-proto": "https"}, secure=True).status_code == 200


def test_log_lines_are_json_objects():
    import json
    import logging

    from ntm_portal.logs import JsonFormatter

    record = logging.LogRecord("reports.tasks", logging.WARNING, __file__, 1, "Tính lại %s", ("11/2026",), None)
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "reports.tasks", "Tính lại 11/2026")
