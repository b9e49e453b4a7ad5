"""Every month up to this one has a result for every judged commune that has approved figures by then.

A commune's result for a month is its evaluation on its latest approved figures at or before it (they carry
forward). Approvals recompute the months they change (reports.services.approval_scope); a month nobody has computed
yet (a new month has begun, or an approval elsewhere reached further) is computed when a page, an export or the API
first reads it: `ensure_results` finds the communes without a result and queues the month, so no count, average or
trend ever loses a commune because another one was approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Min, Q

from communes.models import AdministrativeUnit, Level
from communes.months import this_month
from criteria.models import CriteriaSet, JudgedKinds, SetStatus, judged_kinds_of
from criteria.models import Level as CriteriaLevel
from monthly.models import Report, ReportStatus
from reports.models import RecomputeMark, Status
from reports.tasks import queue_month


def _commune_kinds_by_year(years: set[int]) -> dict[int, JudgedKinds]:
    """The commune kinds judged in each year by the sets in force then (one query)."""
    rows = (
        CriteriaSet.objects.filter(Q(province_code="") | Q(status=SetStatus.PUBLISHED), level=CriteriaLevel.COMMUNE)
        .values_list("unit_kinds", "programme__start_year", "programme__end_year")
        .order_by()
    )
    rows = list(rows)
    return {year: judged_kinds_of([kinds for kinds, start, end in rows if start <= year <= end]) for year in years}


def missing_months(scope: AdministrativeUnit | None, months: Iterable[dt.date]) -> list[dt.date]:
    """The months (up to this one) in which a commune of the scope that the month's criteria judge, approved by
    then, has no result and none is being computed (three queries: the sets' kinds, each commune's first approved
    month, the results and marks of those months)."""
    months = sorted({m for m in months if m <= this_month()})
    if not months:
        return []
    kinds_by_year = _commune_kinds_by_year({m.year for m in months})
    # Joined, not `unit__in=<subquery>`: right after a bulk load (no planner statistics yet) PostgreSQL may run the
    # subquery once per report, a full scan of the unit table each time (seconds with both 2025 lists loaded).
    communes = Q(unit__level=Level.COMMUNE)
    if scope is not None:
        communes &= Q(unit__path__startswith=scope.path)
    first = {
        row["unit_id"]: (row["first"], row["unit__kind"], row["unit__valid_to"])
        for row in Report.objects.filter(communes, status=ReportStatus.APPROVED, period__lte=months[-1])
        .values("unit_id", "unit__kind", "unit__valid_to")
        .annotate(first=Min("period"))
        .order_by()
    }
    if not first:
        return []
    results = Status.objects.filter(communes, period__in=months).values_list("unit_id", "period").order_by()
    marks = RecomputeMark.objects.filter(communes, period__in=months).values_list("unit_id", "period")
    known = set(results.union(marks.order_by()).order_by())
    return [
        month
        for month in months
        if any(
            # A commune merged away in 2025 has no result after its last month.
            since <= month
            and (until is None or month < until)
            and kind in kinds_by_year[month.year]
            and (unit_id, month) not in known
            for unit_id, (since, kind, until) in first.items()
        )
    ]


def ensure_results(scope: AdministrativeUnit | None, months: Iterable[dt.date]) -> list[dt.date]:
    """Queue the recompute of every month of `months` missing results in the scope (reports.tasks.queue_month: at
    once with the immediate backend, by the worker otherwise, the page meanwhile saying "đang tính lại"); the
    months queued."""
    missing = missing_months(scope, months)
    for month in missing:
        queue_month(period=month, scope=scope)
    return missing
