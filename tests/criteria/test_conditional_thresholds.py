"""Thresholds that depend on another figure of the same unit (`when:`), as data: QĐ 1491/QĐ-BGDĐT's schools
criterion, whose level-1 share depends on the region and on the commune's number of schools, and 14.1 at its
levels with the 98% of six-year-olds. Read from the shipped file (no database), judged by both paths.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from criteria.definitions import programme_from_parsed
from criteria.evaluation import (
    Outcome,
    ThresholdDef,
    UnitProfile,
    choose_threshold,
    evaluate_indicator,
    evaluate_programme,
)
from criteria.measures import Condition
from criteria.summary import summarize_programme
from criteria.yaml_dump import dump_parsed
from criteria.yaml_io import parse_criteria_yaml
from criteria.yaml_reading import CriteriaFileError
from tests.criteria.samples import STANDARD

D = Decimal
STANDARD_FILE = Path(settings.BASE_DIR) / "fixtures" / "criteria" / "2021-2025" / "commune-standard.yaml"
SCHOOLS = {"schools_min_standard_pct": 100, "universal_education": True, "age6_grade1_pct": 99}


@pytest.fixture(scope="module")
def programme():
    return programme_from_parsed(parse_criteria_yaml(STANDARD_FILE.read_bytes()))


def _criterion(programme, region: str, values: dict, number: int):
    result = evaluate_programme(programme, UnitProfile(region=region), 2024, values)
    return next(c for c in result.sets["commune-standard"].criteria if c.number == number)


def _summary(programme, region: str, values: dict):
    _tier, summaries = summarize_programme(programme, UnitProfile(region=region), 2024, values)
    return summaries["commune-standard"]


# ---------------------------------------------------------------- the legal cases (legal file §3 items 1 and 2)


@pytest.mark.parametrize(
    ("region", "schools", "level1", "threshold", "met"),
    [
        ("DBSH", 6, 90, 100, False),  # DBSH: 100% at level 1, so 90% fails
        ("DNB", 2, 100, 100, True),  # DNB: 100% whatever the number of schools
        ("DBSH", 3, D("66.7"), 100, False),  # the region's 100% wins over "3 schools or fewer"
        ("TN", 4, 75, 70, True),  # more than 3 schools: 70%
        ("TN", 4, 69, 70, False),
        ("TN", 3, D("66.7"), 50, True),  # 3 schools or fewer: 50%
        ("BTB", 1, 50, 50, True),
        ("DBSCL", 2, 49, 50, False),
    ],
)
def test_schools_criterion_of_qd_1491_on_both_paths(programme, region, schools, level1, threshold, met):
    values = {**SCHOOLS, "schools_count": schools, "schools_level1_pct": level1}
    criterion = _criterion(programme, region, values, 5)
    level1_result = next(i for i in criterion.indicators if i.code == "5.2")
    assert level1_result.threshold == threshold
    assert level1_result.verified is True
    assert "QĐ 1491/QĐ-BGDĐT" in level1_result.source
    assert criterion.met is met
    summary = _summary(programme, region, values)
    assert (5 in summary.failed) is (not met)
    assert 5 not in summary.no_data
    if not met:
        assert summary.failing["5.2"][1] == threshold


def test_the_basis_names_the_condition_that_picked_the_threshold(programme):
    values = {**SCHOOLS, "schools_count": 3, "schools_level1_pct": 60}
    result = next(i for i in _criterion(programme, "TN", values, 5).indicators if i.code == "5.2")
    assert "khi Số trường học" in result.basis
    assert "≤ 3" in result.basis


@pytest.mark.parametrize("region", ["TN", "BTB", "TDMNPB"])
def test_outside_dbsh_and_dnb_every_school_must_meet_the_minimum_standard(programme, region):
    values = {**SCHOOLS, "schools_count": 4, "schools_level1_pct": 80, "schools_min_standard_pct": D("99.9")}
    criterion = _criterion(programme, region, values, 5)
    assert criterion.outcome is Outcome.NOT_MET
    assert [i.code for i in criterion.indicators if i.outcome is Outcome.NOT_MET] == ["5.1"]
    assert 5 in _summary(programme, region, values).failed


def test_without_the_number_of_schools_the_general_seventy_percent_applies(programme):
    values = {**SCHOOLS, "schools_level1_pct": D("66.7")}
    criterion = _criterion(programme, "TN", values, 5)
    assert next(i for i in criterion.indicators if i.code == "5.2").threshold == 70
    assert criterion.met is False
    assert 5 in _summary(programme, "TN", values).failed


@pytest.mark.parametrize(("age6", "met"), [(D("97.9"), False), (98, True), (100, True)])
def test_universal_education_needs_its_levels_and_98_percent_of_six_year_olds(programme, age6, met):
    values = {"universal_education": True, "age6_grade1_pct": age6, "lower_secondary_continuing_pct": 100}
    criterion = _criterion(programme, "TN", values, 14)
    levels, entry = criterion.indicators[0], criterion.indicators[1]
    assert "mức độ 2" in levels.name
    assert "mầm non cho trẻ em 5 tuổi" in levels.name
    assert (entry.code, entry.threshold, entry.verified) == ("14.1b", 98, True)
    assert levels.verified is True
    assert "QĐ 1491/QĐ-BGDĐT" in levels.source
    assert criterion.met is met
    assert (14 in _summary(programme, "TN", values).failed) is (not met)


def test_units_sharing_a_classification_keep_their_own_condition_on_both_paths(programme):
    # Both paths cache thresholds per classification; the number of schools must stay part of the choice.
    few = {**SCHOOLS, "schools_count": 2, "schools_level1_pct": 60}
    many = {**few, "schools_count": 8}
    for values, met in [(few, True), (many, False), (few, True)]:
        assert _criterion(programme, "TN", values, 5).met is met
        assert (5 in _summary(programme, "TN", values).failed) is (not met)


# ---------------------------------------------------------------- the engine's rule


ROWS = (
    ThresholdDef(value=D(100), region="DBSH"),
    ThresholdDef(value=D(70)),
    ThresholdDef(value=D(50), when=Condition("schools_count", "<=", D(3))),
)


@pytest.mark.parametrize(
    ("region", "values", "expected"),
    [
        ("TN", {"schools_count": 3}, 50),
        ("TN", {"schools_count": "3"}, 50),
        ("TN", {"schools_count": 4}, 70),
        ("TN", {}, 70),
        ("TN", None, 70),
        ("TN", {"schools_count": "nhiều"}, 70),  # not a number: the condition is not met
        ("TN", {"schools_count": True}, 70),
        ("DBSH", {"schools_count": 1}, 100),
    ],
)
def test_choose_threshold_applies_a_condition_only_when_the_figure_meets_it(region, values, expected):
    assert choose_threshold(ROWS, UnitProfile(region=region), 2024, values).value == expected


def test_only_conditional_rows_and_no_figure_is_no_data_not_no_threshold(programme):
    set_def = programme.set("commune-standard")
    criterion = next(c for c in set_def.criteria if c.number == 5)
    level1 = next(i for i in criterion.indicators if i.code == "5.2")
    only_conditional = replace(level1, thresholds=tuple(t for t in level1.thresholds if t.when or t.region))
    result = evaluate_indicator(only_conditional, set_def, UnitProfile(region="TN"), 2024, {"schools_level1_pct": 60})
    assert result.outcome is Outcome.NO_DATA
    assert "Số trường học" in result.message


# ---------------------------------------------------------------- the YAML


WHEN_ROW = """          - value: 80
            region: null
            tdmnpb_rule: null
            group: null
            year: null
            when: {when}
            source: "thử"
            verified: false
