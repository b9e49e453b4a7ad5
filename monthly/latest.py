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

from django.db import connection, transaction
from django.db.models import QuerySet

from communes.models import AdministrativeUnit
from monthly.figures import _stored, carried_values
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
    the maintained latest values (one query), plus one history query for the units approved after the month."""
    result: dict[int, dict[int, Any]] = {}
    later: set[int] = set()
    for unit_id, measure_id, at, number, flag, level in LatestApprovedValue.objects.filter(
        unit__in=units.values("pk")
    ).values_list("unit_id", "measure_id", "period", "number", "flag", "level"):
        if at > period:
            later.add(unit_id)
        else:
            result.setdefault(unit_id, {})[measure_id] = _stored(number, flag, level)
    if later:
        for unit_id in later:
            result.pop(unit_id, None)
        result.update(carried_values(sorted(later), period))
    return result
