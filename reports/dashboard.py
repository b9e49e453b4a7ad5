"""What the province dashboard, the district page and the commune scorecard show: one context builder per page.

Each builder runs a fixed number of queries whatever the number of communes (the tests pin them) and returns
plain data (units, statuses, numbers, small dataclasses) and SVG strings, never a request or a lazy queryset,
so the HTML views and, later, the PDF views render the same context.

Counting rules live in reports.services (tiers, buckets, averages, watch-list, targets, QĐ 320); this module
only loads the rows once and arranges them for the pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.groups import group_label
from communes.models import AdministrativeUnit, Level
from communes.months import month_end, this_month
from communes.permissions import in_scope
from monthly.models import Report, ReportStatus
from monthly.services import due_date, is_overdue
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from reports import charts
from reports.completion import province_completion
from reports.coverage import ensure_results
from reports.dashboard_map import CommuneMap, commune_map
from reports.facts import (
    FiguresBasis,
    bucket_label,
    communes_word,
    figures_basis,
    illustrative_sets_note,
    target_line,
    yardstick,
    yardstick_sentence,
)
from reports.models import Status
from reports.revocation import district_revocation_risk
from reports.scope import (
    ScopeRows,
    highest_by_unit,
    load_scope,
    month_links,
    recognitions_on,
    tier_rank,
    trend_months,
)
from reports.services import (
    TIER_RANK,
    TargetProgress,
    WatchItem,
    average_criteria,
    bands_of,
    bucket_counts,
    district_rule,
    target_progress,
    watch_list,
)
from reports.trends import criteria_total_of, trend, trend_charts

TIERS = ("standard", "advanced", "model")
LOWEST_SET = "commune-standard"
DISTRICT_SET = "district-standard"  # QĐ 320's set, whose failing criteria QĐ 18 counts for a district


# ---------------------------------------------------------------- months


def default_period(scope: AdministrativeUnit) -> dt.date:
    """The latest month, up to this one, with approved figures anywhere in the scope, else this month (one query).
    Not the latest month with results: an approval computes later months too (reports.services.approval_scope)."""
    latest = Report.objects.filter(
        unit__path__startswith=scope.path, status=ReportStatus.APPROVED, period__lte=this_month()
    ).aggregate(latest=Max("period"))["latest"]
    return latest or this_month()


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
    basis: FiguresBasis | None = None  # what the month's results rest on: approved, carried, missing, awaiting

    @property
    def without_status(self) -> int:
        return self.communes - self.with_status

    @property
    def target_lines(self) -> list[str]:
        """The other targets as sentences, worded once for the page and the document (reports.facts)."""
        return [
            target_line(p, gain_baseline=self.gain_baseline, gain_baseline_units=self.gain_baseline_units)
            for p in self.other_targets
        ]


def _chosen_targets(targets: list[Target], year: int) -> list[Target]:
    """For each kind of promise, the nearest target still ahead (this year's, else the programme's end)."""
    chosen: dict[tuple, Target] = {}
    for target in sorted(targets, key=lambda t: t.year):
        if target.year >= year:
            chosen.setdefault((target.kind, target.level, target.tier), target)
    return list(chosen.values())


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
    earlier = rows.baseline  # the criteria met the previous December: what a yearly gain is measured from
    progress = target_progress(
        _chosen_targets(rows.targets, period.year),
        communes=rural,
        districts=districts,
        recognitions=in_force,
        statuses_by_unit=rows.statuses,
        earlier_met=earlier,
    )
    tiers = _tier_lines(rural, commune_statuses, highest, progress, tiers_of(rows.sets))
    rural_ids = {u.pk for u in rural}
    planned = [p for p in rows.plans if p.year == period.year and p.unit_id in rural_ids]
    counts = bucket_counts(commune_statuses, bands := bands_of(rows.sets[0].programme if rows.sets else None))
    summary = Summary(
        communes=len(rural),
        with_status=len(commune_statuses),
        tiers=tiers,
        buckets=[(bucket_label(code), counts[code]) for code, _low, _high in bands],
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
    summary.basis = figures_basis(rural, rows.statuses, rows.reports, period)
    summary.tier_chart = _tier_chart(tiers)
    summary.bucket_chart = _bucket_chart(summary.buckets)
    return summary, in_force, highest


def _tier_lines(
    rural: list[AdministrativeUnit],
    commune_statuses: list[Status],
    highest: dict[int, Recognition],
    progress: list[TargetProgress],
    ladder: tuple[str, ...] = TIERS,
) -> list[TierLine]:
    """Each tier: communes recognised at or above it, reaching it by the figures, and its commune target's progress."""
    tiers = []
    for tier in ladder:
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
    return tiers


