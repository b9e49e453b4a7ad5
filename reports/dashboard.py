"""What the province dashboard, the district page and the commune scorecard show: one context builder per page.

Each builder runs a fixed number of queries whatever the number of communes (the tests pin them) and returns
plain data (units, statuses, numbers, small dataclasses) and SVG strings, never a request or a lazy queryset,
so the HTML views and, later, the PDF views render the same context.

Counting rules live in reports.services (tiers, buckets, averages, watch-list, targets, QĐ 320); this module
only loads the rows once and arranges them for the pages.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Kind, Level, user_unit_paths
from communes.months import month_code, month_end, shift_month, this_month
from criteria.definitions import build_programme
from criteria.evaluation import CriterionResult, IndicatorResult, Outcome, ProgrammeResult, evaluate_programme
from criteria.models import Measure
from monthly.models import Report
from monthly.services import carried_values, due_date, is_overdue, programme_for
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from reports import charts
from reports.models import Status
from reports.services import (
    BUCKETS,
    TIER_RANK,
    TargetProgress,
    WatchItem,
    average_criteria,
    bucket_counts,
    district_rule,
    target_progress,
    watch_list,
)

TREND_MONTHS = 12
TIERS = ("standard", "advanced", "model")
LOWEST_SET = "commune-standard"


# ---------------------------------------------------------------- months


def default_period(scope: AdministrativeUnit) -> dt.date:
    """The latest month with statuses anywhere in the scope, else this month (one query)."""
    latest = Status.objects.filter(unit__path__startswith=scope.path).aggregate(latest=Max("period"))["latest"]
    return latest or this_month()


def _months(period: dt.date) -> dict:
    return {
        "current": month_code(period),
        "previous": month_code(shift_month(period, -1)),
        "next": month_code(shift_month(period, 1)),
    }


def _programme_in_force() -> Q:
    """Statuses judged by the programme of their own month (a month never counts twice if both were computed)."""
    year = ExtractYear("period")
    return Q(programme__start_year__lte=year, programme__end_year__gte=year)


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


@dataclass
class ScopeRows:
    """Every row a dashboard reads about a province or district, loaded once (eight queries)."""

    units: list[AdministrativeUnit]  # districts and communes of every kind, in Vietnamese order
    statuses: dict[int, Status]  # the month's statuses (rural communes and districts)
    trend: list  # (unit_id, period, tier, criteria_met, criteria_total) of rural communes, 12 months and more
    recognitions: list[Recognition]  # every decision of the scope, revoked ones too
    targets: list[Target]  # the scope unit's own targets
    plans: list[CommunePlan]
    reports: dict[int, str]  # commune pk -> the month's report status
    demo_units: bool

    @property
    def rural(self) -> list[AdministrativeUnit]:
        # The NTM programme's subject, as reports.services.tracked_units counts them: xã, not phường or thị trấn.
        return [u for u in self.units if u.level == Level.COMMUNE and u.kind == Kind.XA]

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


def load_scope(scope: AdministrativeUnit, period: dt.date) -> ScopeRows:
    """The rows of a province's or district's dashboard for a month, in eight queries whatever its size."""
    below = Q(unit__path__startswith=scope.path)
    units = list(
        AdministrativeUnit.objects.filter(path__startswith=scope.path, level__in=[Level.DISTRICT, Level.COMMUNE])
        .exclude(pk=scope.pk)
        .in_vietnamese_order()
    )
    statuses = {
        s.unit_id: s
        for s in Status.objects.filter(below, period=period)
        .filter(_programme_in_force())
        .select_related("programme")
        .order_by()
    }
    trend = list(
        Status.objects.filter(
            below,
            unit__level=Level.COMMUNE,
            unit__kind=Kind.XA,
            period__gte=_trend_start(period),
            period__lte=period,
        )
        .filter(_programme_in_force())
        .order_by()
        .values_list("unit_id", "period", "tier", "criteria_met", "criteria_total", named=True)
    )
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
    return ScopeRows(units, statuses, trend, recognitions, targets, plans, reports, demo_units)


# ---------------------------------------------------------------- the summary both dashboards open with


@dataclass
class TierLine:
    """One tier of the scope's rural communes: recognised (in force), reached by the figures, and the plan."""

    tier: str
    label: str
    recognised: int
    computed: int
    out_of: int
    progress: TargetProgress | None = None


