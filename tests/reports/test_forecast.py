"""The forecast: Theil-Sen trends, crossing months, communes' tiers, targets as sums, the loader and the back-test.

The database tests use the sample standard set (tests/criteria/samples.py): in Tây Nguyên (Kon Tum) in 2024 income
must be at least 54, poverty at most 6.5 %, and the general plan approved.
"""

import datetime as dt
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from criteria.models import Measure, Programme
from criteria.yaml_io import import_criteria_text
from monthly.latest import rebuild as rebuild_latest_values
from monthly.models import Report, ReportStatus, Value
from records.models import RecognisedTier, Target, TargetKind
from reports.forecast import (
    HORIZON,
    CommuneInput,
    ForecastInputs,
    ForecastState,
    IndicatorInput,
    SetInput,
    TargetInput,
    counts_by,
    forecast_commune,
    forecast_indicator,
    forecast_scope,
    method_text,
    theil_sen,
    trend_of,
)
from reports.forecast_data import load_forecast_inputs
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import UnitFactory
from tests.reports.test_status import ADVANCED

JUNE = dt.date(2024, 6, 1)
MONTHS_2024 = [dt.date(2024, month, 1) for month in range(1, 13)]


def history(values, as_of=JUNE):
    """Values of the months up to `as_of`, the last one in `as_of`."""
    first = len(values) - 1
    return tuple((_shift(as_of, k - first), v) for k, v in enumerate(values))


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def indicator(values, threshold, comparison=">=", *, kind="number", code="10.1", set_code="std", value=None):
    return IndicatorInput(
        set_code=set_code,
        code=code,
        name=f"Chỉ tiêu {code}",
        measure=f"measure_{code}",
        kind=kind,
        comparison=comparison,
        threshold=threshold,
        value=values[-1] if value is None and values else value,
        history=history(values) if kind in ("number", "percent", "count") else (),
    )


# ---------------------------------------------------------------- the trend


def test_theil_sen_finds_a_lines_slope_and_intercept():
    trend = theil_sen([(x, 5 + 2 * x) for x in range(-6, 1)])
    assert (trend.central.slope, trend.central.intercept, trend.points) == (2, 5, 7)
    assert trend.low.slope == trend.high.slope == 2


def test_theil_sen_is_robust_to_one_outlier():
    points = [(x, 5 + 2 * x) for x in range(-6, 1)]
    points[3] = (-3, 500)  # one month typed with two zeros too many
    trend = theil_sen(points)
    assert (trend.central.slope, trend.central.intercept) == (2, 5)


def test_theil_sen_needs_three_points():
    assert theil_sen([(-1, 1.0), (0, 2.0)]) is None
    assert theil_sen([(-2, 1.0), (-1, 2.0), (0, 3.0)]).central.slope == 1


def test_trend_reads_only_the_last_twelve_months_up_to_the_forecast_month():
    rising = history([float(v) for v in range(20)])  # 20 months, one a month
    later = ((_shift(JUNE, 1), 1000.0),)
    trend = trend_of(rising + later, JUNE)
    assert trend.points == 12
    assert (trend.central.slope, trend.central.intercept) == (1, 19)


# ---------------------------------------------------------------- one indicator


def test_a_linear_rise_crosses_in_the_computed_month():
    # 50, 51, ... 61 in 06/2024: nine more months to reach 70, so 03/2025.
    forecast = forecast_indicator(indicator([50 + k for k in range(12)], 70), JUNE)
    assert forecast.state is ForecastState.CROSSES
    assert forecast.month == forecast.early == forecast.late == dt.date(2025, 3, 1)
    assert forecast.label == "với nhịp độ này: đạt vào 03/2025"
    assert forecast.is_forecast


def test_a_strict_comparison_needs_the_month_after_the_line_touches_the_threshold():
    forecast = forecast_indicator(indicator([50 + k for k in range(12)], 70, ">"), JUNE)
    assert forecast.month == dt.date(2025, 4, 1)


