"""Back-test the forecast on the history the database holds (the demo's, or a real province's): how wrong it was.

For every month M of a province's results with the month M+horizon known and judged by the same programme, the
forecast is made as it would have been at M (reports.forecast_data reads only what was approved by then; figures
approved later for earlier months are the one exception, as the history holds them now) and compared with what
happened:
- per tier, the number of communes forecast to be at the tier by M+horizon (central, low, high) against the number
  at it in the statuses recorded for M+horizon: the error, its mean absolute value, and how often the range held it;
- per commune not at a tier in M: forecast to reach it by M+horizon or not, against whether it did (hits, false
  alarms, misses);
- per indicator not met in M: the month its figures first met the threshold (judged month by month up to M+horizon)
  against the forecast crossing month: the share forecast within ±2 months, and the crossings forecast that did not
  happen.
Months are compared only within one programme: the criteria change in 02/2026 (2021-2025 to 2026-2030).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError

from communes.models import AdministrativeUnit, Level
from communes.months import months_between, shift_month
from records.models import RecognisedTier
from reports.forecast import (
    CommuneForecast,
    ForecastInputs,
    ForecastState,
    counts_by,
    forecast_scope,
    month_offset,
)
from reports.forecast_data import load_forecast_inputs
from reports.models import Status
from reports.scope import programme_in_force

CLOSE = 2  # months: a crossing forecast this close to the real one counts as right


@dataclass
class MonthScore:
    """One forecast month compared with its month + horizon."""

    month: dt.date
    later: dt.date
    tiers: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # tier, low, central, high, actual
    communes: Counter = field(default_factory=Counter)  # hit, false_alarm, miss, quiet
    indicators: Counter = field(default_factory=Counter)  # crossed, close, forecast, false_alarm, no_trend


def _reached(tier: str, wanted: str, tiers: tuple[str, ...]) -> bool:
    return bool(tier) and tier in tiers and tiers.index(tier) >= tiers.index(wanted)


def _not_met(inputs: ForecastInputs) -> dict[int, set[tuple[str, str]] | None]:
    """Per commune, the (set, indicator) it does not meet; None when it has no result that month."""
    return {
        c.unit_id: ({(s.code, i.code) for s in c.sets for i in s.not_met} if c.judged else None)
        for c in inputs.communes
    }


def score_tiers(score: MonthScore, forecasts: dict, inputs: ForecastInputs, actual: dict[int, str]) -> None:
    """The province counts against the statuses of the later month, and each commune's outcome."""
    for tier in inputs.tiers:
        low, central, high = counts_by(forecasts[tier], score.later)
        reached = sum(1 for c in inputs.communes if _reached(actual.get(c.unit_id, ""), tier, inputs.tiers))
        score.tiers.append((tier, low, central, high, reached))
        for forecast in forecasts[tier]:
            if forecast.state in (ForecastState.MET, ForecastState.NO_DATA):
                continue  # at the tier already, or nothing to forecast from
            predicted = forecast.reaches_by(score.later)
            happened = _reached(actual.get(forecast.unit_id, ""), tier, inputs.tiers)
            outcome = {(True, True): "hit", (True, False): "false_alarm", (False, True): "miss"}
            score.communes[outcome.get((predicted, happened), "quiet")] += 1
            # A miss for want of a trend (a yes/no or level indicator, or under three approved months) is the
            # method's rule, not a wrong slope: counted apart so the two causes of error can be told.
            if happened and not predicted and any(i.trend is None for i in forecast.indicators):
                score.communes["miss_no_trend"] += 1


