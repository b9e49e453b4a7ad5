"""Judge a unit against criteria sets: pure functions over plain data, no ORM, so pages, API and batch jobs agree.

Given a programme's sets, a unit's classification (region, TDMNPB rule, commune group, province), a year and
a mapping measure code -> value, it explains every indicator (value, the threshold that applied and why,
met or not, the gap), every criterion, each set, and the tier ladder: a tier counts only when every lower
tier of the same level is reached. What a measure accepts (ranges, yes/no words, coercion) is criteria.measures;
the batch path that keeps only a summary per set is criteria.summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from criteria.choices import Region
from criteria.measures import Condition, InvalidValue, coerce_value, compare

Number = Decimal

REGION_NAMES = dict(Region.choices)
TDMNPB = Region.TDMNPB.value


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NO_THRESHOLD = "no_threshold"
    ERROR = "error"


# ---------------------------------------------------------------- definitions (built from the database or YAML)


@dataclass(frozen=True, slots=True)
class MeasureDef:
    code: str
    name: str
    kind: str  # number | percent | count | boolean | level
    unit: str = ""
    min_value: Number | None = None
    max_value: Number | None = None
    levels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ThresholdDef:
    value: Number | None = None
    level_value: str = ""
    region: str = ""
    tdmnpb_rule: bool | None = None
    group: int | None = None
    year: int | None = None
    source: str = ""
    verified: bool = False
    when: Condition | None = None  # applies only when another figure of the unit meets it

    @property
    def specificity(self) -> tuple[int, bool, bool, bool, bool, bool]:
        """More qualifiers win; between as many, a year beats a group beats the TDMNPB rule beats a region beats
        a condition on the unit's figures (so DBSH's 100% wins over "other regions, 3 schools or fewer").
        The order of rows in a file or table never decides, so a copied set judges exactly like its original.
        """
        year, group, rule, region, when = (
            self.year is not None,
            self.group is not None,
            self.tdmnpb_rule is not None,
            bool(self.region),
            self.when is not None,
        )
        return (year + group + rule + region + when, year, group, rule, region, when)


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    code: str
    name: str
    comparison: str
    measure: MeasureDef | None
    thresholds: tuple[ThresholdDef, ...] = ()
    official_code: str = ""
    reference: str = ""
    multiplier: Number | None = None


@dataclass(frozen=True, slots=True)
class CriterionDef:
    number: int
    name: str
    indicators: tuple[IndicatorDef, ...]
    is_key: bool = False
    is_condition: bool = False


@dataclass(frozen=True, slots=True)
class SetDef:
    code: str
    name: str
    level: str
    tier: str
    rank: int
    criteria: tuple[CriterionDef, ...]
    province_code: str = ""
    province_name: str = ""
    version: str = ""  # which version of the set: legal basis and the date it applies from (CriteriaSet.version_label)
    illustrative: bool = False  # a stand-in while the legal text is missing (CriteriaSet.illustrative)


@dataclass(frozen=True, slots=True)
class ProgrammeDef:
    code: str
    sets: tuple[SetDef, ...]
    last_year: int | None = None  # a month after it (January 2026) is judged with that year's thresholds
    # Threshold choices per (set, indicator, classification, year), shared by units of one classification.
    threshold_cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def set(self, code: str) -> SetDef | None:
        return next((s for s in self.sets if s.code == code), None)

    def ladder(self, level: str) -> list[SetDef]:
        return sorted((s for s in self.sets if s.level == level), key=lambda s: s.rank)


@dataclass(frozen=True, slots=True)
class UnitProfile:
    """What picks a unit's thresholds: its province's region, the TDMNPB rule, its commune group."""

    region: str = ""
    applies_tdmnpb: bool = False
    group: int | None = None
    province_code: str = ""

    @property
    def threshold_region(self) -> str:
        # QĐ 318 Art. 1: especially disadvantaged communes (and the other listed kinds) use TDMNPB wherever they are.
        return TDMNPB if self.applies_tdmnpb else self.region


# ---------------------------------------------------------------- results


@dataclass(slots=True)
class IndicatorResult:
    code: str
    official_code: str
    name: str
    measure: str | None
    unit: str
    comparison: str
    value: Any
    threshold: Any
    outcome: Outcome
    gap: Number | None
    basis: str
    verified: bool | None
    source: str
    message: str = ""

    @property
    def met(self) -> bool | None:
        if self.outcome is Outcome.MET:
            return True
        if self.outcome is Outcome.NOT_MET:
            return False
        return None


@dataclass(slots=True)
class CriterionResult:
    number: int
    name: str
    is_key: bool
    is_condition: bool
    indicators: list[IndicatorResult]

    @property
    def outcome(self) -> Outcome:
        outcomes = {r.outcome for r in self.indicators}
        if not self.indicators:
            return Outcome.NO_THRESHOLD
        if Outcome.NOT_MET in outcomes:
            return Outcome.NOT_MET
        if outcomes == {Outcome.MET}:
            return Outcome.MET
        if Outcome.ERROR in outcomes:
            return Outcome.ERROR
        if Outcome.NO_DATA in outcomes:
            return Outcome.NO_DATA
        return Outcome.NO_THRESHOLD

    @property
    def met(self) -> bool:
        return self.outcome is Outcome.MET


@dataclass(slots=True)
class SetResult:
    code: str
    name: str
    tier: str
    rank: int
    province_code: str
    criteria: list[CriterionResult]
    reached: bool = False  # met, and every lower tier reached (filled by the ladder)
    version: str = ""  # the version of the set that judged (SetDef.version)
    illustrative: bool = False

    @property
    def counted(self) -> list[CriterionResult]:
        return [c for c in self.criteria if not c.is_condition]

    @property
    def criteria_met(self) -> int:
        return sum(1 for c in self.counted if c.met)

    @property
    def criteria_total(self) -> int:
        return len(self.counted)

    @property
    def met(self) -> bool:
        return bool(self.criteria) and all(c.met for c in self.criteria)

    @property
    def failing(self) -> list[CriterionResult]:
        return [c for c in self.counted if c.outcome is Outcome.NOT_MET]

    @property
    def failing_indicators(self) -> list[IndicatorResult]:
        return [i for c in self.criteria for i in c.indicators if i.outcome is not Outcome.MET]


@dataclass(slots=True)
class ProgrammeResult:
    programme: str
    level: str
    year: int
    tier: str | None
    sets: dict[str, SetResult] = field(default_factory=dict)
    uses_groups: bool = False  # thresholds by commune group (2026-2030): `group` judged it, None: not grouped
    group: int | None = None

    def as_dict(self) -> dict:
        """The JSON shape of `manage.py evaluate` and the API."""
        return {
            "programme": self.programme,
            "year": self.year,
            "tier": self.tier,
            "sets": {code: set_as_dict(result) for code, result in self.sets.items()},
        }


def set_as_dict(result: SetResult) -> dict:
    return {
        "met": result.met,
        "reached": result.reached,
        "criteria_met": result.criteria_met,
        "criteria_total": result.criteria_total,
        "criteria": [
            {
                "number": c.number,
                "name": c.name,
                "met": c.met,
                "outcome": str(c.outcome),
                "key": c.is_key,
                "condition": c.is_condition,
                "indicators": [
                    {
                        "code": i.code,
                        "official_code": i.official_code or None,
                        "name": i.name,
                        "measure": i.measure,
                        "value": _json_value(i.value),
                        "threshold": _json_value(i.threshold),
                        "comparison": i.comparison,
                        "met": i.met,
                        "outcome": str(i.outcome),
                        "gap": _json_value(i.gap),
                        "basis": i.basis,
                        "verified": i.verified,
                        "source": i.source,
                        "message": i.message,
                    }
                    for i in c.indicators
                ],
            }
            for c in result.criteria
        ],
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------- threshold choice


def choose_threshold(
    thresholds: tuple[ThresholdDef, ...], profile: UnitProfile, year: int, values: Mapping[str, Any] | None = None
) -> ThresholdDef | None:
    """The most specific threshold whose qualifiers all hold for this unit and year (None when none applies).

    A row with a condition (`when`) applies only when the unit's own figure in `values` meets it; without that
    figure the rows without a condition decide.
    """
    best: ThresholdDef | None = None
    for t in thresholds:
        if t.when is not None and not t.when.holds(values):
            continue
        if t.region and t.region != profile.threshold_region:
            continue
        if t.tdmnpb_rule is not None and t.tdmnpb_rule != profile.applies_tdmnpb:
            continue
        if t.group is not None and t.group != profile.group:
            continue
        if t.year is not None and t.year != year:
            continue
        if best is None or t.specificity > best.specificity:
            best = t
    return best


def describe_basis(t: ThresholdDef, profile: UnitProfile, year: int, set_def: SetDef) -> str:
    """Why this threshold applies, in the words the office uses."""
    parts = []
    if t.region:
        if t.region == TDMNPB and profile.applies_tdmnpb and profile.region != TDMNPB:
            parts.append(_("ngưỡng vùng TDMNPB (xã áp dụng ngưỡng TDMNPB theo Điều 1 QĐ 318)"))
        else:
            parts.append(_("vùng %(region)s") % {"region": REGION_NAMES.get(t.region, t.region)})
    if t.tdmnpb_rule:
        parts.append(_("xã áp dụng ngưỡng TDMNPB"))
    elif t.tdmnpb_rule is False:
        parts.append(_("xã không thuộc diện áp dụng ngưỡng TDMNPB"))
    if t.group is not None:
        parts.append(_("nhóm %(group)s") % {"group": t.group})
    if t.year is not None:
        parts.append(_("năm %(year)s") % {"year": t.year})
    if t.when is not None:
        parts.append(_("khi %(condition)s") % {"condition": t.when.text()})
    if not parts:
        parts.append(_("mọi vùng"))
    basis = ", ".join(parts)
    if set_def.province_code:
        province = set_def.province_name or _("tỉnh %(code)s") % {"code": set_def.province_code}
        basis = _("bộ tiêu chí của %(province)s: %(basis)s") % {"province": province, "basis": basis}
    return basis


# ---------------------------------------------------------------- evaluation


def _judge(
    indicator: IndicatorDef,
    set_def: SetDef,
    profile: UnitProfile,
    year: int,
    values: Mapping[str, Any],
    programme: ProgrammeDef | None,
    reached: Mapping[str, bool] | None,
    coerced: dict[str, Any] | None,
) -> tuple[Outcome, Any, Any, Number | None, str, ThresholdDef | None, str]:
    """The one judgement of an indicator: (outcome, value, threshold, gap, basis, threshold row, message)."""
    if indicator.comparison == "reached":
        return _judge_reached(indicator, programme, reached)
    threshold_value, basis, chosen = _cached_threshold(indicator, set_def, profile, year, programme, values)
    achieved = indicator.comparison == "achieved"
    if chosen is None or (not achieved and threshold_value is None):
        undecided = [t.when for t in indicator.thresholds if t.when is not None and t.when.holds(values) is None]
        if chosen is None and undecided:
            # The threshold depends on a figure the unit has not given yet (e.g. its number of schools).
            needed = undecided[0].measure_name or undecided[0].measure
            message = _("chưa có số liệu '%(measure)s' để chọn ngưỡng") % {"measure": needed}
            return Outcome.NO_DATA, None, None, None, basis, chosen, message
        message = _("chưa có ngưỡng áp dụng cho đơn vị và năm này")
        return Outcome.NO_THRESHOLD, None, None, None, basis, chosen, message
    threshold = True if achieved else threshold_value

    measure = indicator.measure
    raw = values.get(measure.code)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Outcome.NO_DATA, None, threshold, None, basis, chosen, _("chưa có số liệu")
    if coerced is not None and measure.code in coerced:
        value = coerced[measure.code]
    else:
        try:
            value = coerce_value(measure, raw)
        except InvalidValue as exc:
            message = _("Giá trị không hợp lệ: %(reason)s") % {"reason": exc}
            return Outcome.ERROR, raw, threshold, None, basis, chosen, message
        if coerced is not None:
            coerced[measure.code] = value
    met, gap = compare(indicator.comparison, value, threshold, measure)
    return (Outcome.MET if met else Outcome.NOT_MET), value, threshold, gap, basis, chosen, ""


def _judge_reached(
    indicator: IndicatorDef, programme: ProgrammeDef | None, reached: Mapping[str, bool] | None
) -> tuple[Outcome, Any, Any, None, str, None, str]:
    """An indicator met when a lower tier's set is reached (QĐ 319: advanced needs standard first)."""
    target = programme.set(indicator.reference) if programme else None
    basis = _("phải đạt %(set)s") % {"set": target.name if target else indicator.reference}
    if reached is None or indicator.reference not in reached:
        message = _("chưa xét mức tiêu chí được tham chiếu")
        return Outcome.NO_DATA, None, indicator.reference, None, basis, None, message
    value = reached[indicator.reference]
    return (Outcome.MET if value else Outcome.NOT_MET), value, indicator.reference, None, basis, None, ""