def test_a_half_step_rise_crosses_in_the_computed_month():
    # 55.5, 56, ... 61 in 06/2024: 65 is 8 half-points away.
    forecast = forecast_indicator(indicator([55.5 + k / 2 for k in range(12)], 65), JUNE)
    assert forecast.month == dt.date(2025, 2, 1)


@pytest.mark.parametrize(
    ("values", "comparison", "threshold"),
    [
        ([60.0] * 12, ">=", 70),  # flat
        ([70 - k for k in range(12)], ">=", 70),  # falling, away from a minimum
        ([3 + k / 2 for k in range(12)], "<=", 2),  # rising, away from a maximum
        ([9.0] * 6, "<", 6.5),  # flat below a maximum
    ],
)
def test_a_flat_or_receding_trend_never_crosses(values, comparison, threshold):
    forecast = forecast_indicator(indicator(values, threshold, comparison), JUNE)
    assert forecast.state is ForecastState.NOT_AT_PACE
    assert (forecast.month, forecast.early, forecast.late) == (None, None, None)
    assert forecast.label == "không đạt với xu hướng hiện tại"


def test_a_falling_share_meets_an_at_most_threshold():
    # 10, 9.5, ... 4.5 in 06/2024: at most 3 % three months later; strictly under 3 % four.
    falling = [10 - k / 2 for k in range(12)]
    assert forecast_indicator(indicator(falling, 3, "<="), JUNE).month == dt.date(2024, 9, 1)
    assert forecast_indicator(indicator(falling, 3, "<"), JUNE).month == dt.date(2024, 10, 1)


def test_a_crossing_after_the_horizon_is_not_at_this_pace():
    slow = indicator([50 + k / 100 for k in range(12)], 70)  # 0.01 a month: 2,000 months away
    forecast = forecast_indicator(slow, JUNE)
    assert forecast.state is ForecastState.NOT_AT_PACE
    assert "12/2030" in forecast.reason
    assert forecast_indicator(slow, JUNE, horizon=dt.date(2400, 1, 1)).month is not None


def test_fewer_than_three_approved_months_give_no_trend():
    forecast = forecast_indicator(indicator([50, 60], 70), JUNE)
    assert forecast.state is ForecastState.NO_TREND
    assert forecast.month is None
    assert forecast_indicator(indicator([50, 55, 60], 70), JUNE).month == dt.date(2024, 8, 1)


def test_a_yes_no_indicator_has_no_trend_and_no_crossing():
    plan = indicator([], True, "achieved", kind="boolean", value=False)
    forecast = forecast_indicator(plan, JUNE)
    assert forecast.state is ForecastState.QUALITATIVE
    assert forecast.month is None
    assert forecast.label == "không đạt với xu hướng hiện tại"


def test_an_indicator_without_a_figure_or_threshold_has_no_forecast():
    assert forecast_indicator(indicator([], 70, value=None), JUNE).state is ForecastState.NO_DATA
    assert forecast_indicator(indicator([50, 51, 52], None), JUNE).state is ForecastState.NO_DATA


# ---------------------------------------------------------------- a commune, a target


def commune(unit_id, *sets, judged=True, tier_now=""):
    return CommuneInput(unit_id, f"{unit_id:05d}", f"Xã {unit_id}", judged, tier_now, tuple(sets))


def standard(*not_met, reached=False):
    return SetInput("std", "standard", 1, reached or not not_met, tuple(not_met))


def advanced(*not_met):
    return SetInput("adv", "advanced", 2, False, tuple(not_met))


def rising(to_cross: int, code: str, set_code: str = "std", step: float = 1.0) -> IndicatorInput:
    """An indicator rising `step` a month that meets 70 `to_cross` months after 06/2024."""
    now = 70 - to_cross * step
    return indicator([now - step * (11 - k) for k in range(12)], 70, code=code, set_code=set_code)


def test_a_commune_reaches_a_tier_when_its_last_missing_indicator_crosses():
    forecast = forecast_commune(commune(1, standard(rising(3, "a"), rising(8, "b"))), "standard", JUNE)
    assert forecast.state is ForecastState.CROSSES
    assert forecast.month == dt.date(2025, 2, 1)  # the later of 09/2024 and 02/2025
    assert [i.code for i in forecast.blocking] == ["b"]
    assert forecast.label == "với nhịp độ này: đạt vào 02/2025"


