"""Forecasts, explainable: when each commune would meet what it still misses if its figures kept their pace.

Pure functions over plain data (reports.forecast_data loads it), no ORM, so the scorecard, the dashboard, the API and
the back-test (`manage.py backtest_forecast`) compute the same thing. A forecast is never a result: every object here
says it is one (`is_forecast`), and the Vietnamese `method` text says how it was made.

The method, in the order the code applies it:

- An indicator not met now gets a trend from its measure's approved values of the last TREND_MONTHS months, one point
  per month that has an approved value (a month that only carries an older value forward adds nothing). Fewer than
  MIN_POINTS points: no trend. The line is Theil-Sen's: the slope is the median of the slopes between every pair of
  points (one odd month moves it little, unlike least squares), the intercept the median of y - slope * x, with x the
  month counted from the forecast month (0) backwards.
- The crossing month is the first month after the forecast month when the line meets the threshold that applies to
  the commune now (its comparison: >=, >, <=, <). A flat line or one moving away from the threshold never crosses;
  neither does one crossing after the horizon: the last month the programme in force judges (01/2026 for 2021-2025,
  12/2030 for 2026-2030; never after HORIZON), since later months are judged by other criteria: "không đạt với xu
  hướng hiện tại". Yes/no and level indicators have no trend: not met now means not met at this pace.
- The range: the same line with the 25th and the 75th percentile of the pairwise slopes (each with its own median
  intercept) gives the early and the late crossing. With x <= 0 the early month is never after the central one, nor
  the central after the late one.
- A commune reaches a tier when every indicator it misses in the sets of the ladder up to that tier has crossed: the
  latest of their months (early and late alike). Met now: the forecast month itself. An indicator met now is taken
  to stay met, and thresholds stay those of the forecast month.
- For a province, only the trends that can change a count are computed (trend_measures): a commune missing a yes/no
  indicator of its next tier reaches no tier above at this pace, whatever its numbers do.
- A target (tier, year, number of communes) is forecast as the number of communes reaching the tier by December of
  its year: central, low (late crossings) and high (early crossings), each the plain sum over the communes.
  The deciding communes are those not at the tier now that reach it by the deadline in the early case but not in the
  late one: the spread is theirs, so high - low is exactly their number. Next in line: those whose early crossing
  comes after the deadline, soonest first (the communes to push when even the optimistic count falls short).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from communes.months import shift_month

TREND_MONTHS = 12
MIN_POINTS = 3
HORIZON = dt.date(2030, 12, 1)  # the last month of the 2026-2030 programme; later crossings count as never
TRENDABLE_KINDS = ("number", "percent", "count")
RISING = (">=", ">")
FALLING = ("<=", "<")
# Values are Decimals of at most four places turned into floats: a month boundary hit exactly stays exact.
EPSILON = 1e-9
NEXT_IN_LINE = 10


class ForecastState(StrEnum):
    MET = "met"  # met now
    CROSSES = "crosses"  # the trend meets the threshold by the horizon
    NOT_AT_PACE = "not_at_pace"  # flat, moving away, or crossing after the horizon
    NO_TREND = "no_trend"  # fewer than MIN_POINTS approved months
    QUALITATIVE = "qualitative"  # yes/no or a level: no trend to follow
    NO_DATA = "no_data"  # no figure, no threshold, or no result for the commune
    NOT_COMPUTED = "not_computed"  # not read: an indicator without a trend already decides every tier it counts in


# ---------------------------------------------------------------- inputs (reports.forecast_data fills them)


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    """An indicator a commune does not meet as of the month, with the threshold the engine chose for it."""

    set_code: str
    code: str
    name: str
    measure: str
    kind: str  # the measure's kind: number | percent | count | boolean | level
    comparison: str
    threshold: Any  # None: no threshold applies
    value: Any  # the value judged (carried forward), None: no figure
    # (month, approved value) of the last TREND_MONTHS months; None: not read, as it cannot change the commune's
    # forecast (see trend_measures)
    history: tuple[tuple[dt.date, float], ...] | None = None


@dataclass(frozen=True, slots=True)
class SetInput:
    """One set of the commune's ladder as judged in the month, with the indicators it does not meet."""

    code: str
    tier: str
    rank: int
    reached: bool
    not_met: tuple[IndicatorInput, ...] = ()
    # False: what the set misses was not read (a stored status keeps the next tier's failures only); a lower set
    # without a trend decides every tier it is part of anyway.
    complete: bool = True


