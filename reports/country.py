"""The national coordination office's view of the country for a month: each province's judged communes by tier,
computed from the approved figures and recognised by decision, against the province's target for the year and
the national targets (records.NationalTarget). Nine queries whatever the number of provinces and communes: the
rows are grouped by province in Python, from the units' paths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q

from communes.models import ERA_2025_ROOT, AdministrativeUnit, Level, province_code_of
from communes.months import month_code, month_end, shift_month, this_month
from criteria.models import CriteriaSet
from criteria.models import Level as CriteriaLevel
from monthly.services import programme_for
from records.models import NationalTarget, RecognisedTier, Recognition, Target, TargetKind
from reports.models import Status
from reports.scope import programme_in_force
from reports.services import TIER_RANK, judged_units

TIER_TARGETS = (TargetKind.UNITS_AT_TIER, TargetKind.SHARE_AT_TIER)


def province_path_of(path: str) -> str:
    """'62/610/23353/' -> '62/'; '2025/51/23341/' -> '2025/51/'."""
    return (ERA_2025_ROOT if path.startswith(ERA_2025_ROOT) else "") + province_code_of(path) + "/"


def share(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100 * count) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class TargetLine:
    """A province's (or the country's) target at a tier, and where it stands: recognised and computed."""

    tier: str
    label: str
    wanted: int  # communes at the tier the target asks for (a share turned into a count of today's communes)
    wanted_text: str
    recognised: int
    computed: int

    @property
    def reached(self) -> bool:
        return self.recognised >= self.wanted


@dataclass
class ProvinceLine:
    unit: AdministrativeUnit
    judged: int = 0  # communes of the judged kinds in force in the month
    with_status: int = 0
    computed: dict[str, int] = field(default_factory=dict)  # tier -> communes at it or above, by the figures
    recognised: dict[str, int] = field(default_factory=dict)  # tier -> communes recognised at it or above
    targets: list[TargetLine] = field(default_factory=list)
    tiers: tuple[str, ...] = ()  # the programme's commune tiers, lowest first: the columns

    @property
    def cells(self) -> list[tuple[int, Decimal | None, int, Decimal | None]]:
        """Per tier: recognised (count, share of the judged communes), computed (count, share of those with a
        result)."""
        return [
            (
                self.recognised.get(t, 0),
                share(self.recognised.get(t, 0), self.judged),
                self.computed.get(t, 0),
                share(self.computed.get(t, 0), self.with_status),
            )
            for t in self.tiers
        ]


def default_period() -> dt.date:
    """The latest month with results anywhere, up to this one (one query)."""
    latest = Status.objects.filter(period__lte=this_month()).aggregate(latest=Max("period"))["latest"]
    return latest or this_month()


def country_context(period: dt.date) -> dict:
    end = month_end(period)
    programme = programme_for(period)
    tiers = _tiers(programme)
    provinces = {
        p.path: ProvinceLine(unit=p, tiers=tiers)
        for p in AdministrativeUnit.objects.filter(level=Level.PROVINCE).current(end).in_vietnamese_order()
    }
    communes = judged_units(programme=programme).filter(level=Level.COMMUNE).current(end)
    judged = set()
    for pk, path in communes.values_list("pk", "path"):
        line = provinces.get(province_path_of(path))
        if line is not None:
            line.judged += 1
            judged.add(pk)
    statuses = Status.objects.filter(period=period, unit__level=Level.COMMUNE).filter(programme_in_force())
    for path, tier in statuses.values_list("unit__path", "tier"):
        line = provinces.get(province_path_of(path))
        if line is not None:
            line.with_status += 1
            _count(line.computed, tier, tiers)
    # Shares of the judged communes: a town's or a merged-away commune's decision is not one of them.
    for path, tier in _recognised(end, judged):
        line = provinces.get(province_path_of(path))
        if line is not None:
            _count(line.recognised, tier, tiers)
    _attach_targets(provinces, period.year)
    lines = list(provinces.values())
    total = ProvinceLine(unit=None, tiers=tiers)
    for line in lines:
        total.judged += line.judged
        total.with_status += line.with_status
        for tier in tiers:
            total.computed[tier] = total.computed.get(tier, 0) + line.computed.get(tier, 0)
            total.recognised[tier] = total.recognised.get(tier, 0) + line.recognised.get(tier, 0)
    national = _national_targets(programme, total)
    return {
        "period": period,
        "months": {
            "current": month_code(period),
            "previous": month_code(shift_month(period, -1)),
            "next": month_code(shift_month(period, 1)),
        },
        "programme": programme,
        "tiers": [(t, RecognisedTier(t).label) for t in tiers],
        "lines": lines,
        "total": total,
        "national_targets": national,
        "year": period.year,
    }


def _tiers(programme) -> tuple[str, ...]:
    """The commune tiers of the programme's national sets, lowest first (one query)."""
    if programme is None:
        return ("standard", "advanced", "model")
    found = (
        CriteriaSet.objects.filter(programme=programme, level=CriteriaLevel.COMMUNE, province_code="")
        .order_by("rank")
        .values_list("tier", flat=True)
    )
    tiers = tuple(dict.fromkeys(t for t in found if t in RecognisedTier.values))
    return tiers or ("standard", "advanced", "model")


