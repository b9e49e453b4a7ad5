"""What a forecast (reports.forecast) is computed from, loaded for a scope and a month in a fixed number of queries
whatever the number of communes.

The communes are those the recompute judges (reports.services: the kinds the programme's sets judge, in force in the
month); those with a status that month have a result to forecast from, and where they stand is that status (so a
forecast's "met now" is the dashboard's count). A status keeps the failing indicators of the next tier only, with the
value judged and the threshold the engine chose; a commune that could reach that tier at its pace (every indicator it
misses there has a trend) also needs what it misses above, so it alone is judged again on its approved figures
carried forward, by the recompute's own engine (criteria.summary) keeping every set's failures. With `every_trend`
(a single commune's scorecard, the back-test) every commune is judged again and every trend is read.

The history is the approved values of the last twelve months of only the (commune, measure) pairs whose trend can
change a forecast (reports.forecast.trend_measures); a commune formed in 2025 has its own months only, not its
predecessors'. The targets are the scope's own (a count or a share of communes at a tier, from this year to the
programme's last) and the national ones of the programme (records.NationalTarget) for a year and tier the scope has
none of.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from typing import Any

from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from communes.groups import groups_on
from communes.models import AdministrativeUnit, Level
from communes.months import month_end, shift_month
from criteria.definitions import build_programmes_by_province
from criteria.evaluation import IndicatorDef, Outcome, ProgrammeDef, ProgrammeResult, _json_value
from criteria.models import Measure, Programme
from monthly.evaluation import evaluate_unit, uses_groups
from monthly.latest import current_values
from monthly.models import ReportStatus, Value
from monthly.services import programme_for
from records.models import NationalTarget, Target, TargetKind
from reports.forecast import (
    HORIZON,
    TREND_MONTHS,
    CommuneForecast,
    CommuneInput,
    ForecastInputs,
    IndicatorInput,
    SetInput,
    TargetInput,
    forecast_commune_tiers,
    has_trend,
    trend_measures,
)
from reports.models import Status
from reports.services import UNIT_FIELDS, judged_units

COMMUNE_LEVEL = "commune"  # the criteria level of a commune's sets (monthly.services.CRITERIA_LEVEL)
SetState = tuple[bool, dict[str, list], bool]  # reached, failing indicator code -> [value, threshold, gap], complete


def load_forecast_inputs(
    scope: AdministrativeUnit, period: dt.date, *, every_trend: bool | None = None
) -> ForecastInputs:
    """The inputs of the scope's forecast as of the month, in a number of queries that does not depend on the number
    of communes: programme, judged kinds, communes, the criteria sets (four), measures, statuses, history, targets,
    national targets; and when some commune is judged again, its provinces' regions, the latest values
    (monthly.latest.current_values: one query, a few more when figures were approved for a later month) and the
    groups when the sets judge by group. `every_trend` (default: when the scope is a commune) judges every commune
    again and reads every indicator's trend, not only those that can change a count."""
    programme = programme_for(period)
    if programme is None:
        return ForecastInputs(scope.pk, scope.name, period, "", (), ())
    every = scope.level == Level.COMMUNE if every_trend is None else every_trend
    units = judged_units(scope, programme).filter(level=Level.COMMUNE).current(period)
    communes = list(units.only(*UNIT_FIELDS, "name", "short_name", "sort_key").in_vietnamese_order())
    definitions = build_programmes_by_province(programme.code, {u.province_code for u in communes}, month_end(period))
    indexes = {province: _index(definition) for province, definition in definitions.items()}
    measures = {pk: (code, kind) for pk, code, kind in Measure.objects.values_list("pk", "code", "kind")}
    stored = _stored(units, period, programme)
    inputs: dict[int, CommuneInput] = {}
    for unit in communes:
        if unit.pk not in stored:
            inputs[unit.pk] = CommuneInput(unit.pk, unit.code, unit.name, judged=False)
            continue
        tier, sets = stored[unit.pk]
        ladder = definitions[unit.province_code].ladder(COMMUNE_LEVEL)
        inputs[unit.pk] = _commune_input(unit, tier, _stored_sets(sets, ladder), ladder, indexes[unit.province_code])
    again = [u for u in communes if u.pk in stored and (every or _needs_judging(inputs[u.pk]))]
    for unit, (tier, sets) in _judge(again, period, definitions, measures).items():
        ladder = definitions[unit.province_code].ladder(COMMUNE_LEVEL)
        inputs[unit.pk] = _commune_input(unit, tier, sets, ladder, indexes[unit.province_code])
    inputs = _with_history(inputs, period, measures, every)
    return ForecastInputs(
        scope_id=scope.pk,
        scope_name=scope.name,
        as_of=period,
        programme=programme.code,
        tiers=_tiers(definitions.values()),
        communes=tuple(inputs[u.pk] for u in communes),
        targets=_targets(scope, programme, period, len(communes)),
        horizon=min(programme.last_month or HORIZON, HORIZON),
    )


