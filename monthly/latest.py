"""The latest approved value per unit and measure (monthly.models.LatestApprovedValue): kept current by approval
and un-approval, in their transactions, and read by the recompute of a month instead of the whole history.

Reading a month through it costs one row per unit and measure however many months of history there are. A unit
with a value approved after the month asked for (a past month recomputed) falls back to the history for that unit
only (monthly.figures.carried_values), so the answer is always the one the history gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from communes.models import AdministrativeUnit
from monthly.figures import approved_months, carried_values
from monthly.models import LatestApprovedValue, Report, ReportStatus, Value

# One statement on both databases: the newest approved value of each (unit, measure), by window function.
REBUILD_SQL = """
INSERT INTO monthly_latestapprovedvalue (unit_id, measure_id, period, number, flag, level)
SELECT unit_id, measure_id, period, number, flag, level FROM (
    SELECT r.unit_id, v.measure_id, r.period, v.number, v.flag, v.level,
           ROW_NUMBER() OVER (PARTITION BY r.unit_id, v.measure_id ORDER BY r.period DESC) AS newest
    FROM communes_value v JOIN communes_report r ON r.id = v.report_id
    WHERE r.status = %s {units}
) ranked
WHERE newest = 1
"""


@transaction.atomic
def rebuild(unit_ids: Iterable[int] | None = None) -> int:
    """Rewrite the rows of these units (all units: None) from the approved reports; returns the rows written."""
    rows = LatestApprovedValue.objects.all()
    params: list[Any] = [ReportStatus.APPROVED]
    of_units = ""
    if unit_ids is not None:
        unit_ids = sorted(set(unit_ids))
        if not unit_ids:
            return 0
        rows = rows.filter(unit_id__in=unit_ids)
        of_units = f"AND r.unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params += unit_ids
    rows.delete()
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL.format(units=of_units), params)
        return cursor.rowcount


def record_approved(reports: list[Report]) -> None:
    """The reports were just approved: their values become the latest of their units unless a later month's
    approved value already is (four queries whatever the number of reports)."""
    if not reports:
        return
    by_pk = {r.pk: r for r in reports}
    lock_units({r.unit_id for r in reports})
    current = {
        (unit_id, measure_id): period
        for unit_id, measure_id, period in LatestApprovedValue.objects.filter(
            unit_id__in={r.unit_id for r in reports}
        ).values_list("unit_id", "measure_id", "period")
    }
    newest: dict[tuple[int, int], LatestApprovedValue] = {}
    for report_id, measure_id, number, flag, level in Value.objects.filter(report_id__in=list(by_pk)).values_list(
        "report_id", "measure_id", "number", "flag", "level"
    ):
        report = by_pk[report_id]
        key = (report.unit_id, measure_id)
        if current.get(key, report.period) > report.period:
            continue
        if key in newest and newest[key].period > report.period:
            continue
        newest[key] = LatestApprovedValue(
            unit_id=report.unit_id, measure_id=measure_id, period=report.period, number=number, flag=flag, level=level
        )
    LatestApprovedValue.objects.bulk_create(
        newest.values(),
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["unit", "measure"],
        update_fields=["period", "number", "flag", "level"],
    )


def record_unapproved(report: Report) -> None:
    """The report is no longer approved: the values it was the latest for fall back to the unit's previous
    approved ones (or go, when there are none)."""
    lock_units({report.unit_id})
    if LatestApprovedValue.objects.filter(unit_id=report.unit_id, period=report.period).exists():
        rebuild([report.unit_id])


def lock_units(unit_ids: set[int]) -> None:
    """Two approvals of one unit's months at once (a report approved while the month before is approved with its
    district's) each read the unit's latest values, then write: the units' rows are locked first, in one order, so
    the second reads what the first wrote. (SQLite has one writer at a time anyway.)"""
    list(AdministrativeUnit.objects.select_for_update().filter(pk__in=sorted(unit_ids)).order_by("pk").values("pk"))


def current_values(units: QuerySet, period: dt.date) -> dict[int, dict[int, Any]]:
    """For each unit, the last approved value of every measure up to this month: carried_values' answer, read from
    the maintained latest values, plus, for the units with values approved after the month, the values of their
    newest report up to it (the history only for a measure that report lacks)."""
    # Whether a row is after the month comes as a boolean: cheaper to fetch than its date, a million times over.
    rows = (
        LatestApprovedValue.objects.filter(unit__in=units.values("pk"))
        .annotate(after=ExpressionWrapper(Q(period__gt=period), output_field=BooleanField()))
        .values_list("unit_id", "measure_id", "number", "flag", "level", "after")
    )
    result: dict[int, dict[int, Any]] = {}
    later: dict[int, set[int]] = {}
    for unit_id, measure_id, number, flag, level, after in _fetch(rows):
        if after:
            later.setdefault(unit_id, set()).add(measure_id)
            continue
        values = result.get(unit_id)
        if values is None:
            values = result[unit_id] = {}
        values[measure_id] = flag if flag is not None else (level or number)
    if later:
        _fill_from_history(result, later, period)
    return result


def _fetch(rows: QuerySet):
    """A values_list's rows. Hundreds of thousands for a country: on PostgreSQL they are fetched at once (Django
    would fetch them a hundred at a time; numbers and booleans need no converter there, unlike on SQLite)."""
    if connection.vendor != "postgresql":
        return rows
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # the ORM's way of saying no row can match (an empty list of units)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rows_by_unit(rows: QuerySet) -> dict[int, dict[int, Any]]:
    """(unit, measure, number, flag, level) rows as {unit: {measure: value}}."""
    result: dict[int, dict[int, Any]] = {}
    for unit_id, measure_id, number, flag, level in _fetch(rows):
        values = result.get(unit_id)
        if values is None:
            values = result[unit_id] = {}
        values[measure_id] = flag if flag is not None else (level or number)
    return result


def _fill_from_history(result: dict[int, dict[int, Any]], later: dict[int, set[int]], period: dt.date) -> None:
    """The measures whose latest value came after the month take the value of the unit's newest approved report up
    to it; a measure that report lacks, the history's (carried_values, for those units only)."""
    newest = approved_months(list(later), period)
    by_month: dict[dt.date, list[int]] = {}
    for unit_id, month in newest.items():
        by_month.setdefault(month, []).append(unit_id)
    condition = Q(pk__in=[])
    for month, unit_ids in by_month.items():
        condition |= Q(report__period=month, report__unit_id__in=unit_ids)
    found = _rows_by_unit(
        Value.objects.filter(condition, report__status=ReportStatus.APPROVED).values_list(
            "report__unit_id", "measure_id", "number", "flag", "level"
        )
    )
    gaps: set[int] = set()
    for unit_id, measures in later.items():
        own, values = found.get(unit_id, {}), result.setdefault(unit_id, {})
        for measure_id in measures:
            if measure_id in own:
                values[measure_id] = own[measure_id]
            elif unit_id in newest:
                gaps.add(unit_id)  # an older report may hold it
    for unit_id, values in carried_values(sorted(gaps), period).items():
        for measure_id in later[unit_id]:
            if measure_id not in result[unit_id] and measure_id in values:
                result[unit_id][measure_id] = values[measure_id]
    for unit_id in later:
        if not result[unit_id]:
            del result[unit_id]