def score_indicators(score: MonthScore, tops: tuple[CommuneForecast, ...], later_months: list[dict]) -> None:
    """Each indicator not met in the month: when it first met its threshold, against its forecast crossing."""
    for commune in tops:
        for indicator in commune.indicators:
            key = (indicator.set_code, indicator.code)
            crossed = None
            for step, not_met in enumerate(later_months, start=1):
                missing = not_met.get(commune.unit_id)
                if missing is not None and key not in missing:
                    crossed = shift_month(score.month, step)
                    break
            forecast = indicator.month
            if forecast is not None and forecast <= score.later:
                score.indicators["forecast"] += 1
                score.indicators["false_alarm"] += crossed is None
            if crossed is None:
                continue
            score.indicators["crossed"] += 1
            score.indicators["no_trend"] += indicator.trend is None
            if forecast is not None and abs(month_offset(crossed, forecast)) <= CLOSE:
                score.indicators["close"] += 1


def backtest_month(month: dt.date, horizon: int, inputs_of, actual: dict[int, str]) -> MonthScore:
    """The forecast made in `month` against the results of `horizon` months later (`inputs_of(month)`: the loaded
    inputs of a month)."""
    score = MonthScore(month, shift_month(month, horizon))
    inputs = inputs_of(month)
    forecast = forecast_scope(inputs)
    score_tiers(score, forecast.communes, inputs, actual)
    if inputs.tiers:
        later_months = [_not_met(inputs_of(shift_month(month, k))) for k in range(1, horizon + 1)]
        score_indicators(score, forecast.communes[inputs.tiers[-1]], later_months)
    return score


def _months_with_results(province: AdministrativeUnit) -> list[dt.date]:
    periods = (
        Status.objects.filter(unit__path__startswith=province.path, unit__level=Level.COMMUNE)
        .filter(programme_in_force())
        .values_list("period", flat=True)
        .distinct()
        .order_by("period")
    )
    return list(periods)


def _actual_tiers(province: AdministrativeUnit, month: dt.date) -> dict[int, str]:
    rows = Status.objects.filter(unit__path__startswith=province.path, unit__level=Level.COMMUNE, period=month)
    return dict(rows.filter(programme_in_force()).values_list("unit_id", "tier"))


