"""The engine's column path: many units judged at once, one indicator across all of them at a time.

summarize_units gives each unit exactly what criteria.summary.summarize_programme gives it (tests/criteria/
test_batch.py holds the two to the same answers) for a whole province or country in one call. Units that share a
threshold profile share one compiled set, each measure's values are coerced once per column, and an indicator is
judged for the whole column in one comprehension: the per-unit, per-indicator calls were most of a national
recompute's time (benchmarks/status.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import repeat
from typing import Any

from criteria.evaluation import ProgrammeDef, SetDef, UnitProfile, _json_value
from criteria.measures import InvalidValue, compare
from criteria.summary import _NUMERIC_FAST, SetSummary, _compiled_set, _set_conditions, _value

Result = tuple[str | None, dict[str, SetSummary]]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a country's figures are read and judged.

    Those are a million small lists, tuples and dicts, none in a cycle (reference counting frees them): the
    collector's passes over them were a third of the judging's time (benchmarks/status.py). It runs again after,
    on whatever did form a cycle meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def summarize_units(
    programme: ProgrammeDef,
    year: int,
    units: Sequence[tuple[UnitProfile, Mapping[Any, Any]]],
    *,
    level: str = "commune",
    failing_for: str = "next",
    keys: Mapping[str, Any] | None = None,
) -> list[Result]:
    """The tier and a summary per set of each (profile, values) unit, in the order given, judged for one year.

    `keys`: the key each measure code's value is under in the units' values (the recompute's values are by measure
    id); without it, the codes themselves. `failing_for` as in summarize_programme.
    """
    ladder = programme.ladder(level)
    conditions = [c for set_def in ladder for c in _set_conditions(programme, set_def)]
    # A condition reads only its own measure's figure: a unit's values by code are made of those figures alone.
    measured = {c.measure: (keys or {}).get(c.measure, c.measure) for c in conditions}
    groups: dict[tuple, list[int]] = {}
    for index, (profile, values) in enumerate(units):
        if conditions:
            figures = {code: values.get(key) for code, key in measured.items()}
            outcomes = tuple(c.holds(figures) for c in conditions)
        else:
            outcomes = ()
        key = (profile.threshold_region, profile.applies_tdmnpb, profile.group, outcomes)
        groups.setdefault(key, []).append(index)
    results: list[Result | None] = [None] * len(units)
    for indexes in groups.values():
        profile, values = units[indexes[0]]
        # The compiled sets depend on the units' figures only through the conditions, the same for the group.
        figures = {code: values.get(key) for code, key in measured.items()}
        compiled = [_compiled_set(programme, set_def, profile, year, figures) for set_def in ladder]
        columns = _Columns([units[i][1] for i in indexes], keys)
        for index, result in zip(indexes, columns.judge_ladder(ladder, compiled, failing_for), strict=True):
            results[index] = result
    return results  # type: ignore[return-value]


class _Columns:
    """A group's values as columns, one per measure, coerced once whatever the sets and indicators reading them."""

    def __init__(self, values: list[Mapping[Any, Any]], keys: Mapping[str, Any] | None):
        # Plain dicts, so that a column is read with dict.get mapped over them (a third faster than a comprehension).
        self.values = [v if type(v) is dict else dict(v) for v in values]
        self.keys = keys
        self.size = len(values)
        self.coerced: dict[str, list] = {}
        self.invalid: dict[str, set[int]] = {}
        self.reached: dict[str, list[bool]] = {}

    def judge_ladder(self, ladder: list[SetDef], compiled: list[tuple], failing_for: str) -> list[Result]:
        size = self.size
        tiers: list[str | None] = [None] * size
        summaries: list[dict[str, SetSummary]] = [{} for _ in range(size)]
        lower_all_reached = [True] * size
        for set_def, criteria in zip(ladder, compiled, strict=True):
            # "next" keeps the failing indicators of the next tier only: units whose lower tiers are all reached.
            keep = None if failing_for == "all" else lower_all_reached
            met, set_summaries = self.summarize(criteria, keep)
            reached = [low and m for low, m in zip(lower_all_reached, met, strict=True)]
            for i, summary in enumerate(set_summaries):
                summary.reached = reached[i]
                summaries[i][set_def.code] = summary
                if reached[i]:
                    tiers[i] = set_def.tier
            self.reached[set_def.code] = reached
            lower_all_reached = reached
        return list(zip(tiers, summaries, strict=True))

    def summarize(self, compiled: tuple, keep: list[bool] | None) -> tuple[list[bool], list[SetSummary]]:
        """Each unit's verdict on the set (every criterion met) and its summary, `reached` left for the ladder."""
        size = self.size
        failed: list[list[int]] = [[] for _ in range(size)]
        key_failed: list[list[int]] = [[] for _ in range(size)]
        no_data: list[list[int]] = [[] for _ in range(size)]
        failing: list[dict[str, list]] = [{} for _ in range(size)]
        all_met = [bool(compiled)] * size
        total = 0
        for number, is_key, is_condition, entries in compiled:
            verdicts = [self.verdicts(entry) for entry in entries]
            state = _criterion_state(verdicts, size)
            short = [i for i, s in enumerate(state) if s is not True]
            for i in short:
                all_met[i] = False
            for entry, column in zip(entries, verdicts, strict=True):
                self.gather_failing(entry, column, keep, failing)
            if is_condition:
                continue
            total += 1
            for i in short:
                if state[i] is False:
                    failed[i].append(number)
                    if is_key:
                        key_failed[i].append(number)
                else:
                    no_data[i].append(number)
        summaries = [
            SetSummary(
                all_met[i],
                False,
                total - len(failed[i]) - len(no_data[i]),
                total,
                failed[i],
                key_failed[i],
                no_data[i],
                failing[i],
            )
            for i in range(size)
        ]
        return all_met, summaries

    def column(self, measure_code: str, measure, low, high) -> list:
        """The measure's coerced values, None where there is none to judge (no data, blank, or invalid: those are
        remembered in `invalid`)."""
        found = self.coerced.get(measure_code)
        if found is not None:
            return found
        key = self.keys[measure_code] if self.keys is not None else measure_code
        raws = list(map(dict.get, self.values, repeat(key)))
        invalid: set[int] = set()
        kind = measure.kind
        # The commonest cases inline (a finite Decimal within its range, a count's whole Decimal, a yes/no's bool):
        # nearly all of a country's values, with the same checks as criteria.summary._value.
        if kind in _NUMERIC_FAST and low is not None and high is not None:
            column = [
                raw if type(raw) is Decimal and raw.is_finite() and low <= raw <= high else _NOT_YET for raw in raws
            ]
        elif kind in _NUMERIC_FAST or kind == "count":
            column = [
                raw
                if (
                    type(raw) is Decimal
                    and raw.is_finite()
                    and (low is None or raw >= low)
                    and (high is None or raw <= high)
                    and (kind != "count" or raw == raw.to_integral_value())
                )
                else _NOT_YET
                for raw in raws
            ]
        elif kind == "boolean":
            column = [raw if type(raw) is bool else _NOT_YET for raw in raws]
        else:
            column = [_NOT_YET] * len(raws)
        for i in [i for i, value in enumerate(column) if value is _NOT_YET]:
            raw = raws[i]
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                column[i] = None
                continue
            try:
                column[i] = _value(measure, raw, low, high)
            except InvalidValue:
                column[i] = None
                invalid.add(i)
        self.coerced[measure_code] = column
        self.invalid[measure_code] = invalid
        return column

    def verdicts(self, entry: tuple) -> list[bool | None]:
        """Met (True), not met (False) or not judged (None) for each unit, as criteria.summary's verdict."""
        _code, comparison, measure_code, measure, op, threshold, low, high, _shown = entry
        if comparison == "reached":
            return self.reached.get(measure_code) or [None] * self.size
        if comparison == "none":
            return [None] * self.size
        column = self.column(measure_code, measure, low, high)
        if comparison == "achieved":
            return [None if v is None else v is True for v in column]
        if measure.kind == "level":
            return [None if v is None else bool(compare(comparison, v, threshold, measure)[0]) for v in column]
        # Written out per operator: an inline comparison costs half of bool(operator.ge(...)), a million times. The
        # values are numbers (coerced above), whose comparisons give a bool.
        t = threshold
        if comparison == ">=":
            return [None if v is None else v >= t for v in column]
        if comparison == "<=":
            return [None if v is None else v <= t for v in column]
        if comparison == ">":
            return [None if v is None else v > t for v in column]
        if comparison == "<":
            return [None if v is None else v < t for v in column]
        return [None if v is None else bool(op(v, threshold)) for v in column]

    def gather_failing(self, entry: tuple, verdicts: list, keep: list[bool] | None, failing: list[dict]) -> None:
        """[value, threshold, gap] of the indicator for each kept unit that does not meet it, as criteria.summary's
        judge writes it."""
        code, comparison, measure_code, measure, _op, threshold, _low, _high, shown = entry
        short = [i for i, verdict in enumerate(verdicts) if verdict is not True]
        for i in short if keep is None else [i for i in short if keep[i]]:
            verdict = verdicts[i]
            if comparison == "reached":
                failing[i][code] = [None if verdict is None else False, measure_code, None]
            elif comparison == "none":
                failing[i][code] = [None, None, None]
            elif verdict is None:
                invalid = i in self.invalid[measure_code]
                raw = self.values[i].get(self.keys[measure_code] if self.keys is not None else measure_code)
                failing[i][code] = [_json_value(raw) if invalid else None, shown, None]
            else:
                value = self.coerced[measure_code][i]
                if comparison == "achieved":
                    failing[i][code] = [_plain(value), shown, None]
                    continue
                if measure.kind == "level":
                    gap = compare(comparison, value, threshold, measure)[1]
                else:
                    gap = abs(threshold - value)
                failing[i][code] = [_plain(value), shown, _plain(gap)]


_NOT_YET = object()


def _plain(value: Any) -> Any:
    """criteria.evaluation._json_value, its Decimal case first (nearly every failing value and gap)."""
    if type(value) is Decimal:
        return int(value) if value == value.to_integral_value() else float(value)
    return _json_value(value)


def _criterion_state(verdicts: list[list[bool | None]], size: int) -> list[bool | None]:
    """Per unit: True when every indicator is met, False when one is not met, None otherwise (not judged)."""
    if not verdicts:
        return [None] * size
    state = verdicts[0]
    for column in verdicts[1:]:
        # One more indicator: met only if both are, not met if either is not, else not judged.
        state = [b if a is True else (False if b is False else a) for a, b in zip(state, column, strict=True)]
    return state
