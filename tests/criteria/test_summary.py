"""summarize_programme, the batch path, judges exactly as evaluate_programme, the explained path (no database).

Random programmes from a seeded generator: a commune ladder (standard, advanced, model) whose indicators compare
numbers, percents, counts and levels with >=, <=, >, <, ==, booleans with 'achieved', lower tiers with
'reached', and one relative indicator at 110% of a lower tier's threshold; thresholds by region, year, the
TDMNPB rule and commune group; key and condition criteria. Random units and values around the thresholds,
some missing, blank or invalid.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from criteria.evaluation import (
    REGION_NAMES,
    TDMNPB,
    CriterionDef,
    IndicatorDef,
    MeasureDef,
    Outcome,
    ProgrammeDef,
    SetDef,
    ThresholdDef,
    UnitProfile,
    _json_value,
    evaluate_programme,
)
from criteria.summary import summarize_programme

D = Decimal
REGIONS = list(REGION_NAMES)
YEARS = [2021, 2022, 2023, 2024, 2025]
LADDER = [("commune-standard", "standard"), ("commune-advanced", "advanced"), ("commune-model", "model")]
LEVELS = ("yếu", "trung bình", "khá", "tốt")
SEEDS = range(40)
UNITS_PER_PROGRAMME = 60


# ---------------------------------------------------------------- the generator


def _measures(rng: random.Random) -> list[MeasureDef]:
    measures = []
    for n in range(rng.randint(4, 10)):
        kind = rng.choice(["number", "percent", "count", "boolean", "boolean", "level"])
        if kind == "percent":
            measures.append(MeasureDef(f"m{n}", f"Tỷ lệ {n}", kind, "%", D(0), D(100)))
        elif kind in ("number", "count"):
            measures.append(MeasureDef(f"m{n}", f"Số liệu {n}", kind, "", D(0), D(200)))
        elif kind == "level":
            measures.append(MeasureDef(f"m{n}", f"Xếp loại {n}", kind, levels=LEVELS))
        else:
            measures.append(MeasureDef(f"m{n}", f"Có/không {n}", kind))
    return measures


def _qualifiers(rng: random.Random) -> dict:
    """Region, TDMNPB rule, group, year: each present now and then, as in QĐ 318/319 and QĐ 51."""
    return {
        "region": rng.choice(REGIONS) if rng.random() < 0.35 else "",
        "tdmnpb_rule": rng.choice([True, False]) if rng.random() < 0.15 else None,
        "group": rng.choice([1, 2, 3]) if rng.random() < 0.1 else None,
        "year": rng.choice(YEARS) if rng.random() < 0.25 else None,
    }


def _rows(rng: random.Random, measure: MeasureDef) -> tuple[ThresholdDef, ...]:
    rows = []
    # An all-units row most of the time; without it some units have no threshold at all.
    with_default = rng.random() < 0.85
    for k in range(rng.randint(0, 4) + (1 if with_default else 0)):
        qualifiers = {} if with_default and k == 0 else _qualifiers(rng)
        verified = rng.random() < 0.5
        if measure.kind == "boolean":
            rows.append(ThresholdDef(source="thử", verified=verified, **qualifiers))
        elif measure.kind == "level":
            rows.append(ThresholdDef(level_value=rng.choice(LEVELS), source="thử", verified=verified, **qualifiers))
        else:
            value = D(rng.randint(0, 100)) if measure.kind == "count" else D(rng.randint(0, 10000)) / 100
            rows.append(ThresholdDef(value=value, source="thử", verified=verified, **qualifiers))
    return tuple(rows)


def _programme(rng: random.Random):
    measures = _measures(rng)
    numeric = [m for m in measures if m.kind in ("number", "percent", "count")]
    direction = {m.code: rng.choice([">=", "<="]) for m in measures}
    sets: list[SetDef] = []
    code = 0
    relative_done = False
    for rank, (set_code, tier) in enumerate(LADDER[: rng.randint(1, 3)], start=1):
        criteria = []
        number = 0
        if rank > 1 and rng.random() < 0.7:
            number += 1
            reached = IndicatorDef(f"{number}.1", "Đạt mức dưới", "reached", None, reference=LADDER[rank - 2][0])
            criteria.append(CriterionDef(number, "Đạt mức dưới", (reached,), is_condition=rng.random() < 0.5))
        for _ in range(rng.randint(1, 6)):
            number += 1
            indicators = []
            if rng.random() < 0.03:  # a criterion without indicators: never met, never judged
                criteria.append(CriterionDef(number, f"Tiêu chí {number}", (), is_key=rng.random() < 0.3))
                continue
            for position in range(1, rng.randint(1, 3) + 1):
                code += 1
                indicator_code = f"{number}.{position}"
                measure = rng.choice(measures)
                if measure.kind == "boolean":
                    comparison = "achieved"
                elif rng.random() < 0.05:
                    comparison = "=="
                elif rng.random() < 0.15:
                    comparison = direction[measure.code].rstrip("=")  # strict: > or <
                else:
                    comparison = direction[measure.code]
                indicators.append(
                    IndicatorDef(indicator_code, f"Chỉ tiêu {code}", comparison, measure, _rows(rng, measure))
                )
            if rank > 1 and not relative_done and numeric and rng.random() < 0.5:
                # 110% of a lower tier's threshold for the same measure (like income in QĐ 319).
                lower = [
                    (s.code, i)
                    for s in sets
                    for c in s.criteria
                    for i in c.indicators
                    if i.measure is not None
                    and i.measure.kind in ("number", "percent", "count")
                    and i.comparison in (">=", "<=", ">", "<", "==")
                    and not i.multiplier
                ]
                if lower:
                    ref_set, ref = rng.choice(lower)
                    own = (ThresholdDef(source="QĐ 319", verified=rng.random() < 0.5),) if rng.random() < 0.8 else ()
                    indicators.append(
                        IndicatorDef(
                            f"{number}.{len(indicators) + 1}",
                            "Thu nhập 110%",
                            ref.comparison,
                            ref.measure,
                            own,
                            reference=f"{ref_set}/{ref.code}",
                            multiplier=D("1.1"),
                        )
                    )
                    relative_done = True
            criteria.append(
                CriterionDef(
                    number,
                    f"Tiêu chí {number}",
                    tuple(indicators),
                    is_key=rng.random() < 0.2,
                    is_condition=rng.random() < 0.1,
                )
            )
        if rng.random() < 0.02:
            criteria = []  # an empty set is never met
        sets.append(SetDef(set_code, set_code, "commune", tier, rank, tuple(criteria)))
    rng.shuffle(sets)  # the ladder is by rank, whatever the order of the definitions
    return ProgrammeDef("p", tuple(sets)), measures, direction


def _edges(programme: ProgrammeDef, measure: MeasureDef) -> list[Decimal]:
    """Every threshold the measure is compared with, and 110% of each: values there decide the edge cases."""
    found = []
    for s in programme.sets:
        for c in s.criteria:
            for i in c.indicators:
                if i.measure is not None and i.measure.code == measure.code:
                    found += [t.value for t in i.thresholds if t.value is not None]
    return found + [v * D("1.1") for v in found]


def _value(rng: random.Random, programme: ProgrammeDef, measure: MeasureDef, direction: str, quality: float):
    """A value; with probability `quality`, one on the good side of every threshold of the measure."""
    roll = rng.random()
    if roll < 0.05 * (1 - quality):
        return rng.choice([None, "", "  "])
    if roll < 0.08 * (1 - quality):  # entry mistakes: never a failed criterion, always an error
        return rng.choice(["abc", True, D(-1), D(5000), D("2.5") if measure.kind == "count" else "x", "tốt lắm"])
    good = rng.random() < quality
    if measure.kind == "boolean":
        return good or rng.random() < 0.5
    if measure.kind == "level":
        return (LEVELS[-1] if direction == ">=" else LEVELS[0]) if good else rng.choice(LEVELS)
    edges = _edges(programme, measure)
    if good:
        value = max(edges, default=D(0)) + 1 if direction == ">=" else min(edges, default=D(1)) - 1
    elif edges and rng.random() < 0.6:
        value = rng.choice(edges) + rng.choice([D(0), D(0), D("0.01"), D("-0.01"), D(1), D(-1), D("0.001")])
    else:
        value = D(rng.randint(0, 10000)) / 100
    value = min(max(value, measure.min_value), measure.max_value)
    if measure.kind == "count":
        value = value.to_integral_value()
    shape = rng.random()
    if shape < 0.1:
        return str(value).replace(".", ",")  # as typed with a Vietnamese decimal comma
    if shape < 0.2 and value == value.to_integral_value():
        return int(value)
    return value


def _units(rng: random.Random, programme: ProgrammeDef, measures: list[MeasureDef], direction: dict, n: int):
    for _ in range(n):
        region = rng.choice(REGIONS)
        profile = UnitProfile(
            region=region,
            applies_tdmnpb=rng.random() < 0.25,
            group=rng.choice([None, None, 1, 2, 3]),
            province_code=rng.choice(["62", "01", "89"]),
        )
        # A third of the units do well almost everywhere (and reach the higher tiers), the others vary.
        quality = 1.0 if rng.random() < 0.3 else rng.random()
        values = {
            m.code: _value(rng, programme, m, direction[m.code], quality)
            for m in measures
            if rng.random() < 0.95 + 0.05 * quality
        }
        yield profile, rng.choice(YEARS), values


# ---------------------------------------------------------------- the comparison


def _expected(result) -> dict:
    """What summarize_programme should say of each set, read from the explained result."""
    expected = {}
    for code, s in result.sets.items():
        counted = s.counted
        expected[code] = {
            "met": s.met,
            "reached": s.reached,
            "criteria_met": s.criteria_met,
            "criteria_total": s.criteria_total,
            "failed": [c.number for c in counted if c.outcome is Outcome.NOT_MET],
            "key_failed": [c.number for c in counted if c.outcome is Outcome.NOT_MET and c.is_key],
            "no_data": [c.number for c in counted if not c.met and c.outcome is not Outcome.NOT_MET],
            "failing": {
                i.code: [_json_value(i.value), _json_value(i.threshold), _json_value(i.gap)]
                for i in s.failing_indicators
            },
        }
    return expected


def _fresh(programme: ProgrammeDef) -> ProgrammeDef:
    return ProgrammeDef(programme.code, programme.sets)


@pytest.mark.parametrize("seed", SEEDS)
def test_summary_agrees_with_the_explained_evaluation(seed):
    rng = random.Random(seed)
    programme, measures, direction = _programme(rng)
    # Each path keeps its own threshold cache across units, as a batch over a province does.
    explained, batch = _fresh(programme), _fresh(programme)
    outcomes = set()
    for profile, year, values in _units(rng, programme, measures, direction, UNITS_PER_PROGRAMME):
        result = evaluate_programme(explained, profile, year, values)
        tier, summaries = summarize_programme(batch, profile, year, values)

        assert tier == result.tier, (profile, year, values)
        assert list(summaries) == list(result.sets) == [s.code for s in programme.ladder("commune")]
        assert {code: s.as_dict() for code, s in summaries.items()} == _expected(result), (profile, year, values)
        outcomes |= {i.outcome for s in result.sets.values() for c in s.criteria for i in c.indicators}
    assert Outcome.MET in outcomes
    assert Outcome.NOT_MET in outcomes


def test_the_generator_reaches_every_case():
    """The random programmes and units cover every outcome, comparison, qualifier and tier the test relies on."""
    outcomes, comparisons, qualifiers, tiers = set(), set(), set(), set()
    key_failed = no_data = relative_judged = condition = 0
    for seed in SEEDS:
        rng = random.Random(seed)
        programme, measures, direction = _programme(rng)
        for s in programme.sets:
            for c in s.criteria:
                condition += c.is_condition
                for i in c.indicators:
                    comparisons.add("relative" if i.multiplier else i.comparison)
                    for t in i.thresholds:
                        qualifiers |= {
                            name
                            for name, present in (
                                ("region", t.region),
                                ("tdmnpb_rule", t.tdmnpb_rule is not None),
                                ("group", t.group is not None),
                                ("year", t.year is not None),
                            )
                            if present
                        }
        for profile, year, values in _units(rng, programme, measures, direction, UNITS_PER_PROGRAMME):
            result = evaluate_programme(programme, profile, year, values)
            tiers.add(result.tier)
            _tier, summaries = summarize_programme(programme, profile, year, values)
            key_failed += sum(bool(s.key_failed) for s in summaries.values())
            no_data += sum(bool(s.no_data) for s in summaries.values())
            for s in result.sets.values():
                for c in s.criteria:
                    for i in c.indicators:
                        outcomes.add(i.outcome)
                        relative_judged += "110%" in i.basis and i.outcome in (Outcome.MET, Outcome.NOT_MET)
    assert outcomes == set(Outcome)
    assert comparisons == {">=", "<=", ">", "<", "==", "achieved", "reached", "relative"}
    assert qualifiers == {"region", "tdmnpb_rule", "group", "year"}
    assert tiers == {None, "standard", "advanced", "model"}
    assert key_failed > 0
    assert no_data > 0
    assert relative_judged > 0
    assert condition > 0


def test_relative_threshold_is_exactly_110_percent_in_both_paths():
    """41.35 × 1.1 = 45.485: 45.485 meets the advanced income indicator, 45.484 does not, in both paths."""
    income = MeasureDef("income", "Thu nhập", "number", "triệu đồng", D(0), D(2000))
    plan = MeasureDef("plan", "Quy hoạch", "boolean")
    standard = SetDef(
        "commune-standard",
        "Xã NTM",
        "commune",
        "standard",
        1,
        (
            CriterionDef(1, "Quy hoạch", (IndicatorDef("1.1", "Quy hoạch", "achieved", plan, (ThresholdDef(),)),)),
            CriterionDef(
                10,
                "Thu nhập",
                (
                    IndicatorDef(
                        "10.1",
                        "Thu nhập",
                        ">=",
                        income,
                        (ThresholdDef(value=D(50)), ThresholdDef(value=D("41.35"), region=TDMNPB, year=2024)),
                    ),
                ),
                is_key=True,
            ),
        ),
    )
    advanced = SetDef(
        "commune-advanced",
        "Xã NTM nâng cao",
        "commune",
        "advanced",
        2,
        (
            CriterionDef(1, "Đạt chuẩn", (IndicatorDef("1.1", "x", "reached", None, reference="commune-standard"),)),
            CriterionDef(
                10,
                "Thu nhập",
                (
                    IndicatorDef(
                        "10.1",
                        "Thu nhập",
                        ">=",
                        income,
                        (ThresholdDef(source="QĐ 319"),),
                        reference="commune-standard/10.1",
                        multiplier=D("1.1"),
                    ),
                ),
            ),
        ),
    )
    programme = ProgrammeDef("p", (advanced, standard))
    north = UnitProfile(region=TDMNPB)
    for income_value, tier in ((D("45.485"), "advanced"), (D("45.484"), "standard"), (D("41.34"), None)):
        values = {"income": income_value, "plan": True}
        result = evaluate_programme(programme, north, 2024, values)
        summary_tier, summaries = summarize_programme(programme, north, 2024, values)
        assert result.tier == summary_tier == tier
        assert summaries["commune-advanced"].as_dict() == _expected(result)["commune-advanced"]
    _tier, summaries = summarize_programme(programme, north, 2024, {"income": D("45.484"), "plan": True})
    assert summaries["commune-advanced"].failing == {"10.1": [45.484, 45.485, 0.001]}
    assert summaries["commune-advanced"].failed == [10]


# ---------------------------------------------------------------- the shared threshold cache


def test_explanation_does_not_depend_on_which_unit_was_evaluated_first():
    """The basis written for a TN commune under the TDMNPB rule is the same whether or not a TDMNPB-region
    commune was evaluated before it with the same ProgrammeDef (as in any batch over a province or the country):
    the threshold cache is keyed by the unit's own region, not the threshold's."""
    income = MeasureDef("income", "Thu nhập", "number", "triệu đồng", D(0), D(2000))
    indicator = IndicatorDef(
        "10.1", "Thu nhập", ">=", income, (ThresholdDef(value=D(50)), ThresholdDef(value=D(39), region=TDMNPB))
    )
    standard = SetDef(
        "commune-standard", "Xã NTM", "commune", "standard", 1, (CriterionDef(10, "Thu nhập", (indicator,)),)
    )
    tn_under_rule = UnitProfile(region="TN", applies_tdmnpb=True)
    northern = UnitProfile(region=TDMNPB, applies_tdmnpb=True)

    def basis(programme, profile) -> str:
        result = evaluate_programme(programme, profile, 2024, {"income": 45})
        return result.sets["commune-standard"].criteria[0].indicators[0].basis

    alone = basis(ProgrammeDef("p", (standard,)), tn_under_rule)
    assert alone == "ngưỡng vùng TDMNPB (xã áp dụng ngưỡng TDMNPB theo Điều 1 QĐ 318)"
    shared = ProgrammeDef("p", (standard,))
    basis(shared, northern)
    assert basis(shared, tn_under_rule) == alone