def condition_outcomes(thresholds: tuple[ThresholdDef, ...], values: Mapping[str, Any] | None) -> tuple:
    """What the rows' conditions make of these figures: part of a cache key, empty when no row has one."""
    return tuple(t.when.holds(values) for t in thresholds if t.when is not None)


def _cached_threshold(
    indicator: IndicatorDef,
    set_def: SetDef,
    profile: UnitProfile,
    year: int,
    programme: ProgrammeDef | None,
    values: Mapping[str, Any] | None = None,
) -> tuple[Any, str, ThresholdDef | None]:
    """_threshold_for, remembered on the programme for the units that share a classification (and, when rows
    carry conditions, the conditions' outcomes)."""
    if programme is None:
        return _threshold_for(indicator, set_def, profile, year, programme, values=values)
    # The unit's own region is in the key because the explanation names it, not only the threshold.
    key = (
        set_def.code,
        set_def.province_code,
        indicator.code,
        profile.region,
        profile.threshold_region,
        profile.applies_tdmnpb,
        profile.group,
        year,
        condition_outcomes(indicator.thresholds, values),
    )
    cached = programme.threshold_cache.get(key)
    if cached is None:
        cached = _threshold_for(indicator, set_def, profile, year, programme, values=values)
        programme.threshold_cache[key] = cached
    return cached


