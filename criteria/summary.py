"""The batch half of the engine: a whole province or country judged at once, for status snapshots.

summarize_programme judges exactly as criteria.evaluation.evaluate_programme does, with the same thresholds,
coercion and comparisons, but keeps only what a snapshot stores (tests/criteria/test_summary.py holds the two
paths to the same answers). It reuses evaluation's private helpers: the two modules are one engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from criteria.evaluation import ProgrammeDef, SetDef, UnitProfile, _json_value, _threshold_for
from criteria.measures import OPERATORS, Condition, InvalidValue, allowed_range, coerce_value, compare


@dataclass(slots=True)
class SetSummary:
    """What a status snapshot keeps of a set's result: enough for dashboards, watch-lists and gaps."""

    met: bool
    reached: bool
    criteria_met: int
    criteria_total: int
    failed: list[int]  # numbers of counted criteria not met
    key_failed: list[int]  # those of them that are key criteria (QĐ 18/2022)
    no_data: list[int]  # criteria that could not be judged (no data, no threshold, error)
    failing: dict[str, list]  # indicator code -> [value, threshold, gap] for indicators not met

    def as_dict(self) -> dict:
        return {
            "met": self.met,
            "reached": self.reached,
            "criteria_met": self.criteria_met,
            "criteria_total": self.criteria_total,
            "failed": self.failed,
            "key_failed": self.key_failed,
            "no_data": self.no_data,
            "failing": self.failing,
        }


_NUMERIC_FAST = ("number", "percent")


def _set_conditions(programme: ProgrammeDef, set_def: SetDef) -> tuple[Condition, ...]:
    """Every distinct condition the set's threshold rows carry (usually none), remembered on the programme."""
    key = ("conditions", set_def.code, set_def.province_code)
    conditions = programme.threshold_cache.get(key)
    if conditions is None:
        found = {t.when: None for c in set_def.criteria for i in c.indicators for t in i.thresholds if t.when}
        conditions = programme.threshold_cache[key] = tuple(found)
    return conditions


def _compiled_set(
    programme: ProgrammeDef, set_def: SetDef, profile: UnitProfile, year: int, values: Mapping[str, Any]
) -> tuple:
    """A set's criteria with each indicator's threshold already chosen for this classification and year (and
    for what the set's conditions make of the unit's figures, when its rows carry any).

    Units sharing a classification (most of a province) share the compiled form, cached on the programme.
    """
    outcomes = tuple(condition.holds(values) for condition in _set_conditions(programme, set_def))
    key = (
        "compiled",
        set_def.code,
        set_def.province_code,
        profile.threshold_region,
        profile.applies_tdmnpb,
        profile.group,
        year,
        outcomes,
    )
    compiled = programme.threshold_cache.get(key)
    if compiled is not None:
        return compiled
    criteria = []
    for criterion in set_def.criteria:
        entries = []
        for indicator in criterion.indicators:
            measure = indicator.measure
            if indicator.comparison == "reached":
                entries.append((indicator.code, "reached", indicator.reference, None, None, None, None, None, None))
                continue
            threshold, _basis, chosen = _threshold_for(
                indicator, set_def, profile, year, programme, explain=False, values=values
            )
            achieved = indicator.comparison == "achieved"
            if chosen is None or (not achieved and threshold is None):
                entries.append((indicator.code, "none", None, None, None, None, None, None, None))
                continue
            low, high = allowed_range(measure)
            entries.append(
                (
                    indicator.code,
                    "achieved" if achieved else indicator.comparison,
                    measure.code,
                    measure,
                    None if achieved else OPERATORS.get(indicator.comparison),
                    True if achieved else threshold,
                    low,
                    high,
                    # The threshold as a snapshot stores it, made once per compiled set rather than per failure.
                    _json_value(True if achieved else threshold),
                )
            )
        criteria.append((criterion.number, criterion.is_key, criterion.is_condition, tuple(entries)))
    compiled = programme.threshold_cache[key] = tuple(criteria)
    return compiled


def _value(measure, raw: Any, low, high) -> Any:
    """coerce_value, with a shortcut for what the database hands back (same checks, same errors)."""
    kind = measure.kind
    if type(raw) is Decimal and raw.is_finite():
        if kind in _NUMERIC_FAST or (kind == "count" and raw == raw.to_integral_value()):
            if (low is not None and raw < low) or (high is not None and raw > high):
                return coerce_value(measure, raw)  # raises with the message
            return raw
    elif type(raw) is bool and kind == "boolean":
        return raw
    return coerce_value(measure, raw)


