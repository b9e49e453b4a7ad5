"""The evaluation engine on plain definitions: no database, every rule of threshold choice and comparison."""

import json
from decimal import Decimal

import pytest

from criteria.evaluation import (
    CriterionDef,
    CriterionResult,
    IndicatorDef,
    IndicatorResult,
    MeasureDef,
    Outcome,
    ProgrammeDef,
    SetDef,
    ThresholdDef,
    UnitProfile,
    choose_threshold,
    evaluate_indicator,
    evaluate_programme,
    evaluate_set,
)

D = Decimal

INCOME = MeasureDef("income_per_capita", "Thu nhập bình quân đầu người", "number", "triệu đồng", D(0), D(2000))
POVERTY = MeasureDef("poverty_rate", "Tỷ lệ hộ nghèo đa chiều", "percent", "%", D(0), D(100))
WATER = MeasureDef("clean_water_rate", "Tỷ lệ hộ dùng nước sạch", "percent", "%", D(0), D(100))
SCHOOLS = MeasureDef("standard_schools", "Số trường đạt chuẩn", "count", "trường", D(0), None)
PLAN = MeasureDef("plan_approved", "Có quy hoạch được duyệt", "boolean")
SECURITY = MeasureDef(
    "security_rating", "Xếp loại an ninh trật tự", "level", levels=("yếu", "trung bình", "khá", "tốt")
)

TN = UnitProfile(region="TN")
DBSH = UnitProfile(region="DBSH")


def t(value=None, **qualifiers) -> ThresholdDef:
    return ThresholdDef(value=None if value is None else D(str(value)), **qualifiers)


def level(name: str, **qualifiers) -> ThresholdDef:
    return ThresholdDef(level_value=name, **qualifiers)


def ind(code, measure, comparison, *thresholds, reference="", multiplier=None) -> IndicatorDef:
    return IndicatorDef(
        code=code,
        name=f"Chỉ tiêu {code}",
        comparison=comparison,
        measure=measure,
        thresholds=tuple(thresholds),
        reference=reference,
        multiplier=None if multiplier is None else D(str(multiplier)),
    )


def crit(number, *indicators, condition=False, key=False) -> CriterionDef:
    return CriterionDef(
        number=number, name=f"Tiêu chí {number}", indicators=tuple(indicators), is_condition=condition, is_key=key
    )


def sdef(code, tier, rank, *criteria, level="commune", province_code="", province_name="") -> SetDef:
    return SetDef(
        code=code,
        name=f"Bộ tiêu chí {code}",
        level=level,
        tier=tier,
        rank=rank,
        criteria=tuple(criteria),
        province_code=province_code,
        province_name=province_name,
    )


ANY_SET = sdef("commune-standard", "standard", 1)


def judge(indicator, value=None, *, profile=DBSH, year=2024, set_def=ANY_SET, values=None):
    if values is None:
        values = {} if value is None else {indicator.measure.code: value}
    return evaluate_indicator(indicator, set_def, profile, year, values)


# ---------------------------------------------------------------- comparisons


@pytest.mark.parametrize(
    ("comparison", "value", "threshold", "met"),
    [
        (">=", "50", "50", True),
        (">=", "49.99", "50", False),
        (">", "50.01", "50", True),
        (">", "50", "50", False),
        ("<=", "6.5", "6.5", True),
        ("<=", "6.51", "6.5", False),
        ("<", "6.49", "6.5", True),
        ("<", "6.5", "6.5", False),
        ("==", "3", "3", True),
        ("==", "4", "3", False),
    ],
)
def test_numeric_comparison(comparison, value, threshold, met):
    result = judge(ind("x", INCOME, comparison, t(threshold)), D(value))

    assert result.met is met
    assert result.outcome is (Outcome.MET if met else Outcome.NOT_MET)
    assert result.value == D(value)
    assert result.threshold == D(threshold)


def test_numbers_as_int_float_and_text_with_decimal_comma_are_read():
    indicator = ind("x", POVERTY, "<=", t("6.5"))

    assert judge(indicator, 6).met is True
    assert judge(indicator, 6.5).met is True
    assert judge(indicator, " 6,5 ").met is True
    assert judge(indicator, "6.6").met is False


