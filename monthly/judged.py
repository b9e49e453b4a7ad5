"""Which units the criteria judge in a month: only they are asked for NTM figures and listed as overdue.

The answer is data on the criteria sets (CriteriaSet.unit_kinds, `applies_to` in the YAML), never a kind named here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from communes.models import AdministrativeUnit, Level
from communes.months import month_code, shift_month
from criteria.models import CriteriaSet, JudgedKinds


def judged_kinds_in(period: dt.date, level: str, province_code: str = "") -> JudgedKinds:
    """The unit kinds that the sets in force in that month judge at this level (one query)."""
    return CriteriaSet.objects.in_month(period).judged_kinds(None, level, province_code)


def only_judged(units: QuerySet, kinds: JudgedKinds) -> QuerySet:
    """These units, less those of a kind the criteria do not judge."""
    if kinds.every:
        return units
    return units.filter(kind__in=sorted(kinds.kinds))


def is_judged(unit: AdministrativeUnit, period: dt.date) -> bool:
    """Whether the criteria in force that month judge this commune or district (the entry page asks before it shows
    the NTM form; a ward or a town is told why there is none). Villages and provinces are not judged here."""
    return unit.kind in judged_kinds_in(period, unit.level, unit.province_code)


def not_judged_page(request, unit: AdministrativeUnit, period: dt.date, status: int = 200) -> HttpResponse | None:
    """The page a ward or a town gets instead of the NTM entry form (None for a unit the criteria judge): the
    entry view calls it first, e.g. `if (refusal := not_judged_page(request, unit, period)): return refusal`;
    POSTs pass status=409."""
    if unit.level not in (Level.COMMUNE, Level.DISTRICT) or is_judged(unit, period):
        return None
    context = {
        "unit": unit,
        "period": period,
        "month": month_code(period),
        "months": {"previous": month_code(shift_month(period, -1)), "next": month_code(shift_month(period, 1))},
    }
    return render(request, "monthly/not_judged.html", context, status=status)