def _count(counts: dict[str, int], tier: str, tiers: tuple[str, ...]) -> None:
    """A commune at `tier` counts at every tier of the ladder it reaches (advanced is also standard)."""
    rank = TIER_RANK.get(tier or "", 0)
    for t in tiers:
        if rank and TIER_RANK.get(t, 0) <= rank:
            counts[t] = counts.get(t, 0) + 1


def _recognised(end: dt.date, judged: set[int]) -> list[tuple[str, str]]:
    """Each judged commune's highest tier recognised by a decision in force at the month's end (one query)."""
    rows = Recognition.objects.filter(unit__level=Level.COMMUNE, decision_date__lte=end).filter(
        Q(revoked_date__isnull=True) | Q(revoked_date__gt=end)
    )
    best: dict[int, tuple[str, str]] = {}
    for unit_id, path, tier in rows.values_list("unit_id", "unit__path", "tier"):
        if unit_id not in judged:
            continue
        if unit_id not in best or TIER_RANK.get(tier, 0) > TIER_RANK.get(best[unit_id][1], 0):
            best[unit_id] = (path, tier)
    return list(best.values())


def _attach_targets(provinces: dict[str, ProvinceLine], year: int) -> None:
    """Each province's targets of communes at a tier for the year (one query)."""
    targets = Target.objects.filter(
        unit__level=Level.PROVINCE, year=year, level=Level.COMMUNE, kind__in=TIER_TARGETS
    ).select_related("unit")
    for target in targets.order_by("tier"):
        line = provinces.get(target.unit.path)
        if line is None or not target.tier:
            continue
        line.targets.append(_target_line(target.tier, target.kind, target.value, line, approximate=False))


def _national_targets(programme, total: ProvinceLine) -> list[tuple[NationalTarget, TargetLine]]:
    """The programme's national targets with the country's standing against them (one query)."""
    if programme is None:
        return []
    result = []
    targets = NationalTarget.objects.filter(programme_code=programme.code)
    ladder = list(RecognisedTier.values)
    # Up the ladder (đạt chuẩn, then hiện đại), not by the tier codes' alphabet.
    for target in sorted(targets, key=lambda t: (t.year, ladder.index(t.tier) if t.tier in ladder else len(ladder))):
        line = _target_line(target.tier, TargetKind.SHARE_AT_TIER, target.share, total, target.approximate)
        result.append((target, line))
    return result


def _target_line(tier: str, kind: str, value: int, line: ProvinceLine, approximate: bool) -> TargetLine:
    if kind == TargetKind.SHARE_AT_TIER:
        wanted = int((Decimal(value * line.judged) / 100).to_integral_value(rounding="ROUND_CEILING"))
        text = f"{'~' if approximate else ''}{value}% ({wanted})"
    else:
        wanted, text = value, str(value)
    return TargetLine(
        tier=tier,
        label=str(RecognisedTier(tier).label),
        wanted=wanted,
        wanted_text=text,
        recognised=line.recognised.get(tier, 0),
        computed=line.computed.get(tier, 0),
    )
