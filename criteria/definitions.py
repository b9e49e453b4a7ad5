"""Turn criteria sets in the database, or parsed criteria files, into the plain definitions criteria.evaluation
works on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from criteria.evaluation import CriterionDef, IndicatorDef, MeasureDef, ProgrammeDef, SetDef, ThresholdDef
from criteria.measures import Condition
from criteria.models import (
    CriteriaSet,
    Criterion,
    CriterionKind,
    Indicator,
    Measure,
    Programme,
    Threshold,
    version_label,
)

if TYPE_CHECKING:
    from criteria.yaml_io import ParsedSet


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
    """A stored threshold row; its condition's measure was joined in (see sets_with_contents)."""
    condition = None
    if t.condition_measure_id is not None:
        measure = t.condition_measure
        condition = Condition(measure.code, t.condition_comparison, t.condition_value, measure_name=measure.name)
    return ThresholdDef(
        value=t.value,
        level_value=t.level_value,
        region=t.region,
        tdmnpb_rule=t.tdmnpb_rule,
        group=t.commune_group,
        year=t.year,
        source=t.source,
        verified=t.verified,
        when=condition,
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
        version=criteria_set.version_label,
        illustrative=criteria_set.illustrative,
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
        Prefetch(
            "criteria__indicators__thresholds",
            queryset=Threshold.objects.select_related("condition_measure").order_by("pk"),
        ),
    )


def build_programme(programme: Programme | str, province_code: str = "", on: dt.date | None = None) -> ProgrammeDef:
    """The programme as a province sees it on a day (today when not given): its own published set wins over the
    national one, and of each set the version in force that day."""
    code = programme if isinstance(programme, str) else programme.code
    chosen: dict[str, CriteriaSet] = {}
    for criteria_set in sets_with_contents(
        CriteriaSet.objects.filter(programme__code=code).in_force_for(province_code, on).order_by("province_code")
    ):
        # National sets sort first (empty province code), so a provincial set replaces its national one.
        chosen[criteria_set.code] = criteria_set
    return ProgrammeDef(
        code=code, sets=tuple(set_def(s) for s in chosen.values()), last_year=_last_year(chosen.values())
    )


def _last_year(sets) -> int | None:
    return next((s.programme.end_year for s in sets), None)


def build_programmes_by_province(
    programme_code: str, province_codes: set[str], on: dt.date | None = None
) -> dict[str, ProgrammeDef]:
    """One definition per province in the same four queries, for evaluating many units at once (the sets'
    versions in force on that day, today when not given)."""
    all_sets = list(
        sets_with_contents(CriteriaSet.objects.filter(programme__code=programme_code).in_force_for(province_codes, on))
    )
    national = {s.code: set_def(s) for s in all_sets if not s.province_code}
    provincial: dict[str, dict[str, SetDef]] = {}
    for s in all_sets:
        if s.province_code:
            provincial.setdefault(s.province_code, {})[s.code] = set_def(s)
    last_year = _last_year(all_sets)
    # The provinces without sets of their own share one definition: one threshold cache, and one batch of units
    # for the column engine (criteria.batch) instead of one per province.
    shared = ProgrammeDef(code=programme_code, sets=tuple(national.values()), last_year=last_year)
    return {
        province: ProgrammeDef(
            code=programme_code,
            sets=tuple({**national, **provincial[province]}.values()),
            last_year=last_year,
        )
        if province in provincial
        else shared
        for province in province_codes
    }


# ---------------------------------------------------------------- from parsed files


def _parsed_measure(m: dict) -> MeasureDef:
    return MeasureDef(
        code=m["code"],
        name=m["name"],
        kind=m["kind"],
        unit=m["unit"],
        min_value=m["min_value"],
        max_value=m["max_value"],
        levels=tuple(m["levels"]),
    )


def _parsed_threshold(t: dict, measures: dict[str, MeasureDef]) -> ThresholdDef:
    when = t.get("when")
    condition = None
    if when:
        name = measures[when["measure"]].name if when["measure"] in measures else ""
        condition = Condition(when["measure"], when["comparison"], when["value"], measure_name=name)
    return ThresholdDef(
        value=t["value"],
        level_value=t["level_value"],
        region=t["region"],
        tdmnpb_rule=t["tdmnpb_rule"],
        group=t["commune_group"],
        year=t["year"],
        source=t["source"],
        verified=t["verified"],
        when=condition,
    )


def _parsed_indicator(i: dict, measures: dict[str, MeasureDef]) -> IndicatorDef:
    return IndicatorDef(
        code=i["code"],
        official_code=i["official_code"],
        name=i["name"],
        comparison=i["comparison"],
        measure=measures.get(i["measure"]) if i["measure"] else None,
        thresholds=tuple(_parsed_threshold(t, measures) for t in i["thresholds"]),
        reference=i["reference"],
        multiplier=i["multiplier"],
    )


def parsed_set_def(parsed: ParsedSet) -> SetDef:
    """A parsed criteria file as the engine's definition, every threshold row kept (conditions included)."""
    measures = {m["code"]: _parsed_measure(m) for m in parsed.measures}
    s = parsed.set
    return SetDef(
        code=s["code"],
        name=s["name"],
        level=s["level"],
        tier=s["tier"],
        rank=s["rank"],
        province_code=s["province_code"],
        province_name=s["province_name"],
        version=version_label(s["legal_basis"], s.get("effective_from")),
        illustrative=bool(s.get("illustrative")),
        criteria=tuple(
            CriterionDef(
                number=c["number"],
                name=c["name"],
                is_key=c["is_key"],
                is_condition=c["kind"] == CriterionKind.CONDITION,
                indicators=tuple(_parsed_indicator(i, measures) for i in c["indicators"]),
            )
            for c in sorted(parsed.criteria, key=lambda c: c["number"])
        ),
    )


def programme_from_parsed(*parsed_sets: ParsedSet) -> ProgrammeDef:
    """The definition of a programme from its parsed files, without the database: what a file says, conditions
    on the unit's figures included."""
    codes = {p.programme["code"] for p in parsed_sets}
    if len(codes) != 1:
        raise ValueError(_("Các tệp phải thuộc cùng một giai đoạn (đang có: %(codes)s).") % {"codes": sorted(codes)})
    return ProgrammeDef(code=codes.pop(), sets=tuple(parsed_set_def(p) for p in parsed_sets))