@dataclass
class Summary:
    communes: int  # rural communes of the scope
    with_status: int  # of them, those the month's figures were judged for
    tiers: list[TierLine]
    buckets: list[tuple[str, int]]
    average: Decimal | None
    other_targets: list[TargetProgress]
    plan_year: int
    planned: int
    plan_reached: int
    gain_baseline: dt.date  # the month yearly gains are measured from
    gain_baseline_units: int  # communes with a status that month
    tier_chart: str = ""
    bucket_chart: str = ""

    @property
    def without_status(self) -> int:
        return self.communes - self.with_status


def _chosen_targets(targets: list[Target], year: int) -> list[Target]:
    """For each kind of promise, the nearest target still ahead (this year's, else the programme's end)."""
    chosen: dict[tuple, Target] = {}
    for target in sorted(targets, key=lambda t: t.year):
        if target.year >= year:
            chosen.setdefault((target.kind, target.level, target.tier), target)
    return list(chosen.values())


def _earlier(trend, period: dt.date) -> dict[int, Status]:
    """The previous December's statuses: what a yearly gain is measured from."""
    baseline = dt.date(period.year - 1, 12, 1)
    return {
        row.unit_id: Status(unit_id=row.unit_id, criteria_met=row.criteria_met)
        for row in trend
        if row.period == baseline
    }


BUCKET_LABELS = {"19": "19 tiêu chí", "15-18": "15-18 tiêu chí", "10-14": "10-14 tiêu chí", "5-9": "5-9 tiêu chí"}


def _bucket_label(code: str) -> str:
    return _(BUCKET_LABELS[code]) if code in BUCKET_LABELS else _("Dưới 5 tiêu chí")


def summarise(
    scope: AdministrativeUnit, rows: ScopeRows, period: dt.date
) -> tuple[Summary, list[Recognition], dict[int, Recognition]]:
    """The tiers against targets, the criteria buckets, the average, and this year's commune plans."""
    rural = rows.rural
    # A district's own district-level target is about itself.
    districts = [scope] if scope.level == Level.DISTRICT else [u for u in rows.units if u.level == Level.DISTRICT]
    commune_statuses = [rows.statuses[u.pk] for u in rural if u.pk in rows.statuses]
    in_force = recognitions_on(rows.recognitions, month_end(period))
    highest = highest_by_unit(in_force)
    earlier = _earlier(rows.trend, period)
    progress = target_progress(
        _chosen_targets(rows.targets, period.year),
        communes=rural,
        districts=districts,
        recognitions=in_force,
        statuses_by_unit=rows.statuses,
        earlier_by_unit=earlier,
    )
    tiers = []
    for tier in TIERS:
        rank = TIER_RANK[tier]
        line_progress = next(
            (
                p
                for p in progress
                if p.target.kind == TargetKind.UNITS_AT_TIER
                and p.target.level == Level.COMMUNE
                and p.target.tier == tier
            ),
            None,
        )
        tiers.append(
            TierLine(
                tier=tier,
                label=RecognisedTier(tier).label,
                recognised=sum(1 for u in rural if u.pk in highest and tier_rank(highest[u.pk].tier) >= rank),
                computed=sum(1 for s in commune_statuses if tier_rank(s.tier) >= rank),
                out_of=len(rural),
                progress=line_progress,
            )
        )
    rural_ids = {u.pk for u in rural}
    planned = [p for p in rows.plans if p.year == period.year and p.unit_id in rural_ids]
    counts = bucket_counts(commune_statuses)
    summary = Summary(
        communes=len(rural),
        with_status=len(commune_statuses),
        tiers=tiers,
        buckets=[(_bucket_label(code), counts[code]) for code, _low, _high in BUCKETS],
        average=average_criteria(commune_statuses),
        other_targets=[
            p for p in progress if p.target.kind != TargetKind.UNITS_AT_TIER or p.target.level != Level.COMMUNE
        ],
        plan_year=period.year,
        planned=len(planned),
        plan_reached=sum(1 for p in planned if reaches(rows.statuses.get(p.unit_id), p.tier)),
        gain_baseline=dt.date(period.year - 1, 12, 1),
        gain_baseline_units=len(earlier),
    )
    summary.tier_chart = _tier_chart(tiers)
    summary.bucket_chart = charts.horizontal_bars(
        [charts.BarGroup(label, [count]) for label, count in summary.buckets],
        series=[(_("Số xã"), charts.BUCKET_COLOUR)],
        title=_("Số xã theo số tiêu chí đạt"),
        unit=_("xã"),
    )
    return summary, in_force, highest


