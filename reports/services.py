"""What pages of the reports app compute from units and criteria together."""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet, Subquery
from django.utils import timezone

from communes.groups import groups_on
from communes.models import AdministrativeUnit, Level
from communes.months import month_end, months_between
from criteria.batch import collector_paused
from criteria.definitions import build_programmes_by_province
from criteria.models import CriteriaSet, JudgedKinds, Measure, Programme, SetStatus, judged_kinds_of
from criteria.models import Level as CriteriaLevel
from criteria.revocation import revocation_risk
from monthly.evaluation import summarize_many, uses_groups
from monthly.figures import approved_months, carried_values
from monthly.latest import current_values
from monthly.services import programme_for
from records.models import Recognition, Target, TargetKind
from reports.freshness import bump_data_version
from reports.models import RecomputeMark, Status


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


# Tiers above the standard one rank 2 (advanced; the 2026-2030 pilot "modern") or 3 (model; the smart village).
TIER_RANK = {"": 0, "standard": 1, "advanced": 2, "modern": 2, "model": 3, "smart": 3}


def tier_rank(tier: str) -> int:
    return TIER_RANK.get(tier or "", 0)


# District measures of QĐ 320 that the portal derives from its communes' statuses instead of asking for them.
DERIVED_DISTRICT_MEASURES = ("district_communes_standard_pct", "district_communes_advanced_pct")


def judged_filter(judged: dict[str, JudgedKinds]) -> Q:
    """The units that the criteria judge, given the kinds judged per criteria level (CriteriaSet.objects
    .judged_kinds_by_level): communes and districts of those kinds; no condition on kinds in code."""
    condition = Q(pk__in=[])
    for level in (Level.COMMUNE, Level.DISTRICT):
        kinds = judged.get(level) or JudgedKinds()
        if kinds.every:
            condition |= Q(level=level)
        elif kinds.kinds:
            condition |= Q(level=level, kind__in=sorted(kinds.kinds))
    return condition


def judged_kinds(programme: Programme | None = None, *, period: dt.date | None = None) -> dict[str, JudgedKinds]:
    """The unit kinds judged at each level by the sets of a programme (or of the programme that judges the month
    `period`; neither: of every programme), one query."""
    # In force somewhere: the national sets and the provinces' published ones (a provincial draft judges nobody).
    sets = CriteriaSet.objects.filter(Q(province_code="") | Q(status=SetStatus.PUBLISHED))
    if programme is not None:
        sets = sets.filter(programme=programme)
    elif period is not None:
        sets = sets.in_month(period)
    by_level: dict[str, list] = {}
    for level, kinds in sets.values_list("level", "unit_kinds"):
        by_level.setdefault(level, []).append(kinds)
    return judged_kinds_from(by_level)


def judged_kinds_from(by_level: dict[str, list[list[str]]]) -> dict[str, JudgedKinds]:
    """The kinds judged per level, from the unit_kinds of the sets in force at each level."""
    result = {level: judged_kinds_of(lists) for level, lists in by_level.items() if lists}
    # A district gets a status even without a district set: QĐ 320's shares of its judged communes are a
    # district-level figure derived from their statuses.
    result.setdefault(Level.DISTRICT, JudgedKinds(every=True))
    return result


def judged_units(scope: AdministrativeUnit | None = None, programme: Programme | None = None) -> QuerySet:
    """The units that get a status: those of the kinds the criteria sets of the programme judge at commune and
    district level (applies_to in the criteria YAML: rural communes, xã, not phường or thị trấn), in `scope`."""
    units = AdministrativeUnit.objects.filter(judged_filter(judged_kinds(programme)))
    if scope is not None:
        units = units.filter(path__startswith=scope.path)
    return units


def tracked_units(scope: AdministrativeUnit | None = None) -> QuerySet:
    """The units judged by any programme (recompute_statuses keeps those its month's programme judges)."""
    return judged_units(scope)


UNIT_FIELDS = (
    "pk",
    "code",
    "level",
    "kind",
    "path",
    "region",
    "applies_tdmnpb_thresholds",
    "valid_from",
    "valid_to",
)