def tier_label(tier: str) -> str:
    return str(RecognisedTier(tier).label) if tier in RecognisedTier.values else tier


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Kiểm tra lại dự báo trên lịch sử số liệu: dự báo lập ở tháng M so với kết quả thực tế ở tháng M + 6 "
        "(số xã theo mức, từng xã, từng chỉ tiêu) và in sai số."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="Mã tỉnh (mặc định: mọi tỉnh có kết quả đánh giá)")
        parser.add_argument(
            "--horizon", type=int, default=6, help="Số tháng giữa lúc dự báo và lúc so sánh (mặc định 6)"
        )

    def handle(self, *args, **options):
        horizon, self.verbosity = options["horizon"], options["verbosity"]
        if horizon < 1:
            raise CommandError("--horizon phải từ 1 tháng trở lên.")
        provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE).order_by("path")
        if options["province"]:
            provinces = provinces.filter(code=options["province"])
        found = [(p, months) for p in provinces if (months := _months_with_results(p))]
        if not found:
            raise CommandError("Không có tỉnh nào có kết quả đánh giá để kiểm tra lại dự báo.")
        self.stdout.write(
            f"Kiểm tra lại dự báo: dự báo lập ở tháng M chỉ với số liệu đã duyệt đến M, so với kết quả thực tế ở "
            f"tháng M + {horizon}."
        )
        scores: list[MonthScore] = []
        for province, months in found:
            mine = self._province(province, months, horizon)
            if mine:
                self._summary(f"Tổng hợp {province.name}", mine)
            scores += mine
        if not scores:
            raise CommandError(f"Lịch sử chưa đủ dài: không có tháng nào có kết quả {horizon} tháng sau đó.")
        self._summary("Tổng hợp chung", scores, final=True)

    def _province(self, province: AdministrativeUnit, months: list[dt.date], horizon: int) -> list[MonthScore]:
        known = set(months)
        cache: dict[dt.date, ForecastInputs] = {}

        def inputs_of(month: dt.date) -> ForecastInputs:
            if month not in cache:
                # Every trend: the indicators' own crossings are scored, not only the communes'.
                cache[month] = load_forecast_inputs(province, month, every_trend=True)
            return cache[month]

        self.stdout.write(
            f"\n{province.name} ({province.code}{', ' + province.period_label if province.period_label else ''}):"
        )
        scores = []
        for month in months_between(months[0], months[-1]):
            later = shift_month(month, horizon)
            if later not in known:
                continue
            if inputs_of(month).programme != inputs_of(later).programme:
                self.stdout.write(f"  {month:%m/%Y} → {later:%m/%Y}: bỏ qua, hai tháng theo hai bộ tiêu chí khác nhau")
                continue
            score = backtest_month(month, horizon, inputs_of, _actual_tiers(province, later))
            scores.append(score)
            if self.verbosity >= 1:
                self._month_line(score)
        return scores

    def _month_line(self, score: MonthScore) -> None:
        counts = "; ".join(
            f"{tier_label(tier)} {central} ({low}-{high}), thực tế {actual}, lệch {central - actual:+d}"
            for tier, low, central, high, actual in score.tiers
        )
        c, i = score.communes, score.indicators
        self.stdout.write(
            f"  {score.month:%m/%Y} → {score.later:%m/%Y}: {counts} · xã lên mức: trúng {c['hit']}, báo nhầm "
            f"{c['false_alarm']}, bỏ sót {c['miss']} · chỉ tiêu đạt ngưỡng: {i['close']}/{i['crossed']} đúng "
            f"±{CLOSE} tháng, {i['false_alarm']}/{i['forecast']} dự báo đạt mà không đạt"
        )

    def _summary(self, title: str, scores: list[MonthScore], final: bool = False) -> None:
        rows = [row for s in scores for row in s.tiers]
        errors = [abs(central - actual) for _tier, _low, central, _high, actual in rows]
        inside = sum(1 for _tier, low, _central, high, actual in rows if low <= actual <= high)
        by_tier: dict[str, list[int]] = {}
        for tier, _low, central, _high, actual in rows:
            by_tier.setdefault(tier, []).append(abs(central - actual))
        c = sum((s.communes for s in scores), Counter())
        i = sum((s.indicators for s in scores), Counter())
        mae = sum(errors) / len(errors) if errors else 0.0
        tiers = ", ".join(f"{tier_label(tier)} {_number(sum(e) / len(e))}" for tier, e in by_tier.items())
        write = self.stdout.write if not final else (lambda text: self.stdout.write(self.style.SUCCESS(text)))
        write(f"\n{title} ({len(scores)} tháng dự báo):")
        bias = sum(central - actual for _tier, _low, central, _high, actual in rows) / len(rows) if rows else 0.0
        write(f"  Sai số tuyệt đối trung bình của số xã dự báo theo mức: {_number(mae)} xã ({tiers}).")
        write(f"  Lệch trung bình (dự báo trừ thực tế): {_number(bias)} xã.")
        write(f"  Số xã thực tế nằm trong khoảng dự báo: {_ratio(inside, len(rows))} lần so sánh.")
        write(
            f"  Xã lên mức (mỗi xã chưa đạt, mỗi mức): dự báo trúng {_ratio(c['hit'], c['hit'] + c['miss'])} lần xã "
            f"thực tế lên mức (bỏ sót {c['miss']}, trong đó {c['miss_no_trend']} vì có chỉ tiêu không có xu hướng: "
            f"có/không, định tính hoặc chưa đủ 3 tháng số liệu); báo nhầm "
            f"{_ratio(c['false_alarm'], c['hit'] + c['false_alarm'])} lần xã được dự báo lên mức."
        )
        write(
            f"  Chỉ tiêu đạt ngưỡng: {_ratio(i['close'], i['crossed'])} lần đạt thực tế được dự báo đúng ±{CLOSE} "
            f"tháng ({i['no_trend']} lần không có xu hướng để dự báo); {_ratio(i['false_alarm'], i['forecast'])} "
            f"lần dự báo đạt trong kỳ mà không đạt."
        )