def summarize_programme(
    programme: ProgrammeDef,
    profile: UnitProfile,
    year: int,
    values: Mapping[str, Any],
    *,
    level: str = "commune",
    failing_for: str = "all",
) -> tuple[str | None, dict[str, SetSummary]]:
    """The tier and a summary per set, judged exactly as evaluate_programme does but without building the
    explanation of every indicator: the batch path for a whole province or country.

    failing_for="next" keeps the failing indicators only for the set of the next tier (the lowest not reached),
    which is what a stored status needs; "all" keeps them for every set.
    """
    batch = _Batch(values)
    summaries: dict[str, SetSummary] = {}
    tier = None
    lower_all_reached = True
    for set_def in programme.ladder(level):
        # Above the next tier nothing of the failures is kept for "next": they are not even gathered.
        keep = failing_for == "all" or lower_all_reached
        summary = batch.summarize(_compiled_set(programme, set_def, profile, year, values), keep)
        summary.reached = lower_all_reached and summary.met
        # Only the next tier's failing indicators are kept for "next": a reached set has nothing to close, and
        # a set above the next one is not yet in reach.
        if failing_for != "all" and (summary.reached or not lower_all_reached):
            summary.failing = {}
        batch.reached[set_def.code] = summary.reached
        lower_all_reached = summary.reached
        if summary.reached:
            tier = set_def.tier
        summaries[set_def.code] = summary
    return tier, summaries


class _Batch:
    """One unit's values as they are judged up the ladder: each value is coerced once, whatever the tiers
    reading it, and an invalid one is remembered as such."""

    def __init__(self, values: Mapping[str, Any]):
        self.values = values
        self.reached: dict[str, bool] = {}
        self.coerced: dict[str, Any] = {}
        self.invalid: set[str] = set()

    def summarize(self, compiled: tuple, keep_failing: bool = True) -> SetSummary:
        """A set's summary, `reached` left False for the ladder to decide; without keep_failing its `failing` stays
        empty (the verdicts are the same)."""
        failed, key_failed, no_data, failing = [], [], [], {}
        judge = self.judge if keep_failing else self.verdict
        criteria_met = criteria_total = 0
        all_met = bool(compiled)
        for number, is_key, is_condition, entries in compiled:
            met_all, not_met = bool(entries), False
            for entry in entries:
                verdict = judge(entry, failing)
                if verdict is not True:
                    met_all = False
                    not_met = not_met or verdict is False
            all_met = all_met and met_all
            if is_condition:
                continue
            criteria_total += 1
            if met_all:
                criteria_met += 1
            elif not_met:
                failed.append(number)
                if is_key:
                    key_failed.append(number)
            else:
                no_data.append(number)
        return SetSummary(all_met, False, criteria_met, criteria_total, failed, key_failed, no_data, failing)

    def value_of(self, measure_code: str, measure, low, high) -> Any:
        """The unit's value of a measure, coerced once; None when there is none to judge (no data, or invalid,
        which is then remembered in `invalid`)."""
        value = self.coerced.get(measure_code)
        if value is not None or measure_code in self.invalid:
            return value
        raw = self.values.get(measure_code)
        if raw is None:
            return None
        # _value's commonest case inline (a finite Decimal for a number or a percentage, within its range): it is
        # most of a country's million judgements.
        if (
            type(raw) is Decimal
            and measure.kind in _NUMERIC_FAST
            and raw.is_finite()
            and (low is None or raw >= low)
            and (high is None or raw <= high)
        ):
            self.coerced[measure_code] = raw
            return raw
        if isinstance(raw, str) and not raw.strip():
            return None
        try:
            value = self.coerced[measure_code] = _value(measure, raw, low, high)
        except InvalidValue:
            self.invalid.add(measure_code)
            return None
        return value

    def judge(self, entry: tuple, failing: dict[str, list]) -> bool | None:
        """Met (True), not met (False) or not judged (None: no data, no threshold, an invalid value); an
        indicator not met goes into `failing` as [value, threshold, gap]."""
        code, comparison, measure_code, measure, op, threshold, _low, _high, shown = entry
        if comparison == "reached":
            if measure_code not in self.reached:
                failing[code] = [None, measure_code, None]
                return None
            if not self.reached[measure_code]:
                failing[code] = [False, measure_code, None]
                return False
            return True
        if comparison == "none":
            failing[code] = [None, None, None]
            return None
        value = self.value_of(measure_code, measure, _low, _high)
        if value is None:
            invalid = measure_code in self.invalid
            failing[code] = [_json_value(self.values.get(measure_code)) if invalid else None, shown, None]
            return None
        if comparison == "achieved":
            ok, gap = value is True, None
        elif measure.kind == "level":
            ok, gap = compare(comparison, value, threshold, measure)
        else:
            ok = op(value, threshold)
            gap = None if ok else abs(threshold - value)
        if not ok:
            failing[code] = [_json_value(value), shown, _json_value(gap)]
        return bool(ok)

    def verdict(self, entry: tuple, _failing: dict[str, list]) -> bool | None:
        """judge's verdict without gathering the failure (the sets whose failures a snapshot does not keep)."""
        _code, comparison, measure_code, measure, op, threshold, low, high, _shown = entry
        if comparison == "reached":
            return self.reached.get(measure_code)
        if comparison == "none":
            return None
        value = self.value_of(measure_code, measure, low, high)
        if value is None:
            return None
        if comparison == "achieved":
            return value is True
        if measure.kind == "level":
            return bool(compare(comparison, value, threshold, measure)[0])
        return bool(op(value, threshold))
