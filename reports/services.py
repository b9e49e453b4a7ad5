"""What pages of the reports app compute from units and criteria together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min, Q, Subquery

from communes.models import AdministrativeUnit, Kind, Level
from communes.services import carried_values, programme_for
from criteria.definitions import build_programmes_by_province
from criteria.evaluation import summarize_programme
from criteria.models import CriteriaSet, Measure, Programme
from criteria.models import Level as CriteriaLevel
from reports.models import Status


def what_if_measures(*, programme: str, set_code: str = "", province_code: str = "") -> list[Measure]:
    """The measures a commune's evaluation reads, in one query, in the order of the criteria that first use them.

    With one set chosen, the lower sets of its ladder count too: its 'reached' indicators depend on them.
    """
    sets = CriteriaSet.objects.filter(programme__code=programme, level=CriteriaLevel.COMMUNE).in_force_for(
        province_code
    )
    if set_code:
        chosen_rank = CriteriaSet.objects.national().filter(programme__code=programme, code=set_code).values("rank")
        sets = sets.filter(rank__lte=Subquery(chosen_rank[:1]))
    # filter() before annotate(): the minimums run over the same join, so only these sets' criteria count.
    return list(
        Measure.objects.filter(indicators__criterion__criteria_set__in=sets)
        .annotate(
            first_rank=Min("indicators__criterion__criteria_set__rank"),
            first_criterion=Min("indicators__criterion__number"),
        )
        .order_by("first_rank", "first_criterion", "code")
    )


# ---------------------------------------------------------------- statuses


TIER_RANK = {"": 0, "standard": 1, "advanced": 2, "model": 3}
CRITERIA_LEVEL = {Level.COMMUNE: "commune", Level.DISTRICT: "district", Level.VILLAGE: "village"}
# District measures of QĐ 320 that the portal derives from its communes' statuses instead of asking for them.
DERIVED_DISTRICT_MEASURES = ("district_communes_standard_pct", "district_communes_advanced_pct")


def tracked_units(scope: AdministrativeUnit | None = None):
    """The units that get a status: rural communes (xã, the NTM programme's subject) and districts."""
    units = AdministrativeUnit.objects.filter(Q(level=Level.COMMUNE, kind=Kind.XA) | Q(level=Level.DISTRICT))
    if scope is not None:
        units = units.filter(path__startswith=scope.path)
    return units


@transaction.atomic
def recompute_statuses(*, period: dt.date, units, programme: Programme | None = None) -> int:
    """Evaluate units for a month from their approved figures (carried forward) and store their statuses.

    Runs a fixed number of queries whatever the number of units: units, provinces, figures, measures, the
    criteria sets (four), the communes' tiers for district shares, then the delete and the bulk insert.
    """
    programme = programme or programme_for(period)
    if programme is None:
        return 0
    units = list(units.only("pk", "code", "level", "kind", "path", "applies_tdmnpb_thresholds", "commune_group"))
    if not units:
        return 0
    province_codes = {u.province_code for u in units}
    regions = dict(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, code__in=province_codes).values_list("code", "region")
    )
    definitions = build_programmes_by_province(programme.code, province_codes)
    codes = dict(Measure.objects.values_list("pk", "code"))
    carried = carried_values([u.pk for u in units], period)

    statuses: dict[int, Status] = {}
    communes = [u for u in units if u.level != Level.DISTRICT]
    districts = [u for u in units if u.level == Level.DISTRICT]
    for unit in communes:
        statuses[unit.pk] = _status(unit, period, programme, definitions, regions, codes, carried.get(unit.pk, {}))
    if districts:
        shares = _commune_shares(districts, period, programme, statuses)
        for unit in districts:
            values = {**{codes[m]: v for m, v in carried.get(unit.pk, {}).items()}, **shares.get(unit.pk, {})}
            statuses[unit.pk] = _status(unit, period, programme, definitions, regions, codes, {}, values)

    Status.objects.filter(unit_id__in=list(statuses), period=period, programme=programme).delete()
    Status.objects.bulk_create(statuses.values(), batch_size=1000)
    return len(statuses)


def _status(unit, period, programme, definitions, regions, codes, by_measure_id, values=None) -> Status:
    values = values if values is not None else {codes[m]: v for m, v in by_measure_id.items()}
    profile = unit.threshold_profile(regions.get(unit.province_code, ""))
    tier, summaries = summarize_programme(
        definitions[unit.province_code], profile, period.year, values, level=CRITERIA_LEVEL[unit.level]
    )
    lowest = next(iter(summaries.values()), None)
    return Status(
        unit=unit,
        period=period,
        programme=programme,
        tier=tier or "",
        criteria_met=lowest.criteria_met if lowest else 0,
        criteria_total=lowest.criteria_total if lowest else 0,
        sets={code: summary.as_dict() for code, summary in summaries.items()},
    )


def _commune_shares(districts, period, programme, fresh: dict[int, Status]) -> dict[int, dict[str, Decimal]]:
    """Per district, the shares of its rural communes at the standard and advanced tiers (QĐ 320 conditions 1-2)."""
    paths = {d.path: d.pk for d in districts}
    tiers: dict[int, tuple[str, str]] = {}  # commune pk -> (district path, tier)
    rows = AdministrativeUnit.objects.filter(level=Level.COMMUNE, kind=Kind.XA, parent_id__in=list(paths.values()))
    stored = dict(
        Status.objects.filter(unit__in=rows, period=period, programme=programme).values_list("unit_id", "tier")
    )
    for pk, parent_id in rows.values_list("pk", "parent_id"):
        tier = fresh[pk].tier if pk in fresh else stored.get(pk, "")
        tiers[pk] = (parent_id, tier)
    result: dict[int, dict[str, Decimal]] = {}
    for district_id in paths.values():
        own = [tier for parent, tier in tiers.values() if parent == district_id]
        if not own:
            continue
        standard = sum(1 for t in own if TIER_RANK[t] >= 1)
        advanced = sum(1 for t in own if TIER_RANK[t] >= 2)
        result[district_id] = {
            "district_communes_standard_pct": Decimal(100 * standard) / len(own),
            "district_communes_advanced_pct": Decimal(100 * advanced) / len(own),
        }
    return result


def recompute_after_approval(*, units, period: dt.date) -> int:
    """An approval changed: recompute those units and their districts from that month to the last computed one."""
    unit_ids = {u.pk for u in units}
    district_ids = {u.parent_id for u in units if u.level == Level.COMMUNE and u.parent_id}
    last = Status.objects.filter(unit_id__in=unit_ids).aggregate(last=Max("period"))["last"] or period
    affected = AdministrativeUnit.objects.filter(pk__in=unit_ids | district_ids)
    count, month = 0, period
    while month <= max(last, period):
        count += recompute_statuses(period=month, units=affected)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return count