@pytest.mark.parametrize(("value", "outcome"), [(True, Outcome.MET), (False, Outcome.NOT_MET)])
def test_achieved_reads_a_boolean(value, outcome):
    result = judge(ind("1.1", PLAN, "achieved", t()), value)

    assert result.outcome is outcome
    assert result.threshold is True
    assert result.gap is None


def test_achieved_without_any_threshold_row_has_no_threshold():
    assert judge(ind("1.1", PLAN, "achieved"), True).outcome is Outcome.NO_THRESHOLD


@pytest.mark.parametrize(
    ("value", "met", "gap"),
    [("tốt", True, None), ("khá", True, None), ("trung bình", False, D(1)), ("yếu", False, D(2))],
)
def test_level_measure_compares_by_the_order_of_its_levels(value, met, gap):
    result = judge(ind("19.2", SECURITY, ">=", level("khá")), value)

    assert result.met is met
    assert result.threshold == "khá"
    assert result.gap == gap


def test_level_not_among_the_levels_is_an_error():
    result = judge(ind("19.2", SECURITY, ">=", level("khá")), "xuất sắc")

    assert result.outcome is Outcome.ERROR
    assert result.message.startswith("Giá trị không hợp lệ: 'xuất sắc' không phải một mức hợp lệ (yếu, trung bình")


@pytest.mark.parametrize(("reached", "outcome"), [(True, Outcome.MET), (False, Outcome.NOT_MET)])
def test_reached_reads_the_lower_tier(reached, outcome):
    indicator = IndicatorDef("0.1", "Đạt chuẩn", "reached", None, reference="commune-standard")
    result = evaluate_indicator(indicator, ANY_SET, DBSH, 2024, {}, None, {"commune-standard": reached})

    assert result.outcome is outcome
    assert result.value is reached
    assert result.threshold == "commune-standard"


def test_reached_without_the_lower_tier_judged_is_no_data():
    indicator = IndicatorDef("0.1", "Đạt chuẩn", "reached", None, reference="commune-standard")
    result = evaluate_indicator(indicator, ANY_SET, DBSH, 2024, {})

    assert result.outcome is Outcome.NO_DATA
    assert result.met is None


# ---------------------------------------------------------------- which threshold applies

INCOME_BY_REGION = ind("10.1", INCOME, ">=", t(50), t(45, region="TN"), t(39, region="TDMNPB"))


def test_region_threshold_applies_to_communes_of_that_region():
    result = judge(INCOME_BY_REGION, 46, profile=TN)

    assert result.threshold == D(45)
    assert result.met is True
    assert result.basis == "vùng Tây Nguyên"


def test_other_regions_get_the_threshold_for_every_region():
    result = judge(INCOME_BY_REGION, 46, profile=DBSH)

    assert result.threshold == D(50)
    assert result.met is False
    assert result.basis == "mọi vùng"


def test_commune_applying_the_tdmnpb_rule_gets_the_tdmnpb_threshold_wherever_it_is():
    profile = UnitProfile(region="TN", applies_tdmnpb=True)
    result = judge(INCOME_BY_REGION, 40, profile=profile)

    assert result.threshold == D(39)
    assert result.met is True
    assert "TDMNPB" in result.basis
    assert "Điều 1 QĐ 318" in result.basis


def test_commune_in_tdmnpb_uses_the_plain_region_basis():
    result = judge(INCOME_BY_REGION, 40, profile=UnitProfile(region="TDMNPB"))

    assert result.threshold == D(39)
    assert result.basis == "vùng Trung du và miền núi phía Bắc"


def test_tdmnpb_rule_only_threshold_applies_only_to_communes_applying_the_rule():
    indicator = ind("17.1", WATER, ">=", t(60), t(40, tdmnpb_rule=True))

    applying = judge(indicator, 45, profile=UnitProfile(region="DBSCL", applies_tdmnpb=True))
    not_applying = judge(indicator, 45, profile=UnitProfile(region="DBSCL"))

    assert (applying.threshold, applying.met) == (D(40), True)
    assert applying.basis == "xã áp dụng ngưỡng TDMNPB"
    assert (not_applying.threshold, not_applying.met) == (D(60), False)


