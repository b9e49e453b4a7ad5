"""Turn criteria sets in the database into the plain definitions criteria.evaluation works on."""

from __future__ import annotations

from django.db.models import Prefetch

from criteria.evaluation import CriterionDef, IndicatorDef, MeasureDef, ProgrammeDef, SetDef, ThresholdDef
from criteria.models import CriteriaSet, Criterion, CriterionKind, Indicator, Measure, Programme, Threshold


def measure_def(measure: Measure) -> MeasureDef:
    return MeasureDef(
        code=measure.code,
        name=measure.name,
        kind=measure.kind,
        unit=measure.unit,
        min_value=measure.min_value,
        max_value=measure.max_value,
        levels=tuple(measure.levels or ()),
    )


def threshold_def(t: Threshold) -> ThresholdDef:
    return ThresholdDef(
        value=t.value,
        level_value=t.level_value,
        region=t.region,
        tdmnpb_rule=t.tdmnpb_rule,
        group=t.commune_group,
        year=t.year,
        source=t.source,
        verified=t.verified,
    )


def set_def(criteria_set: CriteriaSet) -> SetDef:
    """A set whose criteria, indicators, measures and thresholds were prefetched (see sets_with_contents)."""
    measures: dict[int, MeasureDef] = {}

    def measure_for(indicator: Indicator) -> MeasureDef | None:
        if indicator.measure is None:
            return None
        if indicator.measure_id not in measures:
            measures[indicator.measure_id] = measure_def(indicator.measure)
        return measures[indicator.measure_id]

    return SetDef(
        code=criteria_set.code,
        name=criteria_set.name,
        level=criteria_set.level,
        tier=criteria_set.tier,
        rank=criteria_set.rank,
        province_code=criteria_set.province_code,
        province_name=criteria_set.province_name,
        criteria=tuple(
            CriterionDef(
                number=c.number,
                name=c.name,
                is_key=c.is_key,
                is_condition=c.kind == CriterionKind.CONDITION,
                indicators=tuple(
                    IndicatorDef(
                        code=i.code,
                        official_code=i.official_code,
                        name=i.name,
                        comparison=i.comparison,
                        measure=measure_for(i),
                        thresholds=tuple(threshold_def(t) for t in i.thresholds.all()),
                        reference=i.reference,
                        multiplier=i.multiplier,
                    )
                    for i in c.indicators.all()
                ),
            )
            for c in criteria_set.criteria.all()
        ),
    )


def sets_with_contents(queryset):
    """Sets with everything the evaluation reads, in four queries whatever their size."""
    return queryset.select_related("programme").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("number")),
        Prefetch("criteria__indicators", queryset=Indicator.objects.select_related("measure").order_by("position")),
        Prefetch("criteria__indicators__thresholds", queryset=Threshold.objects.order_by("pk")),
    )


def build_programme(programme: Programme | str, province_code: str = "") -> ProgrammeDef:
    """The programme as a province sees it: its own published version of a set wins over the national one."""
    code = programme if isinstance(programme, str) else programme.code
    chosen: dict[str, CriteriaSet] = {}
    for criteria_set in sets_with_contents(
        CriteriaSet.objects.filter(programme__code=code).in_force_for(province_code).order_by("province_code")
    ):
        # National sets sort first (empty province code), so a provincial set replaces its national one.
        chosen[criteria_set.code] = criteria_set
    return ProgrammeDef(code=code, sets=tuple(set_def(s) for s in chosen.values()))


def build_programmes_by_province(programme_code: str, province_codes: set[str]) -> dict[str, ProgrammeDef]:
    """One definition per province in the same four queries, for evaluating many units at once."""
    all_sets = list(
        sets_with_contents(CriteriaSet.objects.filter(programme__code=programme_code).in_force_for(province_codes))
    )
    national = {s.code: set_def(s) for s in all_sets if not s.province_code}
    provincial: dict[str, dict[str, SetDef]] = {}
    for s in all_sets:
        if s.province_code:
            provincial.setdefault(s.province_code, {})[s.code] = set_def(s)
    return {
        province: ProgrammeDef(code=programme_code, sets=tuple({**national, **provincial.get(province, {})}.values()))
        for province in province_codes
    }
