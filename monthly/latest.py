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
from django.db.models import QuerySet

from communes.models import AdministrativeUnit
from monthly.figures import carried_values
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
    the maintained latest values. A unit with values approved after the month takes the values of its newest
    report up to it over them, or the history's answer when that report lacks one of those measures. Two queries,
    three when such a report lacks a measure."""
    of_units = units.values("pk")
    result = _latest_by_unit(
        LatestApprovedValue.objects.filter(unit__in=of_units, period__lte=period).values_list(
            "unit_id", "measure_id", "number", "flag", "level"
        )
    )
    gaps = []
    for unit_id, (count, own) in _newest_reports(of_units, period).items():
        values = result.get(unit_id)
        if values is None:
            result[unit_id], covered = own, len(own)
        else:
            # A measure of the newest report without a latest row up to the month has its latest after it.
            covered = sum(1 for measure_id in own if measure_id not in values)
            values.update(own)
        if covered < count:
            gaps.append(unit_id)
    # The newest report lacks a measure approved since: the history decides, for those units only.
    result.update(carried_values(gaps, period) if gaps else {})
    return {unit_id: values for unit_id, values in result.items() if values}


# For each unit with values approved after the month: how many of its measures have one (counted, not fetched:
# a past month of a whole country would read every row twice), and the values of its newest approved report up to
# the month (a row without a measure for a report without values). A unit with no approved report by then has no
# row: nothing carries into the month. By join, not by lists of units and months: a past month names every unit.
NEWEST_REPORTS_SQL = """
WITH later AS (
    SELECT unit_id, COUNT(*) AS measures FROM monthly_latestapprovedvalue
    WHERE period > %s AND unit_id IN ({units})
    GROUP BY unit_id
)
SELECT newest.unit_id, newest.measures, v.measure_id, v.number, v.flag, v.level
FROM (
    SELECT later.unit_id, later.measures, MAX(month.period) AS period
    FROM later JOIN communes_report month ON month.unit_id = later.unit_id
    WHERE month.status = %s AND month.period <= %s
    GROUP BY later.unit_id, later.measures
) newest
JOIN communes_report r ON r.unit_id = newest.unit_id AND r.period = newest.period AND r.status = %s
LEFT JOIN communes_value v ON v.report_id = r.id
"""


def _newest_reports(of_units: QuerySet, period: dt.date) -> dict[int, tuple[int, dict[int, Any]]]:
    """{unit: (measures with a value approved after the month, {measure: value of its newest report up to it})}."""
    try:
        units_sql, units_params = of_units.query.sql_with_params()
    except EmptyResultSet:  # the ORM's way of saying no row can match (an empty list of units)
        return {}
    approved = ReportStatus.APPROVED
    with connection.cursor() as cursor:
        cursor.execute(NEWEST_REPORTS_SQL.format(units=units_sql), [period, *units_params, approved, period, approved])
        rows = cursor.fetchall()
    if connection.vendor != "postgresql":
        # SQLite hands back what the ORM would convert: numbers as floats, flags as 0 and 1.
        to_decimal = Value._meta.get_field("number").to_python
        rows = [
            (unit, count, measure, None if n is None else to_decimal(n), None if flag is None else bool(flag), level)
            for unit, count, measure, n, flag, level in rows
        ]
    result: dict[int, tuple[int, dict[int, Any]]] = {}
    for unit_id, count, measure_id, number, flag, level in rows:
        found = result.get(unit_id)
        if found is None:
            found = result[unit_id] = (count, {})
        if measure_id is not None:
            found[1][measure_id] = flag if flag is not None else (level or number)
    return result


# The same rows gathered per unit in PostgreSQL, a unit's numbers, flags and levels in arrays of their own (the
# kind of each value as _by_unit tells it): 8,000 rows for a country instead of 660,000, and each unit's dict made
# by zip in C. A fifth less time than fetching the rows and grouping them in Python.
LATEST_BY_UNIT_SQL = """
SELECT unit_id,
    ARRAY_AGG(measure_id) FILTER (WHERE flag IS NULL AND level = ''),
    ARRAY_AGG(number) FILTER (WHERE flag IS NULL AND level = ''),
    ARRAY_AGG(measure_id) FILTER (WHERE flag IS NOT NULL),
    ARRAY_AGG(flag) FILTER (WHERE flag IS NOT NULL),
    ARRAY_AGG(measure_id) FILTER (WHERE flag IS NULL AND level <> ''),
    ARRAY_AGG(level) FILTER (WHERE flag IS NULL AND level <> '')
FROM ({rows}) latest
GROUP BY unit_id
"""


def _latest_by_unit(rows: QuerySet) -> dict[int, dict[int, Any]]:
    """A values_list of (unit, measure, number, flag, level) rows of the latest values as {unit: {measure: value}}:
    on PostgreSQL gathered per unit in SQL (LATEST_BY_UNIT_SQL), elsewhere row by row (SQLite's numbers and flags
    go through the ORM's converters)."""
    if connection.vendor != "postgresql":
        return _by_unit(rows)
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # the ORM's way of saying no row can match (an empty list of units)
        return {}
    with connection.cursor() as cursor:
        cursor.execute(LATEST_BY_UNIT_SQL.format(rows=sql), params)
        gathered = cursor.fetchall()
    result: dict[int, dict[int, Any]] = {}
    for unit_id, numbered, numbers, flagged, flags, levelled, levels in gathered:
        values = result[unit_id] = dict(zip(numbered, numbers, strict=True)) if numbered else {}
        if flagged:
            values.update(zip(flagged, flags, strict=True))
        if levelled:
            values.update(zip(levelled, levels, strict=True))
    return result


def _by_unit(rows) -> dict[int, dict[int, Any]]:
    """(unit, measure, number, flag, level) rows as {unit: {measure: value}}."""
    result: dict[int, dict[int, Any]] = {}
    for unit_id, measure_id, number, flag, level in rows:
        values = result.get(unit_id)
        if values is None:
            values = result[unit_id] = {}
        values[measure_id] = flag if flag is not None else (level or number)
    return result