@dataclass(frozen=True, slots=True)
class CommuneInput:
    unit_id: int
    code: str
    name: str
    judged: bool  # has a result (a status) in the month; False: nothing to forecast from
    tier_now: str = ""
    sets: tuple[SetInput, ...] = ()  # the commune ladder, lowest rank first


@dataclass(frozen=True, slots=True)
class TargetInput:
    """A number of communes to reach a tier by December of a year: a province's plan, its share, or the nation's."""

    tier: str
    year: int
    count: int
    label: str  # "kế hoạch 2025", "mục tiêu 2030: 65% số xã"
    kind: str = "plan"  # plan | share | national
    source: str = ""

    @property
    def deadline(self) -> dt.date:
        return dt.date(self.year, 12, 1)


@dataclass(frozen=True, slots=True)
class ForecastInputs:
    scope_id: int | None
    scope_name: str
    as_of: dt.date
    programme: str
    tiers: tuple[str, ...]  # the commune ladder's tiers, lowest first
    communes: tuple[CommuneInput, ...]
    targets: tuple[TargetInput, ...] = ()
    horizon: dt.date = HORIZON  # the programme's last judged month: later, other criteria judge


# ---------------------------------------------------------------- the trend


@dataclass(frozen=True, slots=True)
class Line:
    slope: float  # per month
    intercept: float  # the fitted value in the forecast month (x = 0)

    def at(self, offset: int) -> float:
        return self.intercept + self.slope * offset


@dataclass(frozen=True, slots=True)
class Trend:
    """Theil-Sen's line through the approved months and the two lines that give the range."""

    central: Line
    low: Line  # the 25th percentile of the pairwise slopes
    high: Line  # the 75th percentile
    points: int


def percentile(ordered: Sequence[float], share: float) -> float:
    """The value at `share` (0 to 1) of sorted values, interpolated between neighbours (numpy's default)."""
    position = (len(ordered) - 1) * share
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _line(points: Sequence[tuple[int, float]], slope: float) -> Line:
    residuals = sorted(y - slope * x for x, y in points)
    return Line(slope, percentile(residuals, 0.5))


def theil_sen(points: Sequence[tuple[int, float]]) -> Trend | None:
    """The robust line through (month offset, value) points with distinct offsets; None under MIN_POINTS points."""
    if len(points) < MIN_POINTS:
        return None
    slopes = sorted(
        (points[j][1] - points[i][1]) / (points[j][0] - points[i][0])
        for i in range(len(points))
        for j in range(i + 1, len(points))
    )
    return Trend(
        central=_line(points, percentile(slopes, 0.5)),
        low=_line(points, percentile(slopes, 0.25)),
        high=_line(points, percentile(slopes, 0.75)),
        points=len(points),
    )


def month_offset(as_of: dt.date, month: dt.date) -> int:
    return (month.year - as_of.year) * 12 + month.month - as_of.month


def trend_of(history: Iterable[tuple[dt.date, float]], as_of: dt.date) -> Trend | None:
    """The trend of the approved values of the TREND_MONTHS months up to `as_of` (later or older ones ignored)."""
    points = sorted(
        (offset, float(value))
        for month, value in history
        if -TREND_MONTHS < (offset := month_offset(as_of, month)) <= 0 and value is not None
    )
    return theil_sen(points)


def crossing_offset(line: Line, comparison: str, threshold: float, limit: int) -> int | None:
    """The first month offset, 1 to `limit`, at which the line meets the threshold; None when it never does."""
    if not ((comparison in RISING and line.slope > 0) or (comparison in FALLING and line.slope < 0)):
        return None  # flat or moving away
    # Solve intercept + slope * m against the threshold for m; dividing by a negative slope turns <= into >=.
    exact = (threshold - line.intercept) / line.slope
    offset = math.ceil(exact - EPSILON) if comparison in (">=", "<=") else math.floor(exact + EPSILON) + 1
    offset = max(1, offset)
    return offset if offset <= limit else None