def test_a_higher_tier_needs_the_lower_sets_missing_indicators_too():
    case = commune(1, standard(rising(3, "a")), advanced(rising(5, "c", "adv")))
    assert forecast_commune(case, "standard", JUNE).month == dt.date(2024, 9, 1)
    assert forecast_commune(case, "advanced", JUNE).month == dt.date(2024, 11, 1)
    blocked = commune(2, standard(indicator([], True, "achieved", kind="boolean", value=False)), advanced())
    assert forecast_commune(blocked, "advanced", JUNE).state is ForecastState.NOT_AT_PACE


def test_a_commune_at_the_tier_or_without_results():
    met = forecast_commune(commune(1, standard(), tier_now="standard"), "standard", JUNE)
    assert (met.state, met.month, met.early, met.late) == (ForecastState.MET, JUNE, JUNE, JUNE)
    assert forecast_commune(commune(2, judged=False), "standard", JUNE).state is ForecastState.NO_DATA


def noisy_commune(unit_id: int, rng: random.Random) -> CommuneInput:
    indicators = []
    for code in "ab":
        start, step = rng.uniform(40, 65), rng.uniform(-1, 2)
        values = [start + step * k + rng.uniform(-3, 3) for k in range(rng.randint(3, 12))]
        indicators.append(indicator(values, 70, code=code))
    return commune(unit_id, standard(*indicators) if rng.random() < 0.8 else standard())


def test_the_range_holds_the_central_forecast():
    rng = random.Random(17)
    for unit_id in range(200):
        forecast = forecast_commune(noisy_commune(unit_id, rng), "standard", JUNE)
        never = dt.date.max
        assert (forecast.early or never) <= (forecast.month or never) <= (forecast.late or never)


def test_the_province_forecast_is_the_sum_of_its_communes():
    rng = random.Random(2025)
    communes = tuple(noisy_commune(unit_id, rng) for unit_id in range(1, 41))
    target = TargetInput("standard", 2025, 30, "kế hoạch 2025")
    inputs = ForecastInputs(1, "Tỉnh Thử", JUNE, "2021-2025", ("standard",), communes, (target,))

    result = forecast_scope(inputs).targets[0]

    alone = [forecast_commune(c, "standard", JUNE) for c in communes]
    deadline = dt.date(2025, 12, 1)
    assert result.central == sum(f.reaches_by(deadline) for f in alone)
    assert result.low == sum(f.reaches_by(deadline, "late") for f in alone)
    assert result.high == sum(f.reaches_by(deadline, "early") for f in alone)
    assert (result.low, result.central, result.high) == counts_by(alone, deadline)
    assert result.low <= result.central <= result.high
    assert result.met_now == sum(f.state is ForecastState.MET for f in alone)
    # The deciding communes are exactly the range's width.
    assert len(result.deciding) == result.high - result.low
    assert result.is_forecast
    assert result.text.startswith("dự báo: ")
    assert result.text.endswith(" / 30 xã (kế hoạch 2025)")


def test_a_target_text_shows_one_number_without_spread():
    communes = (commune(1, standard(rising(3, "a"))), commune(2, standard(), tier_now="standard"))
    inputs = ForecastInputs(
        1, "Tỉnh Thử", JUNE, "2021-2025", ("standard",), communes, (TargetInput("standard", 2024, 3, "kế hoạch 2024"),)
    )
    result = forecast_scope(inputs).targets[0]
    assert result.text == "dự báo: 2 / 3 xã (kế hoạch 2024)"
    assert result.reaches_target is False
    assert "Theil-Sen" in method_text()
    assert "12/2030" in method_text()


# ---------------------------------------------------------------- from the database


@pytest.fixture
def sample(db):
    import_criteria_text(STANDARD)
    return {m.code: m for m in Measure.objects.all()}