def tiers_of(sets) -> tuple[str, ...]:
    """The commune tiers of the month's programme, lowest first: standard, advanced, model until 2025; standard and
    modern (hiện đại) in 2026-2030. The 2021-2025 ladder when no set judges the month."""
    ladder = tuple(s.tier for s in yardstick(sets) if s.level == Level.COMMUNE and s.tier in RecognisedTier.values)
    # A ladder of the 2021-2025 tiers (even with some of its sets missing) keeps all three lines.
    return ladder if ladder and not set(ladder) <= set(TIERS) else TIERS


def group_bands(rows: ScopeRows, bands) -> list[tuple[str, list[int]]]:
    """Communes by group (1, 2, 3, none) and band of criteria met, for a month judged by group; [] otherwise."""
    if rows.groups is None:
        return []
    statuses = [rows.statuses[u.pk] for u in rows.rural if u.pk in rows.statuses]
    table = []
    for group in (1, 2, 3, None):
        mine = [s for s in statuses if rows.groups.get(s.unit_id) == group]
        counts = bucket_counts(mine, bands)
        table.append((group_label(group), [counts[code] for code, _low, _high in bands]))
    return table


def _bucket_chart(buckets: list[tuple[str, int]]) -> str:
    return charts.horizontal_bars(
        [charts.BarGroup(label, [count]) for label, count in buckets],
        series=[(_("Số xã"), charts.BUCKET_COLOUR)],
        title=_("Số xã theo số tiêu chí đạt"),
        unit=communes_word,
    )


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
        unit=communes_word,
        target_name=_("Kế hoạch"),
        # On the scale of all the scope's communes, so "52 of 85" looks like it.
        maximum=max((line.out_of for line in tiers), default=0),
    )


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
    reporting: int  # the judged communes, asked for monthly NTM figures
    overdue: int
    rule: dict  # reports.services.district_rule
    status: Status | None = None  # the district's own (QĐ 320)
    recognition: Recognition | None = None  # the district's highest recognition in force
    revocation_risk: bool = False  # a recognised district under QĐ 18/2022's district rule (reports.revocation)
    basis: FiguresBasis | None = None  # its communes' results: approved this month, carried, missing


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
    judged_ids = {u.pk for u in rows.rural}
    result = []
    for head in heads:
        communes = communes_of.get(head.pk if head else province.pk, [])
        rural = [u for u in communes if u.pk in judged_ids]
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
                # Only judged communes are asked for NTM figures (monthly.judged).
                reporting=len(rural),
                overdue=sum(
                    1 for u in rural if is_overdue(period, province.report_due_day, rows.reports.get(u.pk), today)
                ),
                # A commune without figures this month counts as not reaching the standard.
                rule=district_rule(commune_statuses=[rows.statuses.get(u.pk) or Status(tier="") for u in rural]),
                status=rows.statuses.get(head.pk) if head else None,
                recognition=highest.get(head.pk) if head else None,
                revocation_risk=head is not None and _district_at_risk(head, rural, rows, highest),
                basis=figures_basis(rural, rows.statuses, rows.reports, period),
            )
        )
    return result


def _district_at_risk(
    district: AdministrativeUnit, rural: list[AdministrativeUnit], rows: ScopeRows, highest: dict[int, Recognition]
) -> bool:
    """QĐ 18/2022 for a recognised district: its recognised communes that no longer meet the standard by their
    figures, and the district set's failing criteria (from the district's own status)."""
    if district.pk not in highest:
        return False
    standard = TIER_RANK["standard"]
    lost = sum(
        1 for u in rural if u.pk in highest and u.pk in rows.statuses and tier_rank(rows.statuses[u.pk].tier) < standard
    )
    status = rows.statuses.get(district.pk)
    summary = (status.sets.get(DISTRICT_SET) if status else None) or {}
    return district_revocation_risk(
        communes_revoked=lost,
        communes_total=len(rural),
        failed_criteria=len(summary.get("failed") or []),
        total_criteria=summary.get("criteria_total") or 0,
        key_failed=bool(summary.get("key_failed")),
    )