def reaches(status, tier: str) -> bool:
    """Whether a status (or a recognition: anything with a tier) is at or above a tier."""
    return status is not None and tier_rank(status.tier) >= tier_rank(tier)


def _tier_chart(tiers: list[TierLine]) -> str:
    groups = []
    for line in tiers:
        target = line.progress.target if line.progress else None
        groups.append(
            charts.BarGroup(
                line.label,
                [line.recognised, line.computed],
                target=target.value if target else None,
                target_label=_("Kế hoạch %(year)s: %(value)s") % {"year": target.year, "value": target.value}
                if target
                else "",
            )
        )
    return charts.horizontal_bars(
        groups,
        series=[(_("Được công nhận"), charts.TIER_COLOURS["standard"]), (_("Theo số liệu"), "#8cc9a0")],
        title=_("Số xã theo mức đạt, so với kế hoạch"),
        unit=_("xã"),
        target_name=_("Kế hoạch"),
        # On the scale of all the scope's communes, so "52 of 85" looks like it.
        maximum=max((line.out_of for line in tiers), default=0),
    )


# ---------------------------------------------------------------- month by month


@dataclass
class TrendPoint:
    period: dt.date
    communes: int  # rural communes with a status that month
    standard: int
    advanced: int
    model: int
    average: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.period:%m/%y}"


def trend(rows: ScopeRows, period: dt.date, unit_ids: set[int] | None = None) -> list[TrendPoint]:
    """The last twelve months of the scope's rural communes (or some of them): tiers reached and average criteria."""
    by_month: dict[dt.date, list] = defaultdict(list)
    for row in rows.trend:
        if unit_ids is None or row.unit_id in unit_ids:
            by_month[row.period].append(row)
    points = []
    for offset in range(1 - TREND_MONTHS, 1):
        month = shift_month(period, offset)
        month_rows = by_month.get(month, [])
        points.append(
            TrendPoint(
                period=month,
                communes=len(month_rows),
                standard=sum(1 for r in month_rows if tier_rank(r.tier) >= 1),
                advanced=sum(1 for r in month_rows if tier_rank(r.tier) >= 2),
                model=sum(1 for r in month_rows if tier_rank(r.tier) >= 3),
                average=average_criteria(month_rows),
            )
        )
    return points


def trend_charts(points: list[TrendPoint], criteria_total: int) -> tuple[str, str]:
    labels = [p.label for p in points]

    def values(attribute: str) -> list[int | None]:
        return [getattr(p, attribute) if p.communes else None for p in points]

    tiers = charts.line_chart(
        labels,
        [
            charts.Series(RecognisedTier.STANDARD.label, values("standard"), charts.TIER_COLOURS["standard"]),
            charts.Series(RecognisedTier.ADVANCED.label, values("advanced"), charts.TIER_COLOURS["advanced"]),
            charts.Series(RecognisedTier.MODEL.label, values("model"), charts.TIER_COLOURS["model"]),
        ],
        title=_("Số xã đạt từng mức theo số liệu, 12 tháng gần nhất"),
    )
    average = charts.column_chart(
        labels,
        [p.average for p in points],
        title=_("Số tiêu chí bình quân/xã, 12 tháng gần nhất"),
        maximum=criteria_total or None,
        decimals=1,
    )
    return tiers, average


def _criteria_total(rows: ScopeRows) -> int:
    return max((r.criteria_total for r in rows.trend), default=0)


# ---------------------------------------------------------------- province dashboard


@dataclass
class DistrictRow:
    """A district of the province table; `unit` is None for the communes right under the province (since 2025)."""

    unit: AdministrativeUnit | None
    communes: int  # rural communes
    computed: dict[str, int]  # tier -> rural communes at or above it by the figures
    recognised: dict[str, int]  # tier -> rural communes recognised at or above it
    average: Decimal | None
    planned: int
    plan_reached: int
    reporting: int  # communes of every kind that send monthly reports
    overdue: int
    rule: dict  # reports.services.district_rule
    status: Status | None = None  # the district's own (QĐ 320)
    recognition: Recognition | None = None  # the district's highest recognition in force