def approve(unit, months: dict[dt.date, dict], measures) -> None:
    """Approved reports of these months with these figures (then the maintained latest values rebuilt)."""
    programme = Programme.objects.get(code="2021-2025")
    for period, figures in months.items():
        report = Report.objects.create(unit=unit, period=period, programme=programme, status=ReportStatus.APPROVED)
        for code, value in figures.items():
            row = Value(report=report, measure=measures[code])
            if isinstance(value, bool):
                row.flag = value
            else:
                row.number = Decimal(str(value))
            row.save()
    rebuild_latest_values()


def figures(income, poverty=4, plan=True) -> dict:
    return {"income_per_capita": income, "poverty_rate": poverty, "plan_approved": plan}


def new_commune(tree, n: int):
    return UnitFactory(name=f"Xã Dự Báo {n}", parent=tree.dak_glei)


def test_the_loader_gives_thresholds_history_and_the_computed_crossing(tree, sample):
    # Income 45 in January, one more a month: 50 in June, 54 (Tây Nguyên 2024) in October.
    approve(tree.dak_pek, {m: figures(45 + k) for k, m in enumerate(MONTHS_2024[:6])}, sample)
    # Reports in January, March and May only: the months between carry values forward and are no observations.
    approve(tree.dak_mon, {MONTHS_2024[k]: figures(45 + k) for k in (0, 2, 4)}, sample)
    approve(UnitFactory(name="Xã Đồng", parent=tree.ngoc_hoi), {JUNE: figures(60)}, sample)
    Target.objects.create(
        unit=tree.province, year=2024, kind=TargetKind.UNITS_AT_TIER, tier=RecognisedTier.STANDARD, value=3
    )
    recompute_statuses(period=JUNE, units=tracked_units())

    inputs = load_forecast_inputs(tree.province, JUNE)

    assert (inputs.programme, inputs.tiers, inputs.as_of) == ("2021-2025", ("standard",), JUNE)
    by_code = {c.code: c for c in inputs.communes}
    # Đắk Xú has never reported: in scope, with nothing to forecast from; the towns are not judged.
    assert not by_code["23380"].judged
    assert "23338" not in by_code
    (income,) = by_code[tree.dak_pek.code].sets[0].not_met
    assert (income.code, income.comparison, income.threshold, income.value) == ("10.1", ">=", 54, 50)
    assert [value for _month, value in income.history] == [45, 46, 47, 48, 49, 50]
    mon = by_code[tree.dak_mon.code].sets[0].not_met[0]
    assert [month.month for month, _value in mon.history] == [1, 3, 5]

    forecast = forecast_scope(inputs)
    assert forecast.commune(tree.dak_pek.pk, "standard").month == dt.date(2024, 10, 1)
    # Through January, March and May (not the carried months): 49 in May, 50 fitted in June, 54 in October.
    assert forecast.commune(tree.dak_mon.pk, "standard").month == dt.date(2024, 10, 1)
    (target,) = forecast.targets
    assert (target.low, target.central, target.high, target.met_now, target.out_of) == (3, 3, 3, 1, 4)
    assert target.text == "dự báo: 3 / 3 xã (kế hoạch 2024)"
    # A commune's own forecast (its scorecard) judges it again: the same month.
    alone = forecast_scope(load_forecast_inputs(tree.dak_pek, JUNE))
    assert alone.commune(tree.dak_pek.pk, "standard").month == dt.date(2024, 10, 1)


@pytest.mark.parametrize("communes", [2, 6])
def test_the_loader_runs_a_fixed_number_of_queries(tree, sample, communes, django_assert_num_queries):
    for n in range(communes):
        unit = new_commune(tree, n)
        approve(unit, {m: figures(45 + k + n, plan=n % 2 == 0) for k, m in enumerate(MONTHS_2024[:6])}, sample)
    recompute_statuses(period=JUNE, units=tracked_units())
    # programme, judged kinds, communes, criteria sets (4), measures, statuses, history, targets, national targets
    with django_assert_num_queries(12):
        inputs = load_forecast_inputs(tree.province, JUNE)
    assert sum(c.judged for c in inputs.communes) == communes
    # Judged again (a commune's scorecard, the back-test): the provinces' regions and the latest values (two) too.
    with django_assert_num_queries(15):
        load_forecast_inputs(tree.province, JUNE, every_trend=True)


