"""Changes and computations on criteria that pages, commands and the API share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from criteria.definitions import build_programme
from criteria.evaluation import ProgrammeResult, UnitProfile, evaluate_programme
from criteria.models import CriteriaSet, Indicator, SetStatus, Threshold


class UnknownCriteria(Exception):
    """A programme or set code that does not exist (message in Vietnamese)."""


def evaluate_values(
    *,
    programme: str,
    profile: UnitProfile,
    year: int,
    values: Mapping[str, Any],
    set_code: str | None = None,
    level: str | None = None,
) -> ProgrammeResult:
    """The explained result of a unit (or a region and flags) against a programme, or one set of it."""
    # The sets' versions in force at the end of that year.
    definition = build_programme(programme, profile.province_code, dt.date(year, 12, 31))
    if not definition.sets:
        message = _("Không có giai đoạn '%(programme)s' hoặc giai đoạn chưa có bộ tiêu chí nào.")
        raise UnknownCriteria(message % {"programme": programme})
    if set_code is not None:
        chosen = definition.set(set_code)
        if chosen is None:
            message = _("Giai đoạn %(programme)s không có bộ tiêu chí '%(set)s'.")
            raise UnknownCriteria(message % {"programme": programme, "set": set_code})
        level = chosen.level
    return evaluate_programme(definition, profile, year, values, level=level or "commune", only=set_code)


@transaction.atomic
def clone_set_for_province(*, criteria_set: CriteriaSet, province_code: str, province_name: str) -> CriteriaSet:
    """A draft provincial copy of a national set, thresholds and all, which the province then tightens."""
    if criteria_set.province_code:
        raise ValueError(_("Chỉ nhân bản được bộ tiêu chí quốc gia."))
    if CriteriaSet.objects.filter(
        programme=criteria_set.programme, code=criteria_set.code, province_code=province_code
    ).exists():
        message = _("%(province)s đã có bộ tiêu chí '%(set)s' của giai đoạn này.")
        raise ValueError(message % {"province": province_name, "set": criteria_set.code})
    clone = CriteriaSet.objects.create(
        programme=criteria_set.programme,
        code=criteria_set.code,
        name=f"{criteria_set.name} ({province_name})",
        level=criteria_set.level,
        unit_kinds=list(criteria_set.unit_kinds),
        tier=criteria_set.tier,
        rank=criteria_set.rank,
        legal_basis=criteria_set.legal_basis,
        description=criteria_set.description,
        province_code=province_code,
        province_name=province_name,
        derived_from=criteria_set,
        status=SetStatus.DRAFT,
    )
    copy_contents(criteria_set, clone)
    return clone


def copy_contents(source: CriteriaSet, target: CriteriaSet) -> None:
    """Copy the source set's criteria, indicators and thresholds into the (empty) target set: a province's clone,
    or a draft version (criteria.editing). Thresholds go in one insert."""
    thresholds = []
    for criterion in source.criteria.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
        Prefetch("indicators__thresholds", queryset=Threshold.objects.order_by("pk")),
    ):
        indicators = list(criterion.indicators.all())
        criterion.pk, criterion.criteria_set = None, target
        criterion.save()
        for indicator in indicators:
            rows = list(indicator.thresholds.all())
            indicator.pk, indicator.criterion = None, criterion
            indicator.save()
            for row in rows:
                row.pk, row.indicator = None, indicator
                thresholds.append(row)
    Threshold.objects.bulk_create(thresholds)