def test_tdmnpb_rule_false_threshold_applies_only_to_communes_not_applying_the_rule():
    indicator = ind("17.1", WATER, ">=", t(40), t(60, tdmnpb_rule=False))

    assert judge(indicator, 50, profile=UnitProfile(region="DBSCL")).threshold == D(60)
    assert judge(indicator, 50, profile=UnitProfile(region="DBSCL", applies_tdmnpb=True)).threshold == D(40)


@pytest.mark.parametrize(("group", "threshold"), [(1, 90), (2, 80), (3, 70), (None, 80)])
def test_commune_group_threshold(group, threshold):
    indicator = ind("17.1", WATER, ">=", t(80), t(90, group=1), t(70, group=3))
    result = judge(indicator, 85, profile=UnitProfile(region="BTB", group=group))

    assert result.threshold == D(threshold)
    if group in (1, 3):
        assert result.basis == f"nhóm {group}"


@pytest.mark.parametrize(("year", "threshold"), [(2024, 54), (2023, 50), (2025, 50)])
def test_exact_year_wins_and_other_years_fall_back_to_the_all_years_row(year, threshold):
    indicator = ind("10.1", INCOME, ">=", t(50), t(54, year=2024))
    result = judge(indicator, 52, year=year)

    assert result.threshold == D(threshold)
    assert result.basis == ("năm 2024" if year == 2024 else "mọi vùng")


@pytest.mark.parametrize(
    ("profile", "year", "threshold"),
    [(TN, 2024, 48), (TN, 2023, 45), (DBSH, 2024, 52), (DBSH, 2023, 50)],
)
def test_the_most_specific_threshold_wins(profile, year, threshold):
    indicator = ind("10.1", INCOME, ">=", t(50), t(45, region="TN"), t(52, year=2024), t(48, region="TN", year=2024))

    assert judge(indicator, 60, profile=profile, year=year).threshold == D(threshold)


def test_most_specific_does_not_depend_on_row_order():
    rows = [t(50), t(45, region="TN"), t(48, region="TN", year=2024)]

    for ordering in (rows, rows[::-1], rows[1:] + rows[:1]):
        assert choose_threshold(tuple(ordering), TN, 2024).value == D(48)


def test_no_matching_threshold_is_no_threshold():
    indicator = ind("10.1", INCOME, ">=", t(45, region="TN"), t(54, region="DBSH", year=2024))
    result = judge(indicator, 60, profile=DBSH, year=2023)

    assert result.outcome is Outcome.NO_THRESHOLD
    assert result.met is None
    assert result.message == "chưa có ngưỡng áp dụng cho đơn vị và năm này"


def test_threshold_and_source_and_verification_come_from_the_chosen_row():
    indicator = ind(
        "11.1", POVERTY, "<=", t(6.5, source="QĐ 318"), t(13, region="TN", source="QĐ 318 TN", verified=True)
    )
    result = judge(indicator, 5, profile=TN)

    assert (result.source, result.verified) == ("QĐ 318 TN", True)
    assert judge(indicator, 5, profile=DBSH).verified is False


def test_provincial_set_threshold_and_basis_name_the_province():
    national = sdef("commune-standard", "standard", 1, crit(11, ind("11.1", POVERTY, "<=", t(6.5))))
    provincial = sdef(
        "commune-standard",
        "standard",
        1,
        crit(11, ind("11.1", POVERTY, "<=", t(4))),
        province_code="62",
        province_name="Tỉnh Kon Tum",
    )
    profile = UnitProfile(region="TN", province_code="62")

    in_kon_tum = evaluate_programme(ProgrammeDef("2021-2025", (provincial,)), profile, 2024, {"poverty_rate": 5})
    elsewhere = evaluate_programme(ProgrammeDef("2021-2025", (national,)), TN, 2024, {"poverty_rate": 5})

    kon_tum_result = in_kon_tum.sets["commune-standard"].criteria[0].indicators[0]
    assert (kon_tum_result.threshold, kon_tum_result.met) == (D(4), False)
    assert kon_tum_result.basis == "bộ tiêu chí của Tỉnh Kon Tum: mọi vùng"
    assert in_kon_tum.sets["commune-standard"].province_code == "62"
    national_result = elsewhere.sets["commune-standard"].criteria[0].indicators[0]
    assert (national_result.threshold, national_result.met) == (D("6.5"), True)
    assert "Kon Tum" not in national_result.basis


