"""What a scope holds for a month, loaded once for the pages that show it (reports.dashboard, reports.scorecard,
reports.exports): its units, statuses, recognitions as they stood, targets, plans and reports, plus the month links."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Case, Count, F, IntegerField, Q, When

from communes.groups import groups_on
from communes.models import REFORM_DATE, AdministrativeUnit, Level
from communes.months import month_code, month_end, months_between, shift_month
from criteria.models import CriteriaSet, JudgedKinds
from monthly.models import Report
from records.models import CommunePlan, Recognition, Target
from reports.models import RecomputeMark, Status
from reports.services import (
    TIER_RANK,
    judged_kinds,
)

TREND_MONTHS = 12


# ---------------------------------------------------------------- months


def month_links(period: dt.date) -> dict:
    return {
        "current": month_code(period),
        "previous": month_code(shift_month(period, -1)),
        "next": month_code(shift_month(period, 1)),
    }


def programme_in_force() -> Q:
    """Statuses judged by the programme of their own month (a month never counts twice if both were computed)."""
    return Q(programme__first_month__lte=F("period"), programme__last_month__gte=F("period"))


def tier_rank(tier: str) -> int:
    # A tier the 2021-2025 ladder does not know (2026-2030 'modern') ranks above none of ours.
    return TIER_RANK.get(tier or "", 0)


# ---------------------------------------------------------------- recognitions as they stood


def recognitions_on(recognitions: Iterable[Recognition], day: dt.date) -> list[Recognition]:
    """The decisions in force on a day: taken by then and not revoked by then. A revocation after that day is
    not yet known on it, so the copy returned shows the decision unrevoked (reports.services counts those)."""
    result = []
    for recognition in recognitions:
        if recognition.decision_date > day:
            continue
        if recognition.revoked_date is not None:
            if recognition.revoked_date <= day:
                continue
            recognition = copy.copy(recognition)
            recognition.revoked_date = None
            recognition.revoked_decision_number = ""
        result.append(recognition)
    return result


def highest_by_unit(recognitions: Iterable[Recognition]) -> dict[int, Recognition]:
    """Each unit's highest recognised tier (the latest decision among equals)."""
    best: dict[int, Recognition] = {}
    for r in recognitions:
        current = best.get(r.unit_id)
        if current is None or (tier_rank(r.tier), r.decision_date) >= (tier_rank(current.tier), current.decision_date):
            best[r.unit_id] = r
    return best


# ---------------------------------------------------------------- what a scope holds


class TrendRow(NamedTuple):
    """How many of the scope's rural communes had this result in a month."""

    period: dt.date
    tier: str
    criteria_met: int
    criteria_total: int
    communes: int


@dataclass
class ScopeRows:
    """Every row a dashboard reads about a province or district, loaded once (nine queries)."""

    units: list[AdministrativeUnit]  # districts and communes of every kind, in Vietnamese order
    statuses: dict[int, Status]  # the month's statuses (rural communes and districts)
    trend: list[TrendRow]  # the rural communes' statuses month by month, 12 months and more, counted by result
    recognitions: list[Recognition]  # every decision of the scope, revoked ones too
    targets: list[Target]  # the scope unit's own targets
    plans: list[CommunePlan]
    reports: dict[int, str]  # commune pk -> the month's report status
    demo_units: bool
    stale: set[int] = field(default_factory=set)  # units whose status this month is being recomputed
    judged: dict[str, JudgedKinds] = field(default_factory=dict)  # criteria level -> the kinds its sets judge
    sets: list[CriteriaSet] = field(default_factory=list)  # the sets, in their versions, that judge the month
    groups: dict[int, int] | None = None  # commune pk -> its group in force, for a programme judging by group
    baseline: dict[int, int] = field(default_factory=dict)  # rural commune pk -> criteria met the December before

    @property
    def rural(self) -> list[AdministrativeUnit]:
        return judged_communes(self.units, self.judged)

    @property
    def is_demo(self) -> bool:
        return (
            self.demo_units
            or any(r.is_demo for r in self.recognitions)
            or any(p.is_demo for p in self.plans)
            or any(t.is_demo for t in self.targets)
        )


def _trend_start(period: dt.date) -> dt.date:
    # Twelve months for the charts, reaching back to the previous December: the baseline of yearly gains.
    return min(shift_month(period, 1 - TREND_MONTHS), dt.date(period.year - 1, 12, 1))


def trend_months(period: dt.date) -> list[dt.date]:
    """The months a dashboard reads results of: its trend and the baseline of yearly gains, up to `period`."""
    return months_between(_trend_start(period), period)


def _share_programmes(statuses: dict[int, Status], sets: list[CriteriaSet]) -> None:
    """The statuses' programme from the sets' (one object, not one per status); a status of a programme no set of
    the month belongs to (none in practice) loads its own on access."""
    programmes = {s.programme_id: s.programme for s in sets}
    for status in statuses.values():
        if status.programme_id in programmes:
            status.programme = programmes[status.programme_id]