def forecast_from_result(unit, period: dt.date, result: ProgrammeResult, programme: Programme) -> dict:
    """One commune's forecast for each tier of its ladder from the evaluation a page already made (the scorecard's:
    every set's indicators explained), so only the measures and their twelve months are read (two queries)."""
    measures = {pk: (code, kind) for pk, code, kind in Measure.objects.values_list("pk", "code", "kind")}
    kinds = {code: kind for code, kind in measures.values()}
    ladder = sorted((s for s in result.sets.values()), key=lambda s: s.rank)
    sets = tuple(
        SetInput(set_result.code, set_result.tier, set_result.rank, set_result.reached, _not_met(set_result, kinds))
        for set_result in ladder
    )
    commune = CommuneInput(unit.pk, unit.code, unit.name, judged=True, tier_now=result.tier or "", sets=sets)
    commune = _with_history({unit.pk: commune}, period, measures, True)[unit.pk]
    horizon = min(programme.last_month or HORIZON, HORIZON)
    forecasts: dict[str, CommuneForecast] = forecast_commune_tiers(commune, [s.tier for s in ladder], period, horizon)
    return forecasts


def _not_met(set_result, kinds: dict[str, str]) -> tuple[IndicatorInput, ...]:
    """The set's indicators not met (no figure, no threshold and invalid ones included, as a stored status keeps
    them); a 'reached' indicator follows the lower set, whose crossing it is."""
    return tuple(
        IndicatorInput(
            set_code=set_result.code,
            code=indicator.code,
            name=indicator.name,
            measure=indicator.measure or "",
            kind=kinds.get(indicator.measure or "", ""),
            comparison=indicator.comparison,
            threshold=_json_value(indicator.threshold),
            value=_json_value(indicator.value),
        )
        for criterion in set_result.criteria
        for indicator in criterion.indicators
        if indicator.outcome is not Outcome.MET and indicator.comparison != "reached"
    )


def _index(definition: ProgrammeDef) -> dict[str, dict[str, IndicatorDef]]:
    """Set code -> indicator code -> its definition, for the commune ladder."""
    return {s.code: {i.code: i for c in s.criteria for i in c.indicators} for s in definition.ladder(COMMUNE_LEVEL)}


# ---------------------------------------------------------------- where each commune stands


def _stored(units, period: dt.date, programme: Programme) -> dict[int, tuple[str, dict]]:
    """Each commune's status of the month: its tier and its sets' summaries (one query)."""
    rows = Status.objects.filter(unit__in=units.values("pk"), period=period, programme=programme).order_by()
    return {unit_id: (tier, sets) for unit_id, tier, sets in rows.values_list("unit_id", "tier", "sets")}


