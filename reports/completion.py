"""A province completing the NTM task (issue 15, item 6; QĐ 51/2025, Phụ lục III): its province-level set, judged
on the dashboard from its communes' results of the month (shares of communes at the standard and hiện đại tiers).

The conditions are data (fixtures/criteria/2026-2030/province-complete.yaml, unverified until Phụ lục III is in
hand); a programme without a province-level set (2021-2025) shows nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from communes.models import AdministrativeUnit
from communes.months import month_end
from criteria.definitions import build_programme
from criteria.evaluation import SetResult, UnitProfile, evaluate_programme
from criteria.models import Level as CriteriaLevel
from reports.scope import ScopeRows, tier_rank
from reports.services import TIER_RANK

SHARES = {"province_communes_standard_pct": "standard", "province_communes_modern_pct": "modern"}


def province_completion(province: AdministrativeUnit, rows: ScopeRows, period: dt.date) -> SetResult | None:
    """The province's result against its programme's province-level set for the month (four queries when the
    programme has one, none otherwise)."""
    chosen = [s for s in rows.sets if s.level == CriteriaLevel.PROVINCE]
    if not chosen:
        return None
    definition = build_programme(chosen[0].programme.code, province.province_code, month_end(period))
    statuses = [rows.statuses[u.pk] for u in rows.rural if u.pk in rows.statuses]
    total = len(rows.rural)
    values = {
        measure: (Decimal(100 * sum(1 for s in statuses if tier_rank(s.tier) >= TIER_RANK[tier])) / total).quantize(
            Decimal("0.1")
        )
        for measure, tier in SHARES.items()
        if total
    }
    profile = UnitProfile(province_code=province.province_code)
    result = evaluate_programme(definition, profile, period.year, values, level=CriteriaLevel.PROVINCE)
    return next(iter(result.sets.values()), None)