def test_provincial_set_without_a_name_uses_the_province_code():
    provincial = sdef("s", "standard", 1, province_code="62")

    assert judge(ind("x", INCOME, ">=", t(1)), 2, set_def=provincial).basis == "bộ tiêu chí của tỉnh 62: mọi vùng"


# ---------------------------------------------------------------- values that cannot be judged


@pytest.mark.parametrize("values", [{}, {"poverty_rate": None}, {"poverty_rate": ""}], ids=["missing", "none", "empty"])
def test_missing_value_is_no_data_never_not_met(values):
    result = judge(ind("11.1", POVERTY, "<=", t(6.5)), values=values)

    assert result.outcome is Outcome.NO_DATA
    assert result.met is None
    assert result.message == "chưa có số liệu"
    assert result.gap is None


def test_missing_boolean_is_no_data_not_not_achieved():
    assert judge(ind("1.1", PLAN, "achieved", t()), values={}).outcome is Outcome.NO_DATA


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "Giá trị không hợp lệ: -1 nhỏ hơn giá trị nhỏ nhất cho phép (0)"),
        (140, "Giá trị không hợp lệ: 140 lớn hơn giá trị lớn nhất cho phép (100)"),
        ("100.5", "Giá trị không hợp lệ: 100.5 lớn hơn giá trị lớn nhất cho phép (100)"),
    ],
)
def test_out_of_range_value_is_an_error_not_a_fail(value, message):
    result = judge(ind("11.1", POVERTY, "<=", t(6.5)), value)

    assert result.outcome is Outcome.ERROR
    assert result.met is None
    assert result.message == message
    assert result.value == value
    assert result.gap is None


def test_boolean_given_to_a_number_measure_is_an_error():
    for value in (True, False):
        result = judge(ind("10.1", INCOME, ">=", t(0)), value)

        assert result.outcome is Outcome.ERROR
        assert result.message == "Giá trị không hợp lệ: giá trị có/không không dùng được cho số liệu dạng số"


@pytest.mark.parametrize("value", [1, 0, "true", "có", D(1)])
def test_number_or_text_given_to_a_boolean_measure_is_an_error(value):
    result = judge(ind("1.1", PLAN, "achieved", t()), value)

    assert result.outcome is Outcome.ERROR
    assert result.message == f"Giá trị không hợp lệ: '{value}' không phải giá trị có/không"


def test_count_with_decimals_is_an_error():
    indicator = ind("5.1", SCHOOLS, ">=", t(2))

    result = judge(indicator, 2.5)
    assert result.outcome is Outcome.ERROR
    assert result.message == "Giá trị không hợp lệ: 2.5 không phải số nguyên"
    assert judge(indicator, 3).met is True
    assert judge(indicator, "3.0").met is True


@pytest.mark.parametrize("value", ["abc", "nan", "inf", [1], {"a": 1}])
def test_text_that_is_not_a_number_is_an_error(value):
    result = judge(ind("10.1", INCOME, ">=", t(50)), value)

    assert result.outcome is Outcome.ERROR
    assert "không phải là số" in result.message


# ---------------------------------------------------------------- gaps


def test_gap_for_at_least_is_how_much_to_raise():
    result = judge(ind("10.1", INCOME, ">=", t(50)), "45.5")

    assert result.gap == D("4.5")