@dataclass
class WatchRow:
    """A watch-list line: the recognised commune failing criteria, and the tier its figures reach now."""

    item: WatchItem
    status: Status | None
    district: AdministrativeUnit | None


def _watch_rows(rows: ScopeRows, in_force: list[Recognition], units_by_pk: dict) -> list[WatchRow]:
    items = watch_list(rows.statuses, in_force)
    result = []
    for item in items:
        parent = units_by_pk.get(item.unit.parent_id)
        result.append(
            WatchRow(
                item=item,
                status=rows.statuses.get(item.unit.pk),
                district=parent if parent is not None and parent.level == Level.DISTRICT else None,
            )
        )
    return result


def _district_rows(
    province: AdministrativeUnit,
    rows: ScopeRows,
    highest: dict[int, Recognition],
    period: dt.date,
    today: dt.date,
) -> list[DistrictRow]:
    communes_of: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    for unit in rows.units:
        if unit.level == Level.COMMUNE:
            communes_of[unit.parent_id].append(unit)
    heads: list[AdministrativeUnit | None] = [u for u in rows.units if u.level == Level.DISTRICT]
    if communes_of.get(province.pk):
        heads.append(None)
    result = []
    for head in heads:
        communes = communes_of.get(head.pk if head else province.pk, [])
        rural = [u for u in communes if u.kind == Kind.XA]
        statuses = [rows.statuses[u.pk] for u in rural if u.pk in rows.statuses]
        rural_ids = {u.pk for u in rural}
        planned = [p for p in rows.plans if p.year == period.year and p.unit_id in rural_ids]
        result.append(
            DistrictRow(
                unit=head,
                communes=len(rural),
                computed={t: sum(1 for s in statuses if tier_rank(s.tier) >= TIER_RANK[t]) for t in TIERS},
                recognised={
                    t: sum(1 for u in rural if u.pk in highest and tier_rank(highest[u.pk].tier) >= TIER_RANK[t])
                    for t in TIERS
                },
                average=average_criteria(statuses),
                planned=len(planned),
                plan_reached=sum(1 for p in planned if reaches(rows.statuses.get(p.unit_id), p.tier)),
                reporting=len(communes),
                overdue=sum(
                    1 for u in communes if is_overdue(period, province.report_due_day, rows.reports.get(u.pk), today)
                ),
                # A commune without figures this month counts as not reaching the standard.
                rule=district_rule(commune_statuses=[rows.statuses.get(u.pk) or Status(tier="") for u in rural]),
                status=rows.statuses.get(head.pk) if head else None,
                recognition=highest.get(head.pk) if head else None,
            )
        )
    return result


def province_context(*, province: AdministrativeUnit, period: dt.date, user) -> dict:
    """The coordination office's overview of a province for a month (eight queries)."""
    rows = load_scope(province, period)
    today = timezone.localdate()
    summary, in_force, highest = summarise(province, rows, period)
    units_by_pk = {u.pk: u for u in rows.units}
    points = trend(rows, period)
    trend_tiers, trend_average = trend_charts(points, _criteria_total(rows))
    districts = _district_rows(province, rows, highest, period, today)
    return {
        "scope": province,
        "province": province,
        "period": period,
        "months": _months(period),
        "programme": next(iter(rows.statuses.values())).programme if rows.statuses else None,
        "is_demo": rows.is_demo,
        "summary": summary,
        "districts": districts,
        "overdue_total": sum(d.overdue for d in districts),
        "due": due_date(period, province.report_due_day),
        "watch": _watch_rows(rows, in_force, units_by_pk),
        "trend": points,
        "trend_tier_chart": trend_tiers,
        "trend_average_chart": trend_average,
        "generated_at": timezone.localtime(),
        "generated_by": _person(user),
        "rows": rows,  # for the printed documents built on this page (reports.documents)
    }


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None and user.is_authenticated else ""


# ---------------------------------------------------------------- district page


