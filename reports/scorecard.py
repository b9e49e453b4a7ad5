"""What the commune scorecard shows: every indicator of the commune's sets explained, its last twelve months, its
decisions and plans, and what it lacks for the next tier (the dashboards' other pages are in reports.dashboard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import REFORM_DATE, AdministrativeUnit, Level
from communes.months import month_end, months_between, shift_month
from criteria.evaluation import CriterionResult, IndicatorResult, Outcome, ProgrammeResult
from criteria.models import JudgedKinds
from monthly.evaluation import evaluate_approved
from monthly.services import programme_for
from records.models import CommunePlan, Recognition
from reports import charts
from reports.coverage import ensure_results
from reports.dashboard import person
from reports.facts import illustrative_note
from reports.forecast import HORIZON, CommuneForecast, IndicatorForecast, method_text
from reports.forecast_data import forecast_from_result
from reports.models import RecomputeMark, Status
from reports.scope import TREND_MONTHS, highest_by_unit, month_links, programme_in_force, recognitions_on
from reports.services import judged_kinds, watch_list


@dataclass
class HistoryPoint:
    period: dt.date
    tier: str | None  # None: no status that month
    criteria_met: int | None
    criteria_total: int | None
    stale: bool = False  # being recomputed: the stored figures may no longer match the approved ones
    programme: str = ""  # the yardstick that produced it (2021-2025 until January 2026, 2026-2030 since)

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
    # At this pace (reports.forecast): the commune's month for the tier, and each item's, by indicator code.
    forecast: CommuneForecast | None = None
    forecasts: dict[str, IndicatorForecast] = field(default_factory=dict)
    forecast_method: str = ""

    @property
    def rows(self) -> list[tuple[CriterionResult, IndicatorResult, IndicatorForecast | None]]:
        return [(c, i, self.forecasts.get(i.code)) for c, i in self.items]

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


def with_forecast(step: NextStep | None, commune: AdministrativeUnit, period: dt.date, result, programme) -> NextStep:
    """The next step with its forecast: when each missing indicator would be met at its pace, from the evaluation
    the scorecard made (reports.forecast_data.forecast_from_result: two queries)."""
    if step is None or result is None or programme is None:
        return step
    forecast = forecast_from_result(commune, period, result, programme).get(step.tier)
    if forecast is not None:
        step.forecast = forecast
        step.forecast_method = method_text(min(programme.last_month or HORIZON, HORIZON))
        step.forecasts = {f.code: f for f in forecast.indicators if f.set_code == step.set_code}
    return step


def _history(commune: AdministrativeUnit, period: dt.date) -> tuple[dict[dt.date, Status], set[dt.date], list]:
    """The stored statuses of the last twelve months (the programme in force), the months being recomputed, and one
    HistoryPoint a month (two queries)."""
    start = shift_month(period, 1 - TREND_MONTHS)
    stored = {
        row.period: row
        for row in Status.objects.filter(unit=commune, period__gte=start, period__lte=period)
        .filter(programme_in_force())
        .select_related("programme")
        .order_by()
    }
    stale = set(
        RecomputeMark.objects.filter(unit=commune, period__gte=start, period__lte=period).values_list(
            "period", flat=True
        )
    )
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
                stale=month in stale,
                programme=row.programme.code if row else "",
            )
        )
    return stored, stale, history


@dataclass
class PredecessorHistory:
    """A unit the commune was formed from in 2025, with its results of the same twelve months (until 06/2025)."""

    unit: AdministrativeUnit
    points: list[HistoryPoint]


def _predecessors_history(commune: AdministrativeUnit, history: list[HistoryPoint]) -> list[PredecessorHistory]:
    """Before July 2025 a post-reform commune's history is its predecessors' (one query, only for such a commune
    whose twelve months reach back before the reform)."""
    if not commune.is_post_reform or history[0].period >= REFORM_DATE:
        return []
    rows = (
        Status.objects.filter(
            unit__successor_links__successor=commune, period__gte=history[0].period, period__lt=REFORM_DATE
        )
        .filter(programme_in_force())
        .select_related("unit", "programme")
        .order_by("unit__sort_key", "period")
    )
    by_unit: dict[int, PredecessorHistory] = {}
    for row in rows:
        entry = by_unit.setdefault(row.unit_id, PredecessorHistory(row.unit, {}))
        entry.points[row.period] = HistoryPoint(
            row.period, row.tier, row.criteria_met, row.criteria_total, programme=row.programme.code
        )
    for entry in by_unit.values():
        entry.points = [entry.points.get(p.period) or HistoryPoint(p.period, None, None, None) for p in history]
    return list(by_unit.values())


def yardstick_runs(history: list[HistoryPoint]) -> list[tuple[str, str, str]]:
    """(first month, last month, programme) for each run of months judged by one programme."""
    runs: list[list] = []
    for point in history:
        if not point.programme:
            continue
        if runs and runs[-1][2] == point.programme:
            runs[-1][1] = point.label
        else:
            runs.append([point.label, point.label, point.programme])
    return [tuple(run) for run in runs]


def _history_chart(history: list[HistoryPoint], result: ProgrammeResult | None) -> str:
    # One scale: the months of the latest programme only (19 criteria of 2021-2025 and 10 of 2026-2030 differ).
    latest = next((p.programme for p in reversed(history) if p.programme), "")
    history = [p if p.programme == latest else HistoryPoint(p.period, None, None, None) for p in history]
    criteria_total = max((p.criteria_total or 0 for p in history), default=0) or (
        next(iter(result.sets.values())).criteria_total if result and result.sets else 0
    )
    return charts.sparkline(
        [p.criteria_met for p in history],
        title=_("Số tiêu chí đạt theo tháng, 12 tháng gần nhất"),
        maximum=criteria_total or 19,
        labels=[history[0].label, history[-1].label],
    )


def _predecessors_recognitions(commune: AdministrativeUnit) -> list[Recognition]:
    """A commune formed in 2025 inherits no recognition: its predecessors' decisions are its history (one query,
    for post-reform communes only)."""
    if not commune.is_post_reform:
        return []
    return list(
        Recognition.objects.filter(unit__successor_links__successor=commune)
        .select_related("unit__parent")
        .order_by("unit__sort_key", "decision_date", "pk")
    )


def scorecard_context(*, commune: AdministrativeUnit, period: dt.date, user) -> dict:
    """One commune for a month: every indicator of its sets explained, its history, its decisions, and what it
    lacks for the next tier (thirteen queries: ancestors, programme, the programme's four, measures, figures,
    history, the months being recomputed, decisions, plans, demo villages)."""
    ancestors = commune.ancestors()
    province = ancestors[0] if ancestors else commune
    district = next((a for a in ancestors if a.level == Level.DISTRICT), None)
    programme = programme_for(period)
    ensure_results(commune, months_between(shift_month(period, 1 - TREND_MONTHS), period))
    result = None
    carried: dict = {}
    if programme is not None:
        result, carried = evaluate_approved(commune, period, programme=programme, province_region=province.region)
    stored, stale, history = _history(commune, period)
    status = stored.get(period)
    recognitions = list(Recognition.objects.filter(unit=commune).order_by("decision_date", "pk"))
    in_force = recognitions_on(recognitions, month_end(period))
    for r in in_force:
        r.unit = commune  # watch_list names the unit; no query
    watch = watch_list({commune.pk: status}, in_force) if status else []
    plans = list(CommunePlan.objects.filter(unit=commune).order_by("year", "tier"))

    demo_units = AdministrativeUnit.objects.filter(path__startswith=commune.path, is_demo=True).exists()
    in_force_ids = {r.pk for r in in_force}
    revoked_ids = {r.pk for r in recognitions if r.revoked_date is not None and r.revoked_date <= month_end(period)}
    step = next_step(result)
    return {
        "scope": commune,
        "commune": commune,
        "ancestors": ancestors,
        "province": province,
        "district": district,
        # Whether the criteria in force judge this kind (applies_to of the sets); one query.
        "is_rural": commune.kind in judged_kinds(programme).get(Level.COMMUNE, JudgedKinds()),
        "period": period,
        "months": month_links(period),
        "programme": programme,
        "result": result,
        "illustrative": illustrative_note([s.name for s in result.sets.values() if s.illustrative] if result else []),
        "has_figures": bool(carried),
        "computed_tier": (result.tier or "") if result else "",
        "status": status,
        "stale": period in stale,
        "recognitions": recognitions,
        "history_recognitions": _predecessors_recognitions(commune),
        "in_force_ids": in_force_ids,
        "revoked_ids": revoked_ids,
        "recognition": highest_by_unit(in_force).get(commune.pk),
        "watch": watch,
        "at_risk": any(w.at_risk for w in watch),
        "plans": plans,
        "next_step": with_forecast(step, commune, period, result, programme) if status else step,
        "history": history,
        "history_runs": yardstick_runs(history),
        "predecessors_history": _predecessors_history(commune, history),
        "history_chart": _history_chart(history, result),
        "is_demo": demo_units or any(r.is_demo for r in recognitions) or any(p.is_demo for p in plans),
        "generated_at": timezone.localtime(),
        "generated_by": person(user),
    }