def test_gap_for_at_most_is_how_much_to_lower():
    result = judge(ind("11.1", POVERTY, "<=", t(6.5)), 8)

    assert result.gap == D("1.5")


def test_no_gap_when_met():
    assert judge(ind("10.1", INCOME, ">=", t(50)), 60).gap is None
    assert judge(ind("11.1", POVERTY, "<=", t(6.5)), 2).gap is None


# ---------------------------------------------------------------- criteria and sets


def _indicator_result(outcome: Outcome) -> IndicatorResult:
    return IndicatorResult(
        code="x",
        official_code="",
        name="x",
        measure="m",
        unit="",
        comparison=">=",
        value=None,
        threshold=None,
        outcome=outcome,
        gap=None,
        basis="",
        verified=None,
        source="",
    )


M, N, E, ND, NT = Outcome.MET, Outcome.NOT_MET, Outcome.ERROR, Outcome.NO_DATA, Outcome.NO_THRESHOLD


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ((M,), M),
        ((M, M, M), M),
        ((M, N), N),
        ((N, E, ND, NT), N),
        ((M, E), E),
        ((E, ND), E),
        ((M, ND), ND),
        ((ND, NT), ND),
        ((M, NT), NT),
        ((), NT),
    ],
)
def test_criterion_outcome_from_its_indicators(outcomes, expected):
    criterion = CriterionResult(1, "c", False, False, [_indicator_result(o) for o in outcomes])

    assert criterion.outcome is expected
    assert criterion.met is (expected is M)


def test_set_counts_met_criteria_and_lists_failures():
    set_def = sdef(
        "commune-standard",
        "standard",
        1,
        crit(10, ind("10.1", INCOME, ">=", t(50))),
        crit(11, ind("11.1", POVERTY, "<=", t(6.5))),
        crit(17, ind("17.1", WATER, ">=", t(60)), ind("17.2", PLAN, "achieved", t())),
    )
    result = evaluate_set(set_def, DBSH, 2024, {"income_per_capita": 55, "poverty_rate": 9, "clean_water_rate": 70})

    assert (result.criteria_met, result.criteria_total, result.met) == (1, 3, False)
    assert [c.number for c in result.failing] == [11]
    assert [i.code for i in result.failing_indicators] == ["11.1", "17.2"]
    assert result.criteria[2].outcome is Outcome.NO_DATA


def test_set_without_criteria_is_not_met():
    assert evaluate_set(sdef("empty", "standard", 1), DBSH, 2024, {}).met is False


def test_condition_must_be_met_but_is_not_counted_among_the_criteria():
    set_def = sdef(
        "commune-advanced",
        "advanced",
        1,
        crit(0, ind("0.1", PLAN, "achieved", t()), condition=True),
        crit(10, ind("10.1", INCOME, ">=", t(50))),
        crit(11, ind("11.1", POVERTY, "<=", t(6.5))),
    )
    values = {"income_per_capita": 60, "poverty_rate": 3}

    with_condition = evaluate_set(set_def, DBSH, 2024, {**values, "plan_approved": True})
    without = evaluate_set(set_def, DBSH, 2024, {**values, "plan_approved": False})

    assert (with_condition.criteria_met, with_condition.criteria_total, with_condition.met) == (2, 2, True)
    assert (without.criteria_met, without.criteria_total, without.met) == (2, 2, False)
    assert [i.code for i in without.failing_indicators] == ["0.1"]


# ---------------------------------------------------------------- the tier ladder