@dataclass
class CommuneRow:
    """A rural commune of the district page: recognised beside computed, what fails, and whether it is at risk."""

    unit: AdministrativeUnit
    status: Status | None
    recognition: Recognition | None  # highest in force
    failed: int  # criteria of the standard set not met
    no_data: int  # criteria that could not be judged
    watch: WatchItem | None
    report_status: str
    overdue: bool
    plan: CommunePlan | None  # the nearest plan still ahead

    @property
    def at_risk(self) -> bool:
        return bool(self.watch and self.watch.at_risk)


def _lowest_summary(status: Status | None) -> dict:
    if status is None:
        return {}
    return status.sets.get(LOWEST_SET) or next(
        (
            s
            for s in status.sets.values()
            if s.get("criteria_met") == status.criteria_met and s.get("criteria_total") == status.criteria_total
        ),
        {},
    )


def district_context(*, district: AdministrativeUnit, period: dt.date, user) -> dict:
    """A district for a month: its communes recognised and computed, QĐ 320's conditions, watch-list, trend
    (nine queries: the province for its due day, then the scope's rows)."""
    ancestors = district.ancestors()
    province = ancestors[0] if ancestors else district
    rows = load_scope(district, period)
    today = timezone.localdate()
    summary, in_force, highest = summarise(district, rows, period)
    units_by_pk = {u.pk: u for u in rows.units}
    watch = _watch_rows(rows, in_force, units_by_pk)
    watch_by_unit = {w.item.unit.pk: w.item for w in watch}
    plans_by_unit: dict[int, CommunePlan] = {}
    for plan in rows.plans:
        if plan.year >= period.year:
            plans_by_unit.setdefault(plan.unit_id, plan)
    communes = []
    for unit in rows.rural:
        status = rows.statuses.get(unit.pk)
        lowest = _lowest_summary(status)
        communes.append(
            CommuneRow(
                unit=unit,
                status=status,
                recognition=highest.get(unit.pk),
                failed=len(lowest.get("failed") or []),
                no_data=len(lowest.get("no_data") or []),
                watch=watch_by_unit.get(unit.pk),
                report_status=rows.reports.get(unit.pk, ""),
                overdue=is_overdue(period, province.report_due_day, rows.reports.get(unit.pk), today),
                plan=plans_by_unit.get(unit.pk),
            )
        )
    all_communes = [u for u in rows.units if u.level == Level.COMMUNE]
    points = trend(rows, period)
    trend_tiers, trend_average = trend_charts(points, _criteria_total(rows))
    paths = user_unit_paths(user) if not user.is_superuser else [""]
    return {
        "scope": district,
        "district": district,
        "province": province,
        "ancestors": ancestors,
        "province_dashboard_allowed": any(province.path.startswith(p) for p in paths),
        "period": period,
        "months": _months(period),
        "programme": next(iter(rows.statuses.values())).programme if rows.statuses else None,
        "is_demo": rows.is_demo,
        "summary": summary,
        "communes": communes,
        "other_communes": [u for u in all_communes if u.kind != Kind.XA],
        "rule": district_rule(commune_statuses=[rows.statuses.get(u.pk) or Status(tier="") for u in rows.rural]),
        "district_status": rows.statuses.get(district.pk),
        "district_recognition": highest.get(district.pk),
        "overdue_total": sum(
            1 for u in all_communes if is_overdue(period, province.report_due_day, rows.reports.get(u.pk), today)
        ),
        "reporting_total": len(all_communes),
        "due": due_date(period, province.report_due_day),
        "watch": watch,
        "trend": points,
        "trend_tier_chart": trend_tiers,
        "trend_average_chart": trend_average,
        "generated_at": timezone.localtime(),
        "generated_by": _person(user),
        "rows": rows,
    }


# ---------------------------------------------------------------- commune scorecard


@dataclass
class HistoryPoint:
    period: dt.date
    tier: str | None  # None: no status that month
    criteria_met: int | None
    criteria_total: int | None

    @property
    def label(self) -> str:
        return f"{self.period:%m/%y}"


@dataclass
class NextStep:
    """The lowest set not yet reached and what still fails in it, indicator by indicator."""

    set_code: str
    set_name: str
    tier: str
    criteria_met: int
    criteria_total: int
    items: list[tuple[CriterionResult, IndicatorResult]] = field(default_factory=list)

    @property
    def criteria_missing(self) -> int:
        return self.criteria_total - self.criteria_met