def test_a_commune_that_can_reach_its_next_tier_is_judged_again_for_the_tiers_above(tree, sample):
    import_criteria_text(ADVANCED)  # poverty at most 3 % above the standard set
    rising = new_commune(tree, 1)  # income 50 in June, +1 a month; poverty 4.5 %, -0.25 a month
    approve(rising, {m: figures(45 + k, 5.75 - k / 4) for k, m in enumerate(MONTHS_2024[:6])}, sample)
    blocked = new_commune(tree, 2)  # the plan not approved: no tier at this pace
    approve(blocked, {m: figures(45 + k, plan=False) for k, m in enumerate(MONTHS_2024[:6])}, sample)
    recompute_statuses(period=JUNE, units=tracked_units())

    inputs = load_forecast_inputs(tree.province, JUNE)

    by_unit = {c.unit_id: c for c in inputs.communes}
    # The status keeps the standard set's failures only; the rising commune is judged again for the advanced set's.
    assert [s.complete for s in by_unit[rising.pk].sets] == [True, True]
    assert [s.complete for s in by_unit[blocked.pk].sets] == [True, False]
    forecast = forecast_scope(inputs)
    assert forecast.commune(rising.pk, "standard").month == dt.date(2024, 10, 1)  # income 54
    assert forecast.commune(rising.pk, "advanced").month == dt.date(2024, 12, 1)  # poverty 4.5 - 6 * 0.25 = 3
    assert forecast.commune(blocked.pk, "advanced").state is ForecastState.NOT_AT_PACE
    full = forecast_scope(load_forecast_inputs(tree.province, JUNE, every_trend=True))
    for tier in ("standard", "advanced"):
        for commune in (rising, blocked):
            assert forecast.commune(commune.pk, tier).month == full.commune(commune.pk, tier).month
    # Only with every trend is the blocked commune's income given its own month.
    (income,) = [i for i in full.commune(blocked.pk, "standard").indicators if i.code == "10.1"]
    assert income.month == dt.date(2024, 10, 1)


def test_a_month_no_programme_judges_has_nothing_to_forecast(tree, sample):
    inputs = load_forecast_inputs(tree.province, dt.date(2019, 5, 1))
    assert (inputs.communes, inputs.tiers, inputs.programme) == ((), (), "")
    assert forecast_scope(inputs).targets == ()
    assert inputs.horizon == HORIZON


# ---------------------------------------------------------------- the back-test


def test_the_backtest_command_runs_on_a_history_and_prints_its_error(tree, sample):
    months = MONTHS_2024[:10]
    approve(tree.dak_pek, {m: figures(45 + k) for k, m in enumerate(months)}, sample)  # standard in October
    approve(tree.dak_mon, {m: figures(50) for m in months}, sample)  # flat: never
    approve(new_commune(tree, 1), {m: figures(60) for m in months}, sample)  # standard all along
    approve(new_commune(tree, 2), {m: figures(60, poverty=9 - k) for k, m in enumerate(months)}, sample)  # in April
    for month in months:
        recompute_statuses(period=month, units=tracked_units())
    out = StringIO()

    call_command("backtest_forecast", "--province", "62", "--horizon", "6", stdout=out)

    text = out.getvalue()
    assert "Tỉnh Kon Tum (62):" in text
    # January to April have their month + 6 judged (July to October).
    assert "01/2024 → 07/2024" in text
    assert "04/2024 → 10/2024" in text
    assert "05/2024 →" not in text
    # In March the poverty rate falls one point a month from 7 %: at most 6.5 % in April, as it happened.
    assert "03/2024 → 09/2024: Đạt chuẩn NTM 2 (2-2), thực tế 2, lệch +0" in text
    assert "Sai số tuyệt đối trung bình của số xã dự báo theo mức" in text
    assert "Tổng hợp chung (4 tháng dự báo)" in text


def test_the_backtest_command_refuses_a_province_without_results(tree, sample):
    with pytest.raises(CommandError, match="Không có tỉnh nào"):
        call_command("backtest_forecast", "--province", "64", stdout=StringIO())