def _stored_sets(sets: dict, ladder) -> dict[str, SetState]:
    """A status's sets as the forecast reads them: a set above the next tier is incomplete, as the status keeps the
    failing indicators of the next tier only (criteria.summary, failing_for="next")."""
    result, lower_reached = {}, True
    for set_def in ladder:
        summary = sets.get(set_def.code) or {}
        reached = bool(summary.get("reached"))
        result[set_def.code] = (reached, summary.get("failing") or {}, reached or lower_reached)
        lower_reached = lower_reached and reached
    return result


def _needs_judging(commune: CommuneInput) -> bool:
    """Whether the status leaves out what the forecast needs: what the commune misses above the next tier when that
    tier can be reached at this pace (each indicator it misses there has a trend), or the next tier's failures when
    the status holds none (a set added since it was computed)."""
    pending = [s for s in commune.sets if not s.reached]
    if not pending:
        return False
    following = pending[0]
    if not following.not_met:
        return True
    return all(has_trend(i) for i in following.not_met) and any(not s.complete for s in pending[1:])


def _judge(communes, period: dt.date, definitions: dict, measures: dict) -> dict[Any, tuple[str, dict]]:
    """These communes judged on their approved figures carried forward, every set's failures kept (none: no query)."""
    if not communes:
        return {}
    ids = [u.pk for u in communes]
    regions = dict(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, path__in={u.province_path for u in communes})
        .values_list("path", "region")
        .order_by()
    )
    carried = current_values(AdministrativeUnit.objects.filter(pk__in=ids), period)
    grouped = any(uses_groups(d) for d in definitions.values())
    groups = groups_on(ids, month_end(period)) if grouped else {}
    judged = {}
    for unit in communes:
        values = {measures[m][0]: v for m, v in carried.get(unit.pk, {}).items() if m in measures}
        region = regions.get(unit.province_path, "")
        tier, summaries = _summaries(unit, period, values, region, definitions[unit.province_code], groups)
        judged[unit] = (tier or "", {code: (s.reached, s.failing, True) for code, s in summaries.items()})
    return judged


def _summaries(unit, period: dt.date, values: dict[str, Any], region: str, definition: ProgrammeDef, groups: dict):
    """evaluate_unit's batch judgement, keeping the failing indicators of every set (a status keeps the next
    tier's only)."""
    return evaluate_unit(
        unit,
        period,
        values,
        province_region=region,
        definition=definition,
        summary=True,
        group=groups.get(unit.pk),
        failing_for="all",
    )


def _commune_input(unit, tier: str, sets: dict[str, SetState], ladder, index: dict) -> CommuneInput:
    set_inputs = []
    for set_def in ladder:
        reached, failing, complete = sets.get(set_def.code, (False, {}, True))
        not_met = []
        for code, entry in failing.items():
            indicator = index[set_def.code].get(code)
            # A 'reached' indicator follows the lower set: its crossing is that set's.
            if indicator is not None and indicator.comparison != "reached":
                not_met.append(_indicator_input(set_def.code, indicator, entry))
        set_inputs.append(SetInput(set_def.code, set_def.tier, set_def.rank, reached, tuple(not_met), complete))
    return CommuneInput(unit.pk, unit.code, unit.name, judged=True, tier_now=tier or "", sets=tuple(set_inputs))


def _indicator_input(set_code: str, indicator: IndicatorDef, entry: list) -> IndicatorInput:
    value, threshold, _gap = entry
    measure = indicator.measure
    return IndicatorInput(
        set_code=set_code,
        code=indicator.code,
        name=indicator.name,
        measure=measure.code if measure else "",
        kind=measure.kind if measure else "",
        comparison=indicator.comparison,
        threshold=threshold,
        value=value,
    )


# ---------------------------------------------------------------- the trends' history


def _with_history(inputs: dict[int, CommuneInput], period: dt.date, measures: dict, every: bool) -> dict:
    """The communes with the history of the measures whose trend can change their forecast (one query)."""
    needed = {pk: found for pk, c in inputs.items() if c.judged and (found := trend_measures(c, every))}
    history = _history(needed, period, measures)
    return {pk: _filled(c, needed[pk], history) if pk in needed else c for pk, c in inputs.items()}