def next_step(result: ProgrammeResult | None) -> NextStep | None:
    if result is None:
        return None
    for set_result in result.sets.values():
        if set_result.reached:
            continue
        step = NextStep(
            set_code=set_result.code,
            set_name=set_result.name,
            tier=set_result.tier,
            criteria_met=set_result.criteria_met,
            criteria_total=set_result.criteria_total,
        )
        for criterion in set_result.criteria:
            for indicator in criterion.indicators:
                if indicator.outcome is not Outcome.MET:
                    step.items.append((criterion, indicator))
        return step
    return None


def scorecard_context(*, commune: AdministrativeUnit, period: dt.date, user) -> dict:
    """One commune for a month: every indicator of its sets explained, its history, its decisions, and what it
    lacks for the next tier (twelve queries: ancestors, programme, the programme's four, measures, figures,
    history, decisions, plans, demo villages)."""
    ancestors = commune.ancestors()
    province = ancestors[0] if ancestors else commune
    district = next((a for a in ancestors if a.level == Level.DISTRICT), None)
    programme = programme_for(period)
    result = None
    carried: dict = {}
    if programme is not None:
        definition = build_programme(programme.code, commune.province_code)
        carried = carried_values([commune.pk], period).get(commune.pk, {})
        codes = dict(Measure.objects.values_list("pk", "code"))
        result = evaluate_programme(
            definition,
            commune.threshold_profile(province.region),
            period.year,
            {codes[pk]: value for pk, value in carried.items() if pk in codes},
            level="commune",
        )
    start = shift_month(period, 1 - TREND_MONTHS)
    stored = {
        row.period: row
        for row in Status.objects.filter(unit=commune, period__gte=start, period__lte=period)
        .filter(_programme_in_force())
        .order_by()
    }
    history = []
    for offset in range(1 - TREND_MONTHS, 1):
        month = shift_month(period, offset)
        row = stored.get(month)
        history.append(
            HistoryPoint(
                month,
                row.tier if row else None,
                row.criteria_met if row else None,
                row.criteria_total if row else None,
            )
        )
    status = stored.get(period)
    recognitions = list(Recognition.objects.filter(unit=commune).order_by("decision_date", "pk"))
    in_force = recognitions_on(recognitions, month_end(period))
    for r in in_force:
        r.unit = commune  # watch_list names the unit; no query
    watch = watch_list({commune.pk: status}, in_force) if status else []
    plans = list(CommunePlan.objects.filter(unit=commune).order_by("year", "tier"))
    demo_units = AdministrativeUnit.objects.filter(path__startswith=commune.path, is_demo=True).exists()
    criteria_total = max((p.criteria_total or 0 for p in history), default=0) or (
        next(iter(result.sets.values())).criteria_total if result and result.sets else 0
    )
    in_force_ids = {r.pk for r in in_force}
    revoked_ids = {r.pk for r in recognitions if r.revoked_date is not None and r.revoked_date <= month_end(period)}
    return {
        "scope": commune,
        "commune": commune,
        "ancestors": ancestors,
        "province": province,
        "district": district,
        "is_rural": commune.kind == Kind.XA,
        "period": period,
        "months": _months(period),
        "programme": programme,
        "result": result,
        "has_figures": bool(carried),
        "computed_tier": (result.tier or "") if result else "",
        "status": status,
        "recognitions": recognitions,
        "in_force_ids": in_force_ids,
        "revoked_ids": revoked_ids,
        "recognition": highest_by_unit(in_force).get(commune.pk),
        "watch": watch,
        "at_risk": any(w.at_risk for w in watch),
        "plans": plans,
        "next_step": next_step(result),
        "history": history,
        "history_chart": charts.sparkline(
            [p.criteria_met for p in history],
            title=_("Số tiêu chí đạt theo tháng, 12 tháng gần nhất"),
            maximum=criteria_total or 19,
            labels=[history[0].label, history[-1].label],
        ),
        "is_demo": demo_units or any(r.is_demo for r in recognitions) or any(p.is_demo for p in plans),
        "generated_at": timezone.localtime(),
        "generated_by": _person(user),
    }
