"""Judging a unit: its criteria definition, its threshold profile and its figures, put together in one place for the
entry page, the scorecard and the recompute of statuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from communes.groups import groups_on
from communes.models import AdministrativeUnit, Level
from communes.months import month_end
from criteria.batch import summarize_units
from criteria.definitions import build_programme
from criteria.evaluation import ProgrammeDef, ProgrammeResult, UnitProfile, evaluate_programme
from criteria.models import Measure, Programme
from criteria.summary import summarize_programme
from monthly.figures import carried_values
from monthly.services import CRITERIA_LEVEL

LOOK_UP = object()


def uses_groups(definition: ProgrammeDef) -> bool:
    """Whether any threshold of the definition depends on the commune group (the 2026-2030 sets), cached on it."""
    cached = definition.threshold_cache.get("uses_groups")
    if cached is None:
        cached = any(
            t.group is not None for s in definition.sets for c in s.criteria for i in c.indicators for t in i.thresholds
        )
        definition.threshold_cache["uses_groups"] = cached
    return cached


def evaluate_unit(
    unit: AdministrativeUnit,
    period: dt.date,
    values: Mapping[str, Any],
    *,
    province_region: str | None,
    definition: ProgrammeDef,
    summary: bool = False,
    group: int | None | object = LOOK_UP,
    failing_for: str = "next",
):
    """A unit's figures (measure code → value) judged for a month by the programme's definition, with the
    thresholds of the unit's profile: every indicator explained, or (`summary`) the tier and each set's summary
    through the engine's compiled batch path. `group`: the commune's group in force in the month when the caller
    read it for many units at once (communes.groups.groups_on); LOOK_UP reads it. `failing_for` ("next" or "all"):
    the sets whose failing indicators a summary keeps (criteria.summary.summarize_programme)."""
    grouped = unit.level == Level.COMMUNE and uses_groups(definition)
    if grouped and group is LOOK_UP:
        group = groups_on([unit.pk], month_end(period)).get(unit.pk)
    profile = _profile(unit, province_region, grouped, group)
    level = CRITERIA_LEVEL.get(unit.level, unit.level)
    year = _year(definition, period)
    if summary:
        return summarize_programme(definition, profile, year, values, level=level, failing_for=failing_for)
    result = evaluate_programme(definition, profile, year, values, level=level)
    result.uses_groups, result.group = grouped, profile.group
    return result


def summarize_many(
    units: list[AdministrativeUnit],
    period: dt.date,
    values: Mapping[int, Mapping[Any, Any]],
    *,
    regions: Mapping[str, str],
    definitions: Mapping[str, ProgrammeDef],
    groups: Mapping[int, int],
    keys: Mapping[str, Any] | None = None,
) -> dict[int, tuple]:
    """evaluate_unit(summary=True) of many units at once, by unit pk, through the engine's column path
    (criteria.batch): the recompute of a month. `values` by unit pk, each by measure code or, with `keys`, by the
    key given for each code; `regions` by province path; `definitions` by province code; `groups` the communes'
    groups in force in the month."""
    batches: dict[tuple[int, str], tuple[ProgrammeDef, str, list[int], list]] = {}
    for unit in units:
        definition = definitions[unit.province_code]
        grouped = unit.level == Level.COMMUNE and uses_groups(definition)
        profile = _profile(unit, regions.get(unit.province_path, ""), grouped, groups.get(unit.pk))
        level = CRITERIA_LEVEL.get(unit.level, unit.level)
        batch = batches.setdefault((id(definition), level), (definition, level, [], []))
        batch[2].append(unit.pk)
        batch[3].append((profile, values.get(unit.pk, {})))
    results: dict[int, tuple] = {}
    for definition, level, pks, items in batches.values():
        year = _year(definition, period)
        results.update(zip(pks, summarize_units(definition, year, items, level=level, keys=keys), strict=True))
    return results


def _profile(unit: AdministrativeUnit, province_region: str | None, grouped: bool, group) -> UnitProfile:
    """The unit's threshold profile; a grouped commune's with its group in force on the month's last day (none:
    "chưa phân nhóm", judged by no group's requirement)."""
    profile = unit.threshold_profile(province_region)
    return dataclasses.replace(profile, group=group) if grouped else profile


def _year(definition: ProgrammeDef, period: dt.date) -> int:
    # The 2021-2025 sets judge until January 2026, with their last year's thresholds.
    return min(period.year, definition.last_year or period.year)


def evaluate_approved(
    unit: AdministrativeUnit, period: dt.date, *, programme: Programme, province_region: str | None
) -> tuple[ProgrammeResult, dict[int, Any]]:
    """A unit judged on its approved figures of the month, carried forward (and those figures, by measure id)."""
    carried = carried_values([unit.pk], period).get(unit.pk, {})
    codes = dict(Measure.objects.values_list("pk", "code"))
    values = {codes[pk]: value for pk, value in carried.items() if pk in codes}
    definition = build_programme(programme.code, unit.province_code, month_end(period))
    return evaluate_unit(unit, period, values, province_region=province_region, definition=definition), carried