def evaluate_indicator(
    indicator: IndicatorDef,
    set_def: SetDef,
    profile: UnitProfile,
    year: int,
    values: Mapping[str, Any],
    programme: ProgrammeDef | None = None,
    reached: Mapping[str, bool] | None = None,
    coerced: dict[str, Any] | None = None,
) -> IndicatorResult:
    outcome, value, threshold, gap, basis, chosen, message = _judge(
        indicator, set_def, profile, year, values, programme, reached, coerced
    )
    measure = indicator.measure
    return IndicatorResult(
        code=indicator.code,
        official_code=indicator.official_code,
        name=indicator.name,
        measure=measure.code if measure else None,
        unit=measure.unit if measure else "",
        comparison=indicator.comparison,
        value=value,
        threshold=threshold,
        outcome=outcome,
        gap=gap,
        basis=basis,
        verified=chosen.verified if chosen else None,
        source=chosen.source if chosen else "",
        message=message,
    )


def _threshold_for(
    indicator: IndicatorDef,
    set_def: SetDef,
    profile: UnitProfile,
    year: int,
    programme: ProgrammeDef | None,
    *,
    explain: bool = True,
    values: Mapping[str, Any] | None = None,
) -> tuple[Any, str, ThresholdDef | None]:
    """The threshold value, the reason it applies, and the row it came from (the referenced row when relative).

    explain=False (the batch path) leaves the reason and a relative threshold's source empty: translated text
    costs more than the choice itself, and a summary never shows them.
    """
    chosen = choose_threshold(indicator.thresholds, profile, year, values)
    if indicator.reference and indicator.multiplier is not None:
        ref_set_code, _slash, ref_code = indicator.reference.partition("/")
        ref_set = programme.set(ref_set_code) if programme else None
        ref = None
        if ref_set is not None:
            ref = next((i for c in ref_set.criteria for i in c.indicators if i.code == ref_code), None)
        ref_threshold = choose_threshold(ref.thresholds, profile, year, values) if ref else None
        if ref_threshold is None or ref_threshold.value is None:
            if not explain:
                return None, "", chosen
            basis = _("%(percent)s ngưỡng %(reference)s (chưa có ngưỡng gốc)") % {
                "percent": _percent(indicator.multiplier),
                "reference": indicator.reference,
            }
            return None, basis, chosen
        # Exact, never rounded: 41.35 × 1.1 = 45.485, and 45.484 must not pass.
        value = ref_threshold.value * indicator.multiplier
        # The result is only as verified as the value it is computed from.
        verified = bool(chosen and chosen.verified and ref_threshold.verified)
        if not explain:
            return value, "", ThresholdDef(value=value, verified=verified)
        basis = _("%(percent)s ngưỡng của %(set)s (%(basis)s)") % {
            "percent": _percent(indicator.multiplier),
            "set": ref_set.name,
            "basis": describe_basis(ref_threshold, profile, year, ref_set),
        }
        ref_source = ref_threshold.source and _("ngưỡng gốc: %(source)s") % {"source": ref_threshold.source}
        source = "; ".join(part for part in (chosen.source if chosen else "", ref_source) if part)
        return value, basis, ThresholdDef(value=value, source=source, verified=verified)
    if chosen is None:
        return None, "", None
    value = chosen.level_value if indicator.measure and indicator.measure.kind == "level" else chosen.value
    return value, describe_basis(chosen, profile, year, set_def) if explain else "", chosen


