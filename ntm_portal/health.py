"""`/healthz` for a load balancer or a container's health check: the database answers, every migration is applied,
and the oldest task waiting for the worker is not too old. 200 with the facts as JSON when all hold, else 503."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# A task older than this (queued and not started) means the worker is down or cannot keep up.
MAX_BACKLOG_SECONDS = getattr(settings, "HEALTH_MAX_TASK_BACKLOG_SECONDS", 600)


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ok"


def _migrations() -> tuple[bool, str]:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return False, f"{len(pending)} not applied"
    return True, "ok"


def _task_backlog() -> tuple[bool, float]:
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.filter(status="READY").order_by("enqueued_at").values_list("enqueued_at", flat=True)
    ).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return age <= MAX_BACKLOG_SECONDS, round(age, 1)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    database_ok, database = _database()
    checks: dict = {"database": database}
    healthy = database_ok
    if database_ok:
        try:
            migrations_ok, checks["migrations"] = _migrations()
            backlog_ok, checks["task_backlog_seconds"] = _task_backlog()
        except DatabaseError as exc:
            migrations_ok = backlog_ok = False
            checks["error"] = exc.__class__.__name__
        healthy = migrations_ok and backlog_ok
    if not healthy:
        logger.warning("Health check failed: %s", checks)
    return JsonResponse({"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503)