def _history(needed: dict[int, set[str]], period: dt.date, measures: dict) -> dict[tuple[int, str], list]:
    """(unit, measure code) -> [(month, value)] of the months with an approved value among the last TREND_MONTHS,
    for the pairs needed (the numbers come as floats from the database: no Decimal made per row)."""
    history: dict[tuple[int, str], list] = defaultdict(list)
    ids = {code: pk for pk, (code, _kind) in measures.items()}
    measure_ids = sorted({ids[code] for codes in needed.values() for code in codes if code in ids})
    if not measure_ids:
        return history  # no trend can change any forecast: no query
    rows = (
        Value.objects.filter(
            report__unit_id__in=sorted(needed),
            report__status=ReportStatus.APPROVED,
            report__period__gte=shift_month(period, 1 - TREND_MONTHS),
            report__period__lte=period,
            measure_id__in=measure_ids,
            number__isnull=False,
        )
        .annotate(figure=Cast("number", FloatField()))
        .order_by()
        .values_list("report__unit_id", "measure_id", "report__period", "figure")
    )
    for unit_id, measure_id, month, figure in rows:
        code = measures[measure_id][0]
        if code in needed[unit_id]:
            history[(unit_id, code)].append((month, figure))
    return history


def _filled(commune: CommuneInput, needed: set[str], history: dict) -> CommuneInput:
    def with_history(indicator: IndicatorInput) -> IndicatorInput:
        if indicator.measure not in needed:
            return indicator
        points = tuple(sorted(history.get((commune.unit_id, indicator.measure), ())))
        return dataclasses.replace(indicator, history=points)

    sets = tuple(dataclasses.replace(s, not_met=tuple(map(with_history, s.not_met))) for s in commune.sets)
    return dataclasses.replace(commune, sets=sets)


# ---------------------------------------------------------------- ladder and targets


def _tiers(definitions) -> tuple[str, ...]:
    """The commune ladder's tiers, lowest first, over every province's definition."""
    ranked: dict[str, int] = {}
    for definition in definitions:
        for set_def in definition.ladder(COMMUNE_LEVEL):
            ranked.setdefault(set_def.tier, set_def.rank)
    return tuple(sorted(ranked, key=ranked.__getitem__))


def _targets(scope: AdministrativeUnit, programme: Programme, period: dt.date, communes: int) -> tuple:
    """The scope's tier targets from this year to the programme's last, then the nation's for a year and tier it has
    none of (two queries); a share becomes the number of communes it means, rounded up. A target after the programme
    is judged by other criteria than the ones the forecast follows: left out."""
    found: list[TargetInput] = []
    own = Target.objects.filter(
        unit=scope,
        level=Level.COMMUNE,
        kind__in=[TargetKind.UNITS_AT_TIER, TargetKind.SHARE_AT_TIER],
        year__gte=period.year,
        year__lte=programme.end_year,
    ).order_by("year", "tier", "kind")
    for target in own:
        if target.kind == TargetKind.UNITS_AT_TIER:
            label = _("kế hoạch %(year)s") % {"year": target.year}
            found.append(TargetInput(target.tier, target.year, target.value, label, "plan", target.source))
        else:
            label = _("mục tiêu %(year)s: %(share)s%% số xã") % {"year": target.year, "share": target.value}
            count = math.ceil(target.value * communes / 100)
            found.append(TargetInput(target.tier, target.year, count, label, "share", target.source))
    covered = {(t.year, t.tier) for t in found}
    national = NationalTarget.objects.filter(
        programme_code=programme.code, year__gte=period.year, year__lte=programme.end_year
    ).order_by("year", "tier")
    for target in national:
        if (target.year, target.tier) in covered:
            continue
        label = _("mục tiêu cả nước %(year)s: %(share)s%% số xã") % {"year": target.year, "share": target.share}
        count = math.ceil(target.share * communes / 100)
        found.append(TargetInput(target.tier, target.year, count, label, "national", target.source))
    return tuple(found)