# ---------------------------------------------------------------- one indicator


@dataclass(frozen=True, slots=True)
class IndicatorForecast:
    """When an indicator not met now would be met at its pace: a forecast, never a result."""

    is_forecast: ClassVar[bool] = True

    set_code: str
    code: str
    name: str
    measure: str
    comparison: str
    threshold: Any
    value: Any
    state: ForecastState
    month: dt.date | None = None  # the central crossing (the forecast month when met now)
    early: dt.date | None = None
    late: dt.date | None = None
    trend: Trend | None = None
    horizon: dt.date = HORIZON

    @property
    def label(self) -> str:
        """What the scorecard shows beside the indicator."""
        if self.state is ForecastState.MET:
            return _("đã đạt")
        if self.state is ForecastState.NOT_COMPUTED:
            return _("chưa tính dự báo")
        if self.month is not None:
            return _("với nhịp độ này: đạt vào %(month)s") % {"month": f"{self.month:%m/%Y}"}
        return _("không đạt với xu hướng hiện tại")

    @property
    def reason(self) -> str:
        """Why there is no crossing month (empty when there is one)."""
        return {
            ForecastState.NOT_AT_PACE: _("xu hướng đi ngang, đi xa ngưỡng hoặc chỉ chạm ngưỡng sau %(horizon)s")
            % {"horizon": f"{self.horizon:%m/%Y}"},
            ForecastState.NO_TREND: _("chưa đủ %(points)s tháng có số liệu được duyệt trong %(months)s tháng gần nhất")
            % {"points": MIN_POINTS, "months": TREND_MONTHS},
            ForecastState.QUALITATIVE: _("chỉ tiêu có/không hoặc định tính: không có xu hướng để dự báo"),
            ForecastState.NO_DATA: _("chưa có số liệu hoặc chưa có ngưỡng áp dụng"),
            ForecastState.NOT_COMPUTED: _("chưa tính: xã còn chỉ tiêu không có xu hướng ở mức này hoặc mức thấp hơn"),
        }.get(self.state, "")


def _months_to(as_of: dt.date, horizon: dt.date) -> int:
    return max(0, month_offset(as_of, horizon))


def _crossings(trend: Trend, comparison: str, threshold: float, as_of: dt.date, horizon: dt.date) -> tuple:
    limit = _months_to(as_of, horizon)
    early_line, late_line = (trend.high, trend.low) if comparison in RISING else (trend.low, trend.high)
    found = []
    for line in (trend.central, early_line, late_line):
        offset = crossing_offset(line, comparison, threshold, limit)
        found.append(None if offset is None else shift_month(as_of, offset))
    return tuple(found)


def _state_without_trend(indicator: IndicatorInput) -> ForecastState | None:
    """The state of an indicator whose figures cannot give a crossing, None when a trend may."""
    if indicator.value is None or indicator.threshold is None:
        return ForecastState.NO_DATA
    trendable = indicator.kind in TRENDABLE_KINDS and indicator.comparison in RISING + FALLING
    if not trendable or isinstance(indicator.threshold, bool | str):
        return ForecastState.QUALITATIVE
    return None


def has_trend(indicator: IndicatorInput) -> bool:
    """Whether the indicator's figures can give a crossing month (a number with a threshold to move towards)."""
    return _state_without_trend(indicator) is None


def trend_measures(commune: CommuneInput, every: bool = False) -> set[str]:
    """The measures whose history can change the commune's forecast: those of the indicators with a trend in the
    sets it has not reached, below the first set holding an indicator without a trend (that set's tier and every
    tier above can no longer be reached at this pace, whatever the trends). `every`: in every set it misses, for
    a page that shows each indicator's own month (the scorecard, the back-test)."""
    needed: set[str] = set()
    for set_input in commune.sets:
        if set_input.reached:
            continue
        if not set_input.complete:
            break
        blocked = not all(has_trend(i) for i in set_input.not_met)
        if blocked and not every:
            break
        needed.update(i.measure for i in set_input.not_met if has_trend(i))
    return needed