STANDARD = sdef(
    "commune-standard",
    "standard",
    1,
    crit(10, ind("10.1", INCOME, ">=", t(50), t(54, region="TN", year=2024)), key=True),
    crit(11, ind("11.1", POVERTY, "<=", t(6.5))),
)
ADVANCED = sdef(
    "commune-advanced",
    "advanced",
    2,
    crit(0, ind("0.1", None, "reached", reference="commune-standard"), condition=True),
    crit(10, ind("10.1", INCOME, ">=", t(60, source="QĐ 319"), t(65, region="TN", year=2024, source="QĐ 319 TN"))),
    crit(17, ind("17.1", WATER, ">=", t(80))),
)
MODEL = sdef(
    "commune-model",
    "model",
    3,
    crit(1, ind("1.1", None, "reached", reference="commune-advanced")),
    crit(
        2,
        ind(
            "2.1",
            INCOME,
            ">=",
            t(None, source="QĐ 320: cao hơn 10%"),
            reference="commune-advanced/10.1",
            multiplier="1.1",
        ),
    ),
)
VILLAGE = sdef("village-standard", "standard", 1, crit(1, ind("1.1", PLAN, "achieved", t())), level="village")
PROGRAMME = ProgrammeDef("2021-2025", (MODEL, VILLAGE, ADVANCED, STANDARD))

GOOD = {"income_per_capita": 80, "poverty_rate": 2, "clean_water_rate": 90, "plan_approved": True}


def test_every_tier_reached_gives_the_top_tier():
    result = evaluate_programme(PROGRAMME, TN, 2024, GOOD)

    assert result.tier == "model"
    assert list(result.sets) == ["commune-standard", "commune-advanced", "commune-model"]
    assert all(s.reached for s in result.sets.values())


def test_advanced_met_without_standard_reaches_nothing():
    # Poverty belongs to the standard set only: the advanced criteria are all met but its condition is not.
    result = evaluate_programme(PROGRAMME, TN, 2024, {**GOOD, "poverty_rate": 9})

    assert result.tier is None
    assert result.sets["commune-standard"].reached is False
    assert result.sets["commune-advanced"].criteria_met == result.sets["commune-advanced"].criteria_total == 2
    assert result.sets["commune-advanced"].reached is False
    assert result.sets["commune-model"].reached is False


def test_advanced_set_met_on_its_own_is_still_not_reached_without_the_standard():
    # Without the 'reached' condition in the set itself, the ladder alone must keep it unreached.
    advanced = sdef("commune-advanced", "advanced", 2, crit(10, ind("10.1", INCOME, ">=", t(60))))
    result = evaluate_programme(
        ProgrammeDef("p", (STANDARD, advanced)), TN, 2024, {"income_per_capita": 70, "poverty_rate": 9}
    )

    assert result.sets["commune-advanced"].met is True
    assert result.sets["commune-advanced"].reached is False
    assert result.tier is None


def test_standard_reached_but_advanced_failed_gives_standard():
    result = evaluate_programme(PROGRAMME, TN, 2024, {**GOOD, "clean_water_rate": 50})

    assert result.tier == "standard"
    assert result.sets["commune-advanced"].reached is False
    assert result.sets["commune-model"].criteria[0].indicators[0].outcome is Outcome.NOT_MET


def test_model_income_exactly_at_110_percent_of_the_advanced_threshold_meets():
    # Advanced income threshold for Tây Nguyên in 2024 is 65, so the model needs 71.5.
    result = evaluate_programme(PROGRAMME, TN, 2024, {**GOOD, "income_per_capita": "71.5"})

    income = result.sets["commune-model"].criteria[1].indicators[0]
    assert income.threshold == D("71.5")
    assert income.met is True
    assert "110%" in income.basis
    assert "Bộ tiêu chí commune-advanced" in income.basis
    assert "vùng Tây Nguyên" in income.basis
    assert "năm 2024" in income.basis
    assert result.tier == "model"


def test_model_income_just_below_110_percent_fails():
    result = evaluate_programme(PROGRAMME, TN, 2024, {**GOOD, "income_per_capita": "71.49"})

    income = result.sets["commune-model"].criteria[1].indicators[0]
    assert income.met is False
    assert income.gap == D("0.01")
    assert result.tier == "advanced"


def test_model_income_follows_the_advanced_threshold_of_the_communes_region_and_year():
    result = evaluate_programme(PROGRAMME, DBSH, 2023, {**GOOD, "income_per_capita": 66})

    income = result.sets["commune-model"].criteria[1].indicators[0]
    assert income.threshold == D(66)  # 60 x 1.1
    assert income.met is True
    assert income.basis == "110% ngưỡng của Bộ tiêu chí commune-advanced (mọi vùng)"
    assert income.source == "QĐ 320: cao hơn 10%; ngưỡng gốc: QĐ 319"
    assert income.verified is False


