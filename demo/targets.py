"""The demo province's targets after the reform: the 2026 plan (a count of communes) and the 2030 goals of QĐ
417/QĐ-BNNMT as shares of the communes (about 65 % NTM, 10 % hiện đại), all marked as demo data."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from communes.models import AdministrativeUnit, Level
from records.models import RecognisedTier, Target, TargetKind

YEAR = 2026
QD_417 = "QĐ 417/QĐ-BNNMT (31/01/2026): mục tiêu quốc gia đến năm 2030 áp cho tỉnh (minh họa)"
PLAN_2026 = "Kế hoạch năm 2026 của UBND tỉnh Quảng Ngãi (minh họa)"
TARGETS = [  # year, kind, tier, value (a share of the rural communes for a count, or a percentage), source
    (YEAR, TargetKind.UNITS_AT_TIER, RecognisedTier.STANDARD, Decimal("0.35"), PLAN_2026),
    (2030, TargetKind.SHARE_AT_TIER, RecognisedTier.STANDARD, 65, QD_417),
    (2030, TargetKind.SHARE_AT_TIER, RecognisedTier.MODERN, 10, QD_417),
]


def write_targets(province: AdministrativeUnit, communes: int) -> int:
    """The 2026 plan and the 2030 goal, as demo data; a target the office entered itself is kept."""
    count = 0
    for year, kind, tier, share, source in TARGETS:
        key = {"unit": province, "year": year, "kind": kind, "level": Level.COMMUNE, "tier": tier}
        if not Target.objects.filter(**key, is_demo=False).exists():
            value = (
                share if kind == TargetKind.SHARE_AT_TIER else (communes * share).quantize(Decimal(1), ROUND_HALF_UP)
            )
            defaults = {"value": int(value), "source": source, "is_demo": True}
            Target.objects.update_or_create(**key, defaults=defaults)
            count += 1
    return count