def forecast_indicator(
    indicator: IndicatorInput, as_of: dt.date, horizon: dt.date = HORIZON, trend: Trend | None = None
) -> IndicatorForecast:
    """The crossing month of an indicator not met in `as_of` (`trend`: already computed for its measure)."""
    base = {
        "set_code": indicator.set_code,
        "code": indicator.code,
        "name": indicator.name,
        "measure": indicator.measure,
        "comparison": indicator.comparison,
        "threshold": indicator.threshold,
        "value": indicator.value,
        "horizon": horizon,
    }
    state = _state_without_trend(indicator)
    if state is not None:
        return IndicatorForecast(**base, state=state)
    if trend is None and indicator.history is None:
        return IndicatorForecast(**base, state=ForecastState.NOT_COMPUTED)
    trend = trend or trend_of(indicator.history, as_of)
    if trend is None:
        return IndicatorForecast(**base, state=ForecastState.NO_TREND)
    month, early, late = _crossings(trend, indicator.comparison, float(indicator.threshold), as_of, horizon)
    state = ForecastState.CROSSES if month is not None else ForecastState.NOT_AT_PACE
    return IndicatorForecast(**base, state=state, month=month, early=early, late=late, trend=trend)


# ---------------------------------------------------------------- one commune, one tier


@dataclass(frozen=True, slots=True)
class CommuneForecast:
    """When a commune would reach a tier at its pace: the latest crossing of what it misses. A forecast."""

    is_forecast: ClassVar[bool] = True

    unit_id: int
    code: str
    name: str
    tier: str
    tier_now: str
    state: ForecastState  # MET, CROSSES, NOT_AT_PACE or NO_DATA
    month: dt.date | None = None
    early: dt.date | None = None
    late: dt.date | None = None
    indicators: tuple[IndicatorForecast, ...] = ()  # what it misses in the sets up to the tier

    def reaches_by(self, deadline: dt.date, case: str = "central") -> bool:
        """Reaches the tier by the deadline: `case` central, early (optimistic) or late (pessimistic)."""
        month = {"central": self.month, "early": self.early, "late": self.late}[case]
        return month is not None and month <= deadline

    @property
    def label(self) -> str:
        if self.state is ForecastState.MET:
            return _("đã đạt")
        if self.month is not None:
            return _("với nhịp độ này: đạt vào %(month)s") % {"month": f"{self.month:%m/%Y}"}
        return _("không đạt với xu hướng hiện tại")

    @property
    def blocking(self) -> tuple[IndicatorForecast, ...]:
        """The indicators that keep it from the tier at this pace (no crossing), or the last to cross."""
        never = tuple(i for i in self.indicators if i.month is None and i.state is not ForecastState.NOT_COMPUTED)
        if never or self.month is None:
            return never
        return tuple(i for i in self.indicators if i.month == self.month)


def _latest(months: Iterable[dt.date | None]) -> dt.date | None:
    """The latest month, None (never) as soon as one is None."""
    latest = None
    for month in months:
        if month is None:
            return None
        latest = month if latest is None or month > latest else latest
    return latest


def forecast_commune_tiers(
    commune: CommuneInput, tiers: Sequence[str], as_of: dt.date, horizon: dt.date = HORIZON
) -> dict[str, CommuneForecast]:
    """The commune's forecast for each tier; each indicator, and each measure's trend, computed once."""
    trends: dict[str, Trend | None] = {}
    by_set: dict[str, list[IndicatorForecast]] = {}
    for set_input in commune.sets:
        forecasts = by_set[set_input.code] = []
        for indicator in set_input.not_met:
            trend = None
            if indicator.history is not None and has_trend(indicator):
                if indicator.measure not in trends:
                    trends[indicator.measure] = trend_of(indicator.history, as_of)
                trend = trends[indicator.measure]
            forecasts.append(forecast_indicator(indicator, as_of, horizon, trend))
    return {tier: _commune_tier(commune, tier, by_set, as_of) for tier in tiers}


def forecast_commune(commune: CommuneInput, tier: str, as_of: dt.date, horizon: dt.date = HORIZON) -> CommuneForecast:
    """When the commune would reach `tier` at its pace."""
    return forecast_commune_tiers(commune, (tier,), as_of, horizon)[tier]