def province_context(*, province: AdministrativeUnit, period: dt.date, user, map_mode: str = "tier") -> dict:
    """The coordination office's overview of a province for a month (nine queries)."""
    ensure_results(province, trend_months(period))
    rows = load_scope(province, period)
    today = timezone.localdate()
    summary, in_force, highest = summarise(province, rows, period)
    units_by_pk = {u.pk: u for u in rows.units}
    points = trend(rows, period)
    trend_tiers, trend_average = trend_charts(points, criteria_total_of(rows), tiers_of(rows.sets))
    districts = _district_rows(province, rows, highest, period, today)
    watch = _watch_rows(rows, in_force, units_by_pk)
    return {
        "scope": province,
        "province": province,
        "period": period,
        "months": month_links(period),
        "programme": next(iter(rows.statuses.values())).programme if rows.statuses else None,
        "yardstick": yardstick_sentence(rows.sets),
        "illustrative": illustrative_sets_note(rows.sets),
        "is_demo": rows.is_demo,
        "summary": summary,
        "group_bands": group_bands(rows, bands_of(rows.sets[0].programme if rows.sets else None)),
        "completion": province_completion(province, rows, period),
        "districts": districts,
        "overdue_total": sum(d.overdue for d in districts),
        "due": due_date(period, province.report_due_day),
        "watch": watch,
        "map": _map(rows, period, watch, map_mode),
        "trend": points,
        "trend_tier_chart": trend_tiers,
        "trend_average_chart": trend_average,
        "generated_at": timezone.localtime(),
        "generated_by": person(user),
        "rows": rows,  # for the printed documents built on this page (reports.documents)
    }


def _map(rows: ScopeRows, period: dt.date, watch: list[WatchRow], mode: str) -> CommuneMap:
    at_risk = {w.item.unit.pk for w in watch if w.item.at_risk}
    return commune_map(rows, period, at_risk, tiers_of(rows.sets), mode)


def person(user) -> str:
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


def _commune_rows(
    rows: ScopeRows,
    period: dt.date,
    province: AdministrativeUnit,
    highest: dict[int, Recognition],
    watch: list[WatchRow],
    today: dt.date,
) -> list[CommuneRow]:
    """The district's rural communes, each with what fails, its watch item, its report and its next plan."""
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
    return communes


def district_context(
    *, district: AdministrativeUnit, period: dt.date, user, map_mode: str = "tier", ancestors: list | None = None
) -> dict:
    """A district for a month: its communes recognised and computed, QĐ 320's conditions, watch-list, trend
    (ten queries: the province for its due day, then the scope's rows)."""
    ancestors = district.ancestors() if ancestors is None else ancestors
    province = ancestors[0] if ancestors else district
    ensure_results(district, trend_months(period))
    rows = load_scope(district, period)
    today = timezone.localdate()
    summary, in_force, highest = summarise(district, rows, period)
    units_by_pk = {u.pk: u for u in rows.units}
    watch = _watch_rows(rows, in_force, units_by_pk)
    communes = _commune_rows(rows, period, province, highest, watch, today)
    all_communes = [u for u in rows.units if u.level == Level.COMMUNE]
    judged = rows.rural
    points = trend(rows, period)
    trend_tiers, trend_average = trend_charts(points, criteria_total_of(rows), tiers_of(rows.sets))
    return {
        "scope": district,
        "district": district,
        "province": province,
        "ancestors": ancestors,
        "province_dashboard_allowed": in_scope(user, province),
        "period": period,
        "months": month_links(period),
        "programme": next(iter(rows.statuses.values())).programme if rows.statuses else None,
        "yardstick": yardstick_sentence(rows.sets),
        "illustrative": illustrative_sets_note(rows.sets),
        "is_demo": rows.is_demo,
        "summary": summary,
        "communes": communes,
        "other_communes": [u for u in all_communes if u not in judged],
        "rule": district_rule(commune_statuses=[rows.statuses.get(u.pk) or Status(tier="") for u in rows.rural]),
        "district_status": rows.statuses.get(district.pk),
        "district_recognition": highest.get(district.pk),
        "overdue_total": sum(
            1 for u in judged if is_overdue(period, province.report_due_day, rows.reports.get(u.pk), today)
        ),
        "reporting_total": len(judged),
        "due": due_date(period, province.report_due_day),
        "watch": watch,
        "map": _map(rows, period, watch, map_mode),
        "trend": points,
        "trend_tier_chart": trend_tiers,
        "trend_average_chart": trend_average,
        "generated_at": timezone.localtime(),
        "generated_by": person(user),
        "rows": rows,
    }