def _judged_in(units, period: dt.date, judged: dict) -> tuple[list[AdministrativeUnit], QuerySet | list[int]]:
    """Only the kinds this programme's sets judge get a status (a ward, a town: none), and only units that existed
    in the month (the 2025 reform: Kon Tum's communes until June 2025, the merged Quảng Ngãi's since July).
    Returns them, and how to name them in a query: a subquery for a queryset, else their pks."""
    if isinstance(units, QuerySet):
        # In SQL: a country's tracked units are both periods' (20,000), of which a month judges 8,000; and a
        # subquery, not 8,000 parameters, names them in the queries that follow.
        units = units.filter(judged_filter(judged)).current(period)
        return list(units.only(*UNIT_FIELDS)), units.values("pk")
    units = [u for u in units if u.kind in judged.get(u.level, JudgedKinds()) and u.in_force_on(period)]
    return units, [u.pk for u in units]


def recompute_statuses(*, period: dt.date, units, programme: Programme | None = None) -> int:
    """Evaluate units for a month from their approved figures (carried forward) and store their statuses.

    Runs a fixed number of queries whatever the number of units: units, provinces, figures, measures, the
    criteria sets (four), the communes' tiers for district shares, then the delete and the bulk insert.
    """
    with collector_paused(), transaction.atomic():
        return _recompute(period, units, programme)


def _recompute(period: dt.date, units, programme: Programme | None) -> int:
    programme = programme or programme_for(period)
    if programme is None:
        return 0
    unit_queryset = units if isinstance(units, QuerySet) else None
    judged = judged_kinds(programme)
    units, unit_filter = _judged_in(units, period, judged)
    if not units:
        return 0
    province_codes = {u.province_code for u in units}
    # By path: a province code of the list before the reform may name another province since (51, 15, 24…).
    paths = {u.province_path for u in units}
    regions = dict(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, path__in=paths).values_list("path", "region")
    )
    definitions = build_programmes_by_province(programme.code, province_codes, month_end(period))
    codes = dict(Measure.objects.values_list("pk", "code"))
    of_units = unit_queryset if unit_queryset is not None else [u.pk for u in units]
    # The maintained latest values when the units come as a queryset (every recompute but a few tests' lists).
    carried = current_values(unit_queryset, period) if unit_queryset is not None else carried_values(of_units, period)
    basis = approved_months(of_units, period)

    # A commune is judged from its first approved report on (figures carry forward from then); before it has one
    # it has no result, and is counted as missing rather than as meeting nothing.
    statuses: dict[int, Fresh] = {}
    communes = [u for u in units if u.level != Level.DISTRICT and u.pk in basis]
    districts = [u for u in units if u.level == Level.DISTRICT]
    # The 2026-2030 thresholds depend on each commune's group in force in the month (one query when they do).
    grouped = any(uses_groups(d) for d in definitions.values())
    groups = groups_on([u.pk for u in communes], month_end(period)) if grouped else {}
    context = {"regions": regions, "definitions": definitions, "groups": groups}
    keys = {code: pk for pk, code in codes.items()}
    for unit_id, result in summarize_many(communes, period, carried, keys=keys, **context).items():
        statuses[unit_id] = _fresh(result)
    if districts:
        recomputed = {u.pk for u in units if u.level == Level.COMMUNE}
        shares = _commune_shares(districts, period, programme, statuses, judged, recomputed)
        districts = [u for u in districts if u.pk in basis or u.pk in shares]
        values = {
            u.pk: {**{codes[m]: v for m, v in carried.get(u.pk, {}).items()}, **shares.get(u.pk, {})} for u in districts
        }
        for unit_id, result in summarize_many(districts, period, values, **context).items():
            statuses[unit_id] = _fresh(result)
    for unit_id, status in statuses.items():
        status.basis_period = basis.get(unit_id)

    store_statuses(statuses, unit_filter, period, programme)
    return len(statuses)


STORED_FIELDS = ["tier", "criteria_met", "criteria_total", "sets", "basis_period", "fingerprint", "computed_at"]


@dataclass(slots=True)
class Fresh:
    """A unit's status as just computed, before it is compared with the stored one: a Status is made only for
    those that changed (a model instance costs more than judging the unit's set)."""

    tier: str
    criteria_met: int
    criteria_total: int
    sets: dict
    basis_period: dt.date | None = None