def _commune_tier(
    commune: CommuneInput, tier: str, by_set: dict[str, list[IndicatorForecast]], as_of: dt.date
) -> CommuneForecast:
    base = {"unit_id": commune.unit_id, "code": commune.code, "name": commune.name, "tier": tier}
    base["tier_now"] = commune.tier_now
    target = next((s for s in commune.sets if s.tier == tier), None)
    if not commune.judged or target is None:
        return CommuneForecast(**base, state=ForecastState.NO_DATA)
    ladder = [s for s in commune.sets if s.rank <= target.rank]
    if all(s.reached for s in ladder):
        return CommuneForecast(**base, state=ForecastState.MET, month=as_of, early=as_of, late=as_of)
    missing = tuple(i for s in ladder for i in by_set.get(s.code, ()))
    if not missing or not all(s.complete for s in ladder):
        # Not reached with nothing listed as missing does not happen with the engine's summaries, and a set not read
        # sits above one that blocks (trend_measures): never, in both cases.
        return CommuneForecast(**base, state=ForecastState.NOT_AT_PACE, indicators=missing)
    month = _latest(i.month for i in missing)
    return CommuneForecast(
        **base,
        state=ForecastState.CROSSES if month is not None else ForecastState.NOT_AT_PACE,
        month=month,
        early=_latest(i.early for i in missing),
        late=_latest(i.late for i in missing),
        indicators=missing,
    )


# ---------------------------------------------------------------- a target, and a whole scope


def counts_by(forecasts: Iterable[CommuneForecast], deadline: dt.date) -> tuple[int, int, int]:
    """(low, central, high): the communes reaching the tier by the deadline in the late, central and early case."""
    low = central = high = 0
    for forecast in forecasts:
        low += forecast.reaches_by(deadline, "late")
        central += forecast.reaches_by(deadline, "central")
        high += forecast.reaches_by(deadline, "early")
    return low, central, high


@dataclass(frozen=True, slots=True)
class TargetForecast:
    """How many communes would reach a target's tier by its deadline at their pace, with a range. A forecast."""

    is_forecast: ClassVar[bool] = True

    target: TargetInput
    as_of: dt.date
    low: int
    central: int
    high: int
    met_now: int
    out_of: int  # the judged communes of the scope
    deciding: tuple[CommuneForecast, ...] = ()  # reach it early, not late: high - low of them
    next_in_line: tuple[CommuneForecast, ...] = ()  # the soonest of those that miss the deadline even early

    @property
    def reaches_target(self) -> bool | None:
        """True: even the low count meets the target; False: not even the high one; None: the range decides."""
        if self.low >= self.target.count:
            return True
        if self.high < self.target.count:
            return False
        return None

    @property
    def text(self) -> str:
        """The dashboard's line: "dự báo: 54-58 / 60 xã (kế hoạch 2025)"."""
        counted = str(self.central) if self.low == self.high else f"{self.low}-{self.high}"
        return _("dự báo: %(counted)s / %(target)s xã (%(label)s)") % {
            "counted": counted,
            "target": self.target.count,
            "label": self.target.label,
        }


def _soonest(forecast: CommuneForecast) -> tuple:
    return (forecast.month or dt.date.max, forecast.early or dt.date.max, forecast.code)


def forecast_target(
    forecasts: Sequence[CommuneForecast], target: TargetInput, as_of: dt.date, out_of: int | None = None
) -> TargetForecast:
    """The target's forecast from the communes' forecasts for its tier: every count is their plain sum."""
    deadline = target.deadline
    low, central, high = counts_by(forecasts, deadline)
    open_ = [f for f in forecasts if f.state is not ForecastState.MET]
    deciding = [f for f in open_ if f.reaches_by(deadline, "early") and not f.reaches_by(deadline, "late")]
    later = [f for f in open_ if f.early is not None and f.early > deadline]
    return TargetForecast(
        target=target,
        as_of=as_of,
        low=low,
        central=central,
        high=high,
        met_now=sum(1 for f in forecasts if f.state is ForecastState.MET),
        out_of=len(forecasts) if out_of is None else out_of,
        deciding=tuple(sorted(deciding, key=_soonest)),
        next_in_line=tuple(sorted(later, key=_soonest)[:NEXT_IN_LINE]),
    )


