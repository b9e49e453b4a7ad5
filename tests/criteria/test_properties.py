"""Properties of the evaluation engine over random definitions: a better value never gives a worse result."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from criteria.evaluation import (
    REGION_NAMES,
    CriterionDef,
    IndicatorDef,
    MeasureDef,
    Outcome,
    ProgrammeDef,
    SetDef,
    ThresholdDef,
    UnitProfile,
    evaluate_programme,
)

TIERS = [("commune-standard", "standard"), ("commune-advanced", "advanced"), ("commune-model", "model")]
TIER_ORDER = {None: 0, "standard": 1, "advanced": 2, "model": 3}
LOW, HIGH = Decimal(0), Decimal(100)
YEARS = [2021, 2022, 2023, 2024, 2025]

values_in_range = st.decimals(min_value=LOW, max_value=HIGH, places=2)
thresholds = st.builds(
    ThresholdDef,
    value=values_in_range,
    region=st.sampled_from(["", *REGION_NAMES]),
    tdmnpb_rule=st.sampled_from([None, True, False]),
    group=st.sampled_from([None, 1, 2, 3]),
    year=st.sampled_from([None, *YEARS]),
)


@st.composite
def programmes(draw):
    """A ladder of 1-3 commune sets whose indicators compare measures with >= or <=, each measure one way."""
    n_measures = draw(st.integers(1, 8))
    measures = [
        MeasureDef(f"m{n}", f"Số liệu {n}", draw(st.sampled_from(["number", "percent"])), "", LOW, HIGH)
        for n in range(n_measures)
    ]
    direction = {m.code: draw(st.sampled_from([">=", "<="])) for m in measures}
    sets = []
    code = 0
    for rank, (set_code, tier) in enumerate(TIERS[: draw(st.integers(1, 3))], start=1):
        criteria = []
        if rank > 1 and draw(st.booleans()):
            reached = IndicatorDef("0.1", "Đạt mức dưới", "reached", None, reference=TIERS[rank - 2][0])
            criteria.append(CriterionDef(0, "Đạt mức dưới", (reached,), is_condition=draw(st.booleans())))
        for number in range(1, draw(st.integers(1, 4)) + 1):
            indicators = []
            for _ in range(draw(st.integers(1, 3))):
                code += 1
                measure = draw(st.sampled_from(measures))
                rows = draw(st.lists(thresholds, min_size=1, max_size=4))
                # An all-units row most of the time, so that most indicators are judged.
                if draw(st.integers(0, 3)):
                    rows.append(ThresholdDef(value=draw(values_in_range)))
                indicators.append(
                    IndicatorDef(str(code), f"Chỉ tiêu {code}", direction[measure.code], measure, tuple(rows))
                )
            criteria.append(
                CriterionDef(number, f"Tiêu chí {number}", tuple(indicators), is_condition=draw(st.integers(0, 5)) == 0)
            )
        sets.append(SetDef(set_code, set_code, "commune", tier, rank, tuple(criteria)))
    return ProgrammeDef("p", tuple(draw(st.permutations(sets)))), measures, direction


@st.composite
def cases(draw):
    programme, measures, direction = draw(programmes())
    profile = UnitProfile(
        region=draw(st.sampled_from(list(REGION_NAMES))),
        applies_tdmnpb=draw(st.booleans()),
        group=draw(st.sampled_from([None, 1, 2, 3])),
    )
    year = draw(st.sampled_from(YEARS))
    before: dict[str, Decimal] = {}
    for m in measures:
        if draw(st.integers(0, 9)):  # a value for most measures, none for some
            before[m.code] = draw(values_in_range)
    after = dict(before)
    for code, value in before.items():
        if draw(st.booleans()):
            # Better: higher for a ">=" measure, lower for a "<=" one, always within the measure's range.
            if direction[code] == ">=":
                after[code] = draw(st.decimals(min_value=value, max_value=HIGH, places=2))
            else:
                after[code] = draw(st.decimals(min_value=LOW, max_value=value, places=2))
    return programme, profile, year, before, after


@settings(max_examples=200, deadline=None)
@given(cases())
def test_a_better_value_never_gives_a_worse_result(case):
    programme, profile, year, before, after = case

    old = evaluate_programme(programme, profile, year, before)
    new = evaluate_programme(programme, profile, year, after)

    assert TIER_ORDER[new.tier] >= TIER_ORDER[old.tier]
    for code, old_set in old.sets.items():
        new_set = new.sets[code]
        assert new_set.criteria_met >= old_set.criteria_met
        assert new_set.met or not old_set.met
        assert new_set.reached or not old_set.reached
        for old_criterion, new_criterion in zip(old_set.criteria, new_set.criteria, strict=True):
            assert new_criterion.met or not old_criterion.met
            for old_indicator, new_indicator in zip(old_criterion.indicators, new_criterion.indicators, strict=True):
                if old_indicator.outcome is Outcome.MET:
                    assert new_indicator.outcome is Outcome.MET, (old_indicator, new_indicator)
                # Values stay in range and present: a better value never turns into an error or missing data.
                assert new_indicator.outcome is not Outcome.ERROR
                assert (new_indicator.outcome is Outcome.NO_DATA) == (old_indicator.outcome is Outcome.NO_DATA)
                if old_indicator.gap is not None and new_indicator.gap is not None:
                    assert new_indicator.gap <= old_indicator.gap


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_tier_is_the_highest_set_reached_with_every_lower_one(case):
    programme, profile, year, before, _after = case

    result = evaluate_programme(programme, profile, year, before)

    ladder = list(result.sets.values())
    assert [s.rank for s in ladder] == sorted(s.rank for s in ladder)
    expected = None
    for s in ladder:
        if not s.met:
            break
        expected = s.tier
    assert result.tier == expected
    assert [s.reached for s in ladder] == [all(lower.met for lower in ladder[: i + 1]) for i in range(len(ladder))]
