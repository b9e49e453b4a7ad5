"""Background work of the reports app: recomputing statuses, after an approval changes or on request.

Queueing marks the units' statuses of the months concerned as waiting (reports.models.RecomputeMark), so pages say
"đang tính lại" instead of a figure that no longer matches the approved ones; the task clears the marks when its new
statuses commit. A task that fails is logged and leaves its marks: the units show as stale until a later run
(another approval of the district, or the recompute_status command) succeeds.

Which backend runs the tasks is the TASKS setting: at once in the queueing process (development, tests), or in the
database for `manage.py db_worker` (production). Arguments are JSON: unit primary keys, a month as "YYYY-MM".
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.tasks import TaskResult, task

from communes.models import AdministrativeUnit
from communes.months import month_code, parse_month
from reports import services
from reports.models import Status

logger = logging.getLogger(__name__)


@task
def recompute_after_approval(*, unit_ids: list[int], month: str, token: str) -> int:
    """Recompute the statuses an approval change of these units in this month affects; the number stored."""
    try:
        units = list(AdministrativeUnit.objects.filter(pk__in=unit_ids))
        return services.recompute_after_approval(units=units, period=parse_month(month), token=token)
    except Exception:
        logger.exception(
            "Recomputing statuses from %s after an approval change of units %s failed; they stay marked stale.",
            month,
            unit_ids,
        )
        raise


@task
def recompute_month(*, month: str, scope_id: int | None, token: str) -> int:
    """Recompute a month's statuses of every tracked unit, or of those in one unit's subtree; the number stored."""
    try:
        scope = AdministrativeUnit.objects.get(pk=scope_id) if scope_id is not None else None
        units = services.tracked_units(scope)
        return services.recompute_marked(units=units, periods=[parse_month(month)], token=token)
    except Exception:
        logger.exception(
            "Recomputing the statuses of %s (scope %s) failed; they stay marked stale.", month, scope_id or "all"
        )
        raise


def queue_after_approval(*, units: list[AdministrativeUnit], period: dt.date) -> TaskResult:
    """Mark what an approval change of these units affects as being recomputed, then queue the recompute.

    Called after the approval has committed: with the immediate backend the task runs here, and its failure is
    recorded on the result (and logged), never raised into the request that approved.
    """
    affected, months = services.approval_scope(units=units, period=period)
    token = services.mark_stale(units=affected, periods=months)
    return recompute_after_approval.enqueue(unit_ids=[u.pk for u in units], month=month_code(period), token=token)


def queue_month(*, period: dt.date, scope: AdministrativeUnit | None = None) -> tuple[int, TaskResult]:
    """Mark a month's statuses of the tracked units (of `scope`) as being recomputed and queue the recompute;
    the number of units marked and the task's result."""
    units = services.tracked_units(scope)
    token = services.mark_stale(units=units, periods=[period])
    result = recompute_month.enqueue(month=month_code(period), scope_id=scope.pk if scope else None, token=token)
    return units.count(), result


@task
def recompute_units(*, unit_ids: list[int], months: list[str], token: str) -> int:
    """Recompute these units' statuses of these months (after a criteria set's version is published)."""
    try:
        units = AdministrativeUnit.objects.filter(pk__in=unit_ids)
        return services.recompute_marked(units=units, periods=[parse_month(m) for m in months], token=token)
    except Exception:
        logger.exception("Recomputing statuses of %s after a publication failed; they stay marked stale.", months)
        raise


def queue_after_publication(criteria_set) -> TaskResult | None:
    """A version of a set was published: the months it covers that have results of its programme are judged again
    (from its day, or the programme's first month), for the units that have them (of its province, for a
    province's own set)."""
    programme = criteria_set.programme
    start = max((criteria_set.effective_from or programme.first_day).replace(day=1), programme.first_month)
    statuses = Status.objects.filter(programme=programme, period__gte=start)
    if criteria_set.province_code:
        code = criteria_set.province_code
        statuses = statuses.filter(Q(unit__path__startswith=f"{code}/") | Q(unit__path__startswith=f"2025/{code}/"))
    months = sorted(set(statuses.values_list("period", flat=True)))
    if not months:
        return None
    units = AdministrativeUnit.objects.filter(pk__in=statuses.values("unit_id"))
    token = services.mark_stale(units=units, periods=months)
    unit_ids = list(units.values_list("pk", flat=True))
    return recompute_units.enqueue(unit_ids=unit_ids, months=[month_code(m) for m in months], token=token)
