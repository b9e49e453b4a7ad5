"""summarize_units, the column path, gives every unit what summarize_programme gives it (no database).

The same seeded random programmes and units as tests/criteria/test_summary.py (every comparison, qualifier, tier,
missing, blank and invalid value), judged in one call per year, and thresholds that depend on the unit's own
figures (a condition), which that generator does not make.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from criteria.batch import summarize_units
from criteria.evaluation import CriterionDef, IndicatorDef, MeasureDef, ProgrammeDef, SetDef, ThresholdDef, UnitProfile
from criteria.measures import Condition
from criteria.summary import summarize_programme
from tests.criteria.test_summary import SEEDS, UNITS_PER_PROGRAMME, _fresh, _programme, _units

D = Decimal


def _as_dicts(result) -> tuple:
    tier, summaries = result
    return tier, {code: summary.as_dict() for code, summary in summaries.items()}


@pytest.mark.parametrize("failing_for", ["next", "all"])
@pytest.mark.parametrize("seed", SEEDS)
def test_columns_agree_with_the_unit_path(seed, failing_for):
    rng = random.Random(seed)
    programme, measures, direction = _programme(rng)
    units = list(_units(rng, programme, measures, direction, UNITS_PER_PROGRAMME))
    unit_path, column_path = _fresh(programme), _fresh(programme)
    for year in sorted({year for _profile, year, _values in units}):
        of_year = [(profile, values) for profile, y, values in units if y == year]
        batch = summarize_units(column_path, year, of_year, failing_for=failing_for)
        assert len(batch) == len(of_year)
        for (profile, values), result in zip(of_year, batch, strict=True):
            expected = summarize_programme(unit_path, profile, year, values, failing_for=failing_for)
            assert _as_dicts(result) == _as_dicts(expected), (profile, year, values)


def test_values_under_other_keys_judge_the_same():
    """The recompute hands values by measure id: `keys` says where each code's value is."""
    rng = random.Random(7)
    programme, measures, direction = _programme(rng)
    units = [(p, v) for p, y, v in _units(rng, programme, measures, direction, 40)]
    keys = {m.code: n for n, m in enumerate(measures, start=100)}
    by_id = [(p, {keys[code]: value for code, value in v.items()}) for p, v in units]
    assert [_as_dicts(r) for r in summarize_units(_fresh(programme), 2024, by_id, keys=keys)] == [
        _as_dicts(r) for r in summarize_units(_fresh(programme), 2024, units)
    ]


def _school_programme() -> ProgrammeDef:
    """QĐ 1491's shape: the level-1 share a commune needs depends on its number of schools."""
    share = MeasureDef("level1", "Tỷ lệ trường đạt chuẩn mức 1", "percent", "%", D(0), D(100))
    plan = MeasureDef("plan", "Quy hoạch", "boolean")
    rows = (
        ThresholdDef(value=D(70), source="QĐ 318"),
        ThresholdDef(value=D(100), source="QĐ 1491", when=Condition("schools", "<=", D(3))),
    )
    criteria = (
        CriterionDef(1, "Quy hoạch", (IndicatorDef("1.1", "Có quy hoạch", "achieved", plan, (ThresholdDef(),)),)),
        CriterionDef(5, "Trường học", (IndicatorDef("5.1", "Trường đạt chuẩn", ">=", share, rows),), is_key=True),
    )
    return ProgrammeDef("p", (SetDef("commune-standard", "Đạt chuẩn", "commune", "standard", 1, criteria),))


@pytest.mark.parametrize("failing_for", ["next", "all"])
def test_a_threshold_on_the_units_own_figures_is_chosen_per_unit(failing_for):
    units = [
        (UnitProfile(region="TDMNPB"), {"schools": D(3), "level1": D(80), "plan": True}),  # needs 100 %
        (UnitProfile(region="TDMNPB"), {"schools": D(5), "level1": D(80), "plan": True}),  # needs 70 %
        (UnitProfile(region="TDMNPB"), {"level1": D(80), "plan": True}),  # no figure: the row without condition
        (UnitProfile(region="TDMNPB"), {"schools": D(2), "level1": D(100), "plan": True}),
        (UnitProfile(region="TDMNPB"), {"schools": "", "level1": "abc", "plan": False}),
    ]
    batch = summarize_units(_school_programme(), 2024, units, failing_for=failing_for)
    expected = [summarize_programme(_school_programme(), p, 2024, v, failing_for=failing_for) for p, v in units]
    assert [_as_dicts(r) for r in batch] == [_as_dicts(r) for r in expected]
    assert [tier for tier, _summaries in batch] == [None, "standard", "standard", "standard", None]
    assert batch[0][1]["commune-standard"].failing == {"5.1": [80, 100, 20]}
    assert batch[0][1]["commune-standard"].key_failed == [5]
    assert batch[4][1]["commune-standard"].failing == {"1.1": [False, True, None], "5.1": ["abc", 70, None]}


def test_no_units_no_results():
    assert summarize_units(_school_programme(), 2024, []) == []