def store_statuses(
    statuses: dict[int, Fresh], unit_ids: QuerySet | list[int], period: dt.date, programme: Programme
) -> int:
    """Write a month's statuses of these units: insert the new, update the changed (by fingerprint), leave the
    unchanged alone and delete those of units without a result now. Returns the rows written or deleted, and
    moves the page data version (reports.freshness) when there are any."""
    stored = dict(
        Status.objects.filter(unit_id__in=unit_ids, period=period, programme=programme).values_list(
            "unit_id", "fingerprint"
        )
    )
    now = timezone.now()
    changed = []
    for unit_id, fresh in statuses.items():
        stamp = fingerprint(fresh)
        if stored.get(unit_id) != stamp:
            changed.append(
                Status(
                    unit_id=unit_id,
                    period=period,
                    programme_id=programme.pk,
                    tier=fresh.tier,
                    criteria_met=fresh.criteria_met,
                    criteria_total=fresh.criteria_total,
                    sets=fresh.sets,
                    basis_period=fresh.basis_period,
                    fingerprint=stamp,
                    computed_at=now,
                )
            )
    gone = [unit_id for unit_id in stored if unit_id not in statuses]
    if gone:
        Status.objects.filter(unit_id__in=gone, period=period, programme=programme).delete()
    Status.objects.bulk_create(
        changed,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["unit", "period", "programme"],
        update_fields=STORED_FIELDS,
    )
    if changed or gone:
        bump_data_version()
    return len(changed) + len(gone)


def fingerprint(status: Status | Fresh) -> str:
    content = [status.tier, status.criteria_met, status.criteria_total, str(status.basis_period or ""), status.sets]
    # The sets hold JSON's own types only (Status.sets is stored without an encoder), which marshal writes four
    # times faster than json.dumps. Version 2 writes no back-references, so equal content gives equal bytes; a
    # Python upgrade that changed the format would only rewrite each row once.
    return hashlib.blake2b(marshal.dumps(content, 2), digest_size=16).hexdigest()


def _fresh(result: tuple) -> Fresh:
    tier, summaries = result
    lowest = next(iter(summaries.values()), None)
    return Fresh(
        tier=tier or "",
        criteria_met=lowest.criteria_met if lowest else 0,
        criteria_total=lowest.criteria_total if lowest else 0,
        sets={code: summary.as_dict() for code, summary in summaries.items()},
    )


def _commune_shares(
    districts, period, programme, fresh: dict[int, Fresh], judged: dict[str, JudgedKinds], recomputed: set[int]
) -> dict[int, dict[str, Decimal]]:
    """Per district, the shares of its judged communes at the standard and advanced tiers (QĐ 320 conditions 1-2);
    a commune without a result counts as not reaching them."""
    paths = {d.path: d.pk for d in districts}
    tiers: dict[int, tuple[str, str]] = {}  # commune pk -> (district path, tier)
    rows = AdministrativeUnit.objects.filter(
        judged_filter(judged), level=Level.COMMUNE, parent_id__in=list(paths.values())
    )
    stored = dict(
        Status.objects.filter(unit__in=rows, period=period, programme=programme).values_list("unit_id", "tier")
    )
    for pk, parent_id in rows.values_list("pk", "parent_id"):
        # A commune recomputed without a result (never approved) counts as reaching no tier.
        tier = (fresh[pk].tier if pk in fresh else "") if pk in recomputed else stored.get(pk, "")
        tiers[pk] = (parent_id, tier)
    by_district: dict[int, list[str]] = {}
    for parent, tier in tiers.values():
        by_district.setdefault(parent, []).append(tier)
    result: dict[int, dict[str, Decimal]] = {}
    for district_id in paths.values():
        own = by_district.get(district_id)
        if not own:
            continue
        standard = sum(1 for t in own if tier_rank(t) >= 1)
        advanced = sum(1 for t in own if tier_rank(t) >= 2)
        result[district_id] = {
            "district_communes_standard_pct": Decimal(100 * standard) / len(own),
            "district_communes_advanced_pct": Decimal(100 * advanced) / len(own),
        }
    return result


def approval_scope(*, units, period: dt.date) -> tuple[QuerySet, list[dt.date]]:
    """The judged units an approval change of `units` in `period` affects, and the months to recompute: from that
    month to the last one computed. A district's shares depend on all its communes, so a commune's approval
    recomputes its whole district."""
    unit_ids = {u.pk for u in units}
    district_ids = {u.parent_id for u in units if u.level == Level.COMMUNE and u.parent_id}
    district_ids |= {u.pk for u in units if u.level == Level.DISTRICT}
    # Up to the last month computed anywhere: those months' other results stand, so this district's must be current
    # with them (pages compute a month nobody has read yet: reports.coverage).
    last = Status.objects.aggregate(last=Max("period"))["last"] or period
    affected = tracked_units().filter(Q(pk__in=unit_ids | district_ids) | Q(parent_id__in=district_ids))
    return affected, months_between(period, max(last, period))