def test_model_income_just_below_an_unround_110_percent_fails():
    # 110% of 41.35 is 45.485: 45.484 is below it and must not meet the model threshold.
    advanced = sdef("commune-advanced", "advanced", 2, crit(10, ind("10.1", INCOME, ">=", t("41.35"))))
    standard = sdef("commune-standard", "standard", 1, crit(11, ind("11.1", POVERTY, "<=", t(6.5))))
    programme = ProgrammeDef("p", (standard, advanced, MODEL))
    result = evaluate_programme(programme, DBSH, 2023, {**GOOD, "income_per_capita": "45.484"})

    assert result.sets["commune-advanced"].reached is True
    income = result.sets["commune-model"].criteria[1].indicators[0]
    assert income.met is False, f"45.484 met a threshold shown as {income.threshold} (110% of 41.35 is 45.485)"


def test_relative_threshold_without_the_referenced_threshold_is_no_threshold():
    result = evaluate_programme(ProgrammeDef("p", (MODEL,)), TN, 2024, GOOD)

    income = result.sets["commune-model"].criteria[1].indicators[0]
    assert income.outcome is Outcome.NO_THRESHOLD
    assert "chưa có ngưỡng gốc" in income.basis


def test_only_one_set_is_returned_but_the_ladder_still_counts_the_lower_ones():
    result = evaluate_programme(PROGRAMME, TN, 2024, GOOD, only="commune-advanced")

    assert list(result.sets) == ["commune-advanced"]
    assert result.sets["commune-advanced"].reached is True
    assert result.tier == "model"


def test_village_level_is_judged_on_its_own_ladder():
    result = evaluate_programme(PROGRAMME, DBSH, 2024, GOOD, level="village")

    assert list(result.sets) == ["village-standard"]
    assert result.tier == "standard"


# ---------------------------------------------------------------- JSON shape


def test_as_dict_has_the_shape_the_evaluate_command_prints():
    result = evaluate_programme(PROGRAMME, TN, 2024, {**GOOD, "income_per_capita": "71.49", "poverty_rate": None})
    document = json.loads(json.dumps(result.as_dict()))  # every value is JSON

    assert {"tier", "sets"} <= document.keys()
    assert document["tier"] is None
    assert set(document["sets"]) == {"commune-standard", "commune-advanced", "commune-model"}
    for set_result in document["sets"].values():
        assert {"met", "criteria_met", "criteria_total", "criteria"} <= set_result.keys()
        for criterion in set_result["criteria"]:
            assert {"number", "name", "met", "indicators"} <= criterion.keys()
            for indicator in criterion["indicators"]:
                assert {
                    "code",
                    "measure",
                    "value",
                    "threshold",
                    "comparison",
                    "met",
                    "gap",
                    "basis",
                    "verified",
                } <= indicator.keys()

    standard = document["sets"]["commune-standard"]
    assert (standard["met"], standard["criteria_met"], standard["criteria_total"]) == (False, 1, 2)
    income = standard["criteria"][0]["indicators"][0]
    assert income == income | {
        "code": "10.1",
        "measure": "income_per_capita",
        "value": 71.49,
        "threshold": 54,
        "comparison": ">=",
        "met": True,
        "gap": None,
        "basis": "vùng Tây Nguyên, năm 2024",
        "verified": False,
    }
    poverty = standard["criteria"][1]["indicators"][0]
    assert (poverty["value"], poverty["met"], poverty["outcome"]) == (None, None, "no_data")
    model_income = document["sets"]["commune-model"]["criteria"][1]["indicators"][0]
    assert (model_income["threshold"], model_income["gap"], model_income["met"]) == (71.5, 0.01, False)
    reached = document["sets"]["commune-advanced"]["criteria"][0]["indicators"][0]
    assert (reached["measure"], reached["threshold"], reached["value"]) == (None, "commune-standard", False)