@dataclass(frozen=True, slots=True)
class ScopeForecast:
    """Every commune's forecast for every tier of the ladder, and each target's. A forecast, never a result."""

    is_forecast: ClassVar[bool] = True

    scope_id: int | None
    scope_name: str
    as_of: dt.date
    programme: str
    horizon: dt.date
    communes: dict[str, tuple[CommuneForecast, ...]] = field(default_factory=dict)  # tier -> one per commune
    targets: tuple[TargetForecast, ...] = ()

    @property
    def method(self) -> str:
        return method_text(self.horizon)

    def commune(self, unit_id: int, tier: str) -> CommuneForecast | None:
        return next((f for f in self.communes.get(tier, ()) if f.unit_id == unit_id), None)


def forecast_scope(inputs: ForecastInputs, horizon: dt.date | None = None) -> ScopeForecast:
    """The forecast of a province (or any scope): each commune for each tier, then each target as their sum."""
    horizon = horizon or inputs.horizon
    by_tier: dict[str, list[CommuneForecast]] = {tier: [] for tier in inputs.tiers}
    for commune in inputs.communes:
        for tier, forecast in forecast_commune_tiers(commune, inputs.tiers, inputs.as_of, horizon).items():
            by_tier[tier].append(forecast)
    targets = tuple(
        forecast_target(by_tier[t.tier], t, inputs.as_of, len(inputs.communes))
        # By year, then up the ladder: đạt chuẩn before nâng cao before kiểu mẫu, as the dashboards list tiers.
        for t in sorted(inputs.targets, key=lambda t: (t.year, inputs.tiers.index(t.tier) if t.tier in by_tier else 0))
        if t.tier in by_tier and t.deadline >= inputs.as_of
    )
    return ScopeForecast(
        scope_id=inputs.scope_id,
        scope_name=inputs.scope_name,
        as_of=inputs.as_of,
        programme=inputs.programme,
        horizon=horizon,
        communes={tier: tuple(forecasts) for tier, forecasts in by_tier.items()},
        targets=targets,
    )


def method_text(horizon: dt.date = HORIZON) -> str:
    """How the forecast is computed, for the dashboard's "cách tính"."""
    return _(
        "Đây là dự báo, không phải kết quả đánh giá. Với mỗi xã và mỗi chỉ tiêu xã chưa đạt: lấy các tháng có số liệu "
        "được duyệt trong %(months)s tháng gần nhất (tháng chỉ giữ số liệu cũ không tính là một lần đo), cần ít nhất "
        "%(points)s tháng; kẻ đường xu hướng Theil-Sen (độ dốc là trung vị độ dốc giữa mọi cặp tháng, nên một tháng "
        "bất thường ít làm lệch) và tìm tháng đầu tiên đường này chạm ngưỡng đang áp dụng cho xã. Xu hướng đi ngang, "
        "đi xa ngưỡng hoặc chỉ chạm ngưỡng sau %(horizon)s (tháng cuối bộ tiêu chí hiện hành còn áp dụng): không đạt "
        "với xu hướng hiện tại; chỉ tiêu có/không và chỉ tiêu định tính không có xu hướng. Xã đạt một mức khi mọi "
        "chỉ tiêu còn thiếu của các bộ tiêu chí đến mức đó "
        "đều đã chạm ngưỡng (tháng muộn nhất). Số dự báo là số xã đạt mức đến tháng 12 của năm chỉ tiêu; khoảng dự "
        "báo dùng độ dốc ở phân vị 25 và 75 của các độ dốc từng cặp (số thấp: chậm, số cao: nhanh); các xã quyết định "
        "là các xã đạt mức đúng hạn khi tính nhanh nhưng không đạt khi tính chậm. Chỉ tiêu đang đạt được coi là giữ "
        "nguyên; ngưỡng giữ như tháng dự báo."
    ) % {"months": TREND_MONTHS, "points": MIN_POINTS, "horizon": f"{horizon:%m/%Y}"}