@transaction.atomic
def mark_stale(*, units: QuerySet, periods: list[dt.date]) -> str:
    """Mark the units' statuses of these months as waiting for a recompute; returns the token that recompute clears
    its marks with. A unit already marked gets the new token: the recompute queued before may have read older
    figures, so only the new one may clear it."""
    token = uuid.uuid4()
    now = timezone.now()
    marks = [
        RecomputeMark(unit_id=unit_id, period=period, token=token, marked_at=now)
        for unit_id in units.values_list("pk", flat=True)
        for period in periods
    ]
    RecomputeMark.objects.bulk_create(
        marks,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["unit", "period"],
        update_fields=["token", "marked_at"],
    )
    bump_data_version()  # the pages now say "đang tính lại" for these units
    return str(token)


def recompute_marked(*, units: QuerySet, periods: list[dt.date], token: str) -> int:
    """Recompute the units month by month; each month's new statuses and the clearing of that month's marks made
    with `token` commit together, so a failure leaves the months not yet done marked."""
    count = 0
    for period in periods:
        with transaction.atomic():
            count += recompute_statuses(period=period, units=units)
            cleared, _ = RecomputeMark.objects.filter(unit__in=units, period=period, token=token).delete()
            if cleared:
                bump_data_version()
    return count


def recompute_after_approval(*, units, period: dt.date, token: str) -> int:
    """An approval changed: recompute from that month to the last computed one, for the tracked units concerned,
    and clear the marks queued with `token` (reports.tasks)."""
    affected, months = approval_scope(units=units, period=period)
    return recompute_marked(units=affected, periods=months, token=token)


# ---------------------------------------------------------------- what dashboards count (pure, over loaded rows)


BUCKETS = [("19", 19, 19), ("15-18", 15, 18), ("10-14", 10, 14), ("5-9", 5, 9), ("<5", 0, 4)]


def bands_of(programme: Programme | None) -> list[tuple[str, int, int]]:
    """The programme's bands of criteria met (data on the programme), as (code, low, high), highest first; the
    2021-2025 reporting bands when it has none."""
    pairs = programme.buckets if programme is not None and programme.buckets else None
    if not pairs:
        return BUCKETS
    return [(band_code(low, high), low, high) for low, high in pairs]


def band_code(low: int, high: int) -> str:
    if low == high:
        return str(low)
    return f"<{high + 1}" if low == 0 else f"{low}-{high}"


def bucket_counts(statuses, bands: list[tuple[str, int, int]] = BUCKETS) -> dict[str, int]:
    """Communes by number of criteria met, in the programme's bands (by default 19 / 15-18 / 10-14 / 5-9 / under
    5, the national reporting bands of 2021-2025)."""
    counts = {label: 0 for label, _low, _high in bands}
    for status in statuses:
        for label, low, high in bands:
            if low <= status.criteria_met <= high:
                counts[label] += 1
                break
    return counts


def average_criteria(statuses) -> Decimal | None:
    statuses = list(statuses)
    if not statuses:
        return None
    return (Decimal(sum(s.criteria_met for s in statuses)) / len(statuses)).quantize(Decimal("0.1"))


RECOGNISED_SET = {"standard": "commune-standard", "advanced": "commune-advanced", "model": "commune-model"}


@dataclass
class WatchItem:
    """A recognised commune whose figures now fail criteria of the tier it was recognised at."""

    unit: AdministrativeUnit
    recognition: Recognition
    failed: list[int]
    key_failed: list[int]
    total: int
    at_risk: bool

    @property
    def share(self) -> Decimal:
        return (Decimal(100 * len(self.failed)) / self.total).quantize(Decimal("0.1")) if self.total else Decimal(0)


