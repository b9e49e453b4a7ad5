"""Approved figures as they stand in a month: each unit's latest approved value of every measure, carried forward
from the month it was approved in (a measure not reported this month keeps its last approved value)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Max, Q, QuerySet

from communes.models import AdministrativeUnit
from communes.months import shift_month
from monthly.models import Report, ReportStatus, Value


def carried_values(units, period: dt.date) -> dict[int, dict[int, Any]]:
    """For each unit, the last approved value of every measure up to this month (one query).

    A measure not reported this month keeps its last approved value. `units` is an iterable of unit ids or a
    queryset of units (sent to the database as a subquery, not as a long list of ids).
    """
    if isinstance(units, QuerySet):
        of_units = Q(report__unit__in=units.values("pk"))
    else:
        of_units = Q(report__unit_id__in=list(units))
    rows = Value.objects.filter(of_units, report__status=ReportStatus.APPROVED, report__period__lte=period).order_by(
        "report__unit_id", "measure_id", "-report__period"
    )
    if connection.vendor == "postgresql":
        rows = rows.distinct("report__unit_id", "measure_id")
    result: dict[int, dict[int, Any]] = defaultdict(dict)
    for unit_id, measure_id, number, flag, level in rows.values_list(
        "report__unit_id", "measure_id", "number", "flag", "level"
    ):
        # Rows come newest first per (unit, measure): keep the first.
        result[unit_id].setdefault(measure_id, _stored(number, flag, level))
    return result


def approved_months(units, period: dt.date) -> dict[int, dt.date]:
    """For each unit, the month of its latest approved report at or before this one: where carried_values' figures
    come from (one query). A unit with no approved report by then is absent."""
    of_units = Q(unit__in=units.values("pk")) if isinstance(units, QuerySet) else Q(unit_id__in=list(units))
    rows = (
        Report.objects.filter(of_units, status=ReportStatus.APPROVED, period__lte=period)
        .values("unit_id")
        .annotate(latest=Max("period"))
        .order_by()
    )
    return {row["unit_id"]: row["latest"] for row in rows}


def _stored(number, flag, level) -> Any:
    if flag is not None:
        return flag
    if level:
        return level
    return number


def previous_values(*, unit: AdministrativeUnit, period: dt.date) -> dict[int, Any]:
    """The last approved value of every measure before this month: where the month's report starts from (one
    query)."""
    return carried_values([unit.pk], shift_month(period, -1)).get(unit.pk, {})