class SetsNotRead(dict):
    """The sets of a status a page did not read (reports.scope.attach_sets): reading them is a bug, loudly."""

    def _refuse(self, *args, **kwargs):
        raise LookupError("The per-set summaries of this status were not read with the page's rows (load_scope).")

    get = __getitem__ = __iter__ = __len__ = __contains__ = keys = values = items = _refuse


def attach_sets(statuses: dict[int, Status], unit_ids: set[int]) -> None:
    """Read the per-set summaries of these units' statuses (one query; none when there are none)."""
    pks = [statuses[u].pk for u in unit_ids if u in statuses]
    found = dict(Status.objects.filter(pk__in=pks).values_list("pk", "sets")) if pks else {}
    for status in statuses.values():
        status.sets = found.get(status.pk, SetsNotRead())


def load_scope(scope: AdministrativeUnit, period: dt.date) -> ScopeRows:
    """The rows of a province's or district's dashboard for a month, in ten queries whatever its size."""
    below = Q(unit__path__startswith=scope.path)
    units = list(
        AdministrativeUnit.objects.filter(path__startswith=scope.path, level__in=[Level.DISTRICT, Level.COMMUNE])
        .exclude(pk=scope.pk)
        .in_vietnamese_order()
    )
    # A province's page reads each set's summary (the JSON) only for its districts and recognised communes: read
    # for those alone below. A district's page lists every commune's failing criteria: read with the rest.
    selective = scope.level == Level.PROVINCE
    deferred = ("fingerprint", "computed_at", "sets") if selective else ("fingerprint", "computed_at")
    statuses = {
        s.unit_id: s
        for s in Status.objects.filter(below, period=period).filter(programme_in_force()).defer(*deferred).order_by()
    }
    judged = judged_kinds(period=period)
    trend, baseline = _trend([u.pk for u in judged_communes(units, judged)], period)
    recognitions = list(
        Recognition.objects.filter(below).select_related("unit").order_by("unit__path", "decision_date")
    )
    targets = list(Target.objects.filter(unit=scope).order_by("year", "kind", "tier"))
    plans = list(CommunePlan.objects.filter(below).order_by("year", "unit__path"))
    reports = dict(
        Report.objects.filter(below, period=period, unit__level=Level.COMMUNE)
        .order_by()
        .values_list("unit_id", "status")
    )
    demo_units = AdministrativeUnit.objects.filter(path__startswith=scope.path, is_demo=True).exists()
    stale = set(RecomputeMark.objects.filter(below, period=period).values_list("unit_id", flat=True))
    sets = list(
        CriteriaSet.objects.in_month(period)
        .in_force_for(scope.province_code, month_end(period))
        .select_related("programme")
        .order_by("level", "rank", "province_code")
    )
    _share_programmes(statuses, sets)
    if selective:
        wanted = {u.pk for u in units if u.level == Level.DISTRICT} | {r.unit_id for r in recognitions}
        attach_sets(statuses, wanted)
    rows = ScopeRows(units, statuses, trend, recognitions, targets, plans, reports, demo_units, stale, judged, sets)
    rows.baseline = baseline
    if scope.is_post_reform and any(s.programme.first_day >= REFORM_DATE for s in sets):
        # QĐ 51/2025's commune groups: one query, only for a programme that began after the 2025 reform.
        rows.groups = groups_on([u.pk for u in units if u.level == Level.COMMUNE], month_end(period))
    # Only what the criteria judge counts: a ward's or a town's stored status (from before) is left out.
    rural_ids = {u.pk for u in rows.rural}
    not_judged = {u.pk for u in units if u.level == Level.COMMUNE} - rural_ids
    rows.statuses = {pk: s for pk, s in statuses.items() if pk not in not_judged}
    return rows


def _trend(rural_ids: list[int], period: dt.date) -> tuple[list[TrendRow], dict[int, int]]:
    """The rural communes' statuses of the trend's months counted by result in SQL (a province has thousands), but
    the previous December's one by one: what a yearly gain is measured from (ScopeRows.baseline). By the communes'
    ids, read already: joined to the units by path instead, PostgreSQL misjudged how many match and probed the unit
    table once per status (26 ms for Thanh Hóa's twelve months instead of 9)."""
    december = dt.date(period.year - 1, 12, 1)
    trend, baseline = [], {}
    for month, tier, met, total, unit_id, communes in (
        Status.objects.filter(unit_id__in=rural_ids, period__gte=_trend_start(period), period__lte=period)
        .filter(programme_in_force())
        .annotate(baseline=Case(When(period=december, then=F("unit_id")), output_field=IntegerField()))
        .values_list("period", "tier", "criteria_met", "criteria_total", "baseline")
        .annotate(communes=Count("pk"))
        .order_by()
    ):
        trend.append(TrendRow(month, tier, met, total, communes))
        if unit_id is not None:
            baseline[unit_id] = met
    return trend, baseline


def judged_communes(units: list[AdministrativeUnit], judged: dict[str, JudgedKinds]) -> list[AdministrativeUnit]:
    """The communes among `units` that the criteria sets in force judge (reports.services.judged_units): xã, not
    phường or thị trấn."""
    kinds = judged.get(Level.COMMUNE, JudgedKinds())
    return [u for u in units if u.level == Level.COMMUNE and u.kind in kinds]