"""


def _with_condition(when: str, rows: int = 1) -> str:
    # After the income's first row (50, every region, every year).
    anchor = '            source: "minh họa"\n            verified: false\n'
    assert anchor in STANDARD
    return STANDARD.replace(anchor, anchor + WHEN_ROW.format(when=when) * rows, 1)


def test_a_condition_round_trips_through_the_file(programme):
    parsed = parse_criteria_yaml(STANDARD_FILE.read_bytes())
    text = dump_parsed(parsed)
    assert "when:" in text
    assert dump_parsed(parse_criteria_yaml(text)) == text
    again = programme_from_parsed(parse_criteria_yaml(text))
    assert again.set("commune-standard") == programme.set("commune-standard")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{measure: nowhere, comparison: '<=', value: 3}", "'nowhere' chưa khai báo"),
        ("{measure: income_per_capita, comparison: '~', value: 3}", "'comparison'"),
        ("{measure: income_per_capita, comparison: '<=', value: nhiều}", "'value'"),
        ("{measure: income_per_capita, comparison: '<='}", "thiếu 'value'"),
        ("{measure: income_per_capita, comparison: '<=', value: 3, unit: x}", "khóa 'unit'"),
        ("{measure: plan_approved, comparison: '<=', value: 3}", "không phải 'boolean'"),
    ],
)
def test_a_bad_condition_is_refused_with_its_line(when, message):
    with pytest.raises(CriteriaFileError) as error:
        parse_criteria_yaml(_with_condition(when))
    assert any(message in e and e.startswith("Dòng ") for e in error.value.errors), error.value.errors


def test_two_rows_with_the_same_condition_are_one_scope_too_many():
    with pytest.raises(CriteriaFileError) as error:
        parse_criteria_yaml(_with_condition("{measure: poverty_rate, comparison: '<', value: 3}", rows=2))
    assert any("cùng phạm vi" in e for e in error.value.errors)


def test_a_row_with_and_a_row_without_a_condition_are_different_scopes():
    parsed = parse_criteria_yaml(_with_condition("{measure: poverty_rate, comparison: '<', value: 3}"))
    income = next(i for c in parsed.criteria for i in c["indicators"] if i["code"] == "10.1")
    assert [t["when"] for t in income["thresholds"]][:2] == [
        None,
        {"measure": "poverty_rate", "comparison": "<", "value": D(3)},
    ]


@pytest.mark.django_db
def test_the_database_stores_the_condition_and_judges_like_the_file(programme):
    """Saved, read back and exported, a conditional row is the same rule as in the file: 3 schools at 66.7 % and
    4 schools at 75 % pass, 4 schools at 66.7 % fail, wherever the definition comes from."""
    from criteria.definitions import build_programme
    from criteria.yaml_io import dump_criteria_set, import_criteria_text

    criteria_set, outcome = import_criteria_text(STANDARD_FILE.read_bytes())
    assert outcome == "created"
    level1 = criteria_set.criteria.get(number=5).indicators.get(code="5.2")
    rows = level1.thresholds.values_list("region", "value", "condition_measure__code", "condition_comparison")
    assert sorted(rows) == [
        ("", 50, "schools_count", "<="),
        ("", 70, None, ""),
        ("DBSH", 100, None, ""),
        ("DNB", 100, None, ""),
    ]
    assert "when:" in dump_criteria_set(criteria_set)
    assert import_criteria_text(STANDARD_FILE.read_bytes())[1] == "unchanged"
    stored = build_programme("2021-2025")
    for count, share, met in [(3, "66.7", True), (4, 75, True), (4, "66.7", False)]:
        values = {**SCHOOLS, "schools_count": count, "schools_level1_pct": share}
        assert _criterion(stored, "TN", values, 5).met is met
        assert _criterion(programme, "TN", values, 5).met is met