def watch_list(statuses_by_unit: dict[int, Status], recognitions) -> list[WatchItem]:
    """Recognised communes failing criteria of their recognised tier, worst first; 'at_risk' is QĐ 18/2022's rule."""
    highest: dict[int, Recognition] = {}
    for recognition in recognitions:
        if recognition.revoked_date is not None:
            continue
        current = highest.get(recognition.unit_id)
        if current is None or tier_rank(recognition.tier) > tier_rank(current.tier):
            highest[recognition.unit_id] = recognition
    items = []
    # One line per commune, judged at the highest tier it holds in force.
    for recognition in highest.values():
        status = statuses_by_unit.get(recognition.unit_id)
        summary = status.sets.get(RECOGNISED_SET.get(recognition.tier, ""), {}) if status else {}
        failed = summary.get("failed") or []
        if not failed:
            continue
        total = summary.get("criteria_total", 0)
        key_failed = summary.get("key_failed") or []
        items.append(
            WatchItem(
                unit=recognition.unit,
                recognition=recognition,
                failed=failed,
                key_failed=key_failed,
                total=total,
                at_risk=revocation_risk(failed=len(failed), total=total, key_failed=bool(key_failed)),
            )
        )
    return sorted(items, key=lambda i: (not i.at_risk, -len(i.failed), i.unit.sort_key))


@dataclass
class TargetProgress:
    target: Target
    achieved: int
    out_of: int  # the units counted (communes of the scope)

    @property
    def percent(self) -> Decimal | None:
        """Share of the target reached, as the news reports it ("đạt 66% kế hoạch giai đoạn").

        A count target compares with its count; a per-commune target (at least 15 criteria, one more a year)
        with the communes that should meet it.
        """
        goal = self.target.value if self.target.kind == TargetKind.UNITS_AT_TIER else self.out_of
        if self.target.kind == TargetKind.SHARE_AT_TIER:
            goal = Decimal(self.target.value * self.out_of) / 100  # the communes the share means
        if not goal:
            return None
        return (Decimal(100 * self.achieved) / goal).quantize(Decimal("1"))


def target_progress(
    targets,
    *,
    communes: list[AdministrativeUnit],
    districts: list[AdministrativeUnit],
    recognitions,
    statuses_by_unit: dict[int, Status],
    earlier_met: dict[int, int] | None = None,
) -> list[TargetProgress]:
    """How far each target is reached: recognised units in force for tier targets; statuses for criteria targets.
    `earlier_met`: the criteria each commune met when a yearly gain is measured from (the December before)."""
    in_force: dict[int, int] = {}
    for r in recognitions:
        if r.revoked_date is None:
            in_force[r.unit_id] = max(in_force.get(r.unit_id, 0), tier_rank(r.tier))
    progress = []
    for target in targets:
        if target.kind in (TargetKind.UNITS_AT_TIER, TargetKind.SHARE_AT_TIER):
            pool = districts if target.level == Level.DISTRICT else communes
            achieved = sum(1 for u in pool if in_force.get(u.pk, 0) >= tier_rank(target.tier))
            progress.append(TargetProgress(target, achieved, len(pool)))
        elif target.kind == TargetKind.MIN_CRITERIA:
            achieved = sum(
                1 for u in communes if u.pk in statuses_by_unit and statuses_by_unit[u.pk].criteria_met >= target.value
            )
            progress.append(TargetProgress(target, achieved, len(communes)))
        elif target.kind == TargetKind.YEARLY_GAIN:
            earlier = earlier_met or {}
            achieved = sum(
                1
                for u in communes
                if u.pk in statuses_by_unit
                and u.pk in earlier
                and statuses_by_unit[u.pk].criteria_met - earlier[u.pk] >= target.value
            )
            progress.append(TargetProgress(target, achieved, len(communes)))
    return progress


def district_rule(*, commune_statuses: list[Status]) -> dict:
    """QĐ 320's first two conditions for a district, from its rural communes' computed tiers."""
    total = len(commune_statuses)
    standard = sum(1 for s in commune_statuses if tier_rank(s.tier) >= 1)
    advanced = sum(1 for s in commune_statuses if tier_rank(s.tier) >= 2)
    standard_pct = (Decimal(100 * standard) / total).quantize(Decimal("0.1")) if total else Decimal(0)
    advanced_pct = (Decimal(100 * advanced) / total).quantize(Decimal("0.1")) if total else Decimal(0)
    return {
        "communes": total,
        "standard": standard,
        "advanced": advanced,
        "standard_pct": standard_pct,
        "advanced_pct": advanced_pct,
        "all_standard": total > 0 and standard == total,
        "advanced_ok": total > 0 and advanced * 100 >= 10 * total,
    }