def _percent(multiplier: Decimal) -> str:
    return f"{_json_value(multiplier * 100)}%"


def evaluate_set(
    set_def: SetDef,
    profile: UnitProfile,
    year: int,
    values: Mapping[str, Any],
    programme: ProgrammeDef | None = None,
    reached: Mapping[str, bool] | None = None,
    coerced: dict[str, Any] | None = None,
) -> SetResult:
    criteria = [
        CriterionResult(
            number=c.number,
            name=c.name,
            is_key=c.is_key,
            is_condition=c.is_condition,
            indicators=[
                evaluate_indicator(i, set_def, profile, year, values, programme, reached) for i in c.indicators
            ],
        )
        for c in set_def.criteria
    ]
    return SetResult(
        code=set_def.code,
        name=set_def.name,
        tier=set_def.tier,
        rank=set_def.rank,
        province_code=set_def.province_code,
        criteria=criteria,
        version=set_def.version,
        illustrative=set_def.illustrative,
    )


def evaluate_programme(
    programme: ProgrammeDef,
    profile: UnitProfile,
    year: int,
    values: Mapping[str, Any],
    *,
    level: str = "commune",
    only: str | None = None,
) -> ProgrammeResult:
    """Every set of a level, lowest rank first; the tier is the highest set reached with every lower one reached."""
    result = ProgrammeResult(programme=programme.code, level=level, year=year, tier=None)
    reached: dict[str, bool] = {}
    coerced: dict[str, Any] = {}  # a value read by several tiers is checked once
    lower_all_reached = True
    for set_def in programme.ladder(level):
        set_result = evaluate_set(set_def, profile, year, values, programme, reached, coerced)
        set_result.reached = lower_all_reached and set_result.met
        reached[set_def.code] = set_result.reached
        lower_all_reached = set_result.reached
        if set_result.reached:
            result.tier = set_def.tier
        if only is None or only == set_def.code:
            result.sets[set_def.code] = set_result
    return result
