"""The scope's last twelve months, month by month: tiers reached and the average of criteria met (the dashboards'
trend charts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from communes.months import shift_month
from records.models import RecognisedTier
from reports import charts
from reports.scope import TREND_MONTHS, ScopeRows, tier_rank


@dataclass
class TrendPoint:
    period: dt.date
    communes: int  # rural communes with a status that month
    standard: int
    advanced: int
    model: int
    average: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.period:%m/%y}"


def trend(rows: ScopeRows, period: dt.date) -> list[TrendPoint]:
    """The last twelve months of the scope's rural communes: tiers reached and average criteria."""
    by_month: dict[dt.date, list] = defaultdict(list)
    for row in rows.trend:
        by_month[row.period].append(row)
    points = []
    for offset in range(1 - TREND_MONTHS, 1):
        month = shift_month(period, offset)
        month_rows = by_month.get(month, [])
        communes = sum(r.communes for r in month_rows)
        points.append(
            TrendPoint(
                period=month,
                communes=communes,
                standard=sum(r.communes for r in month_rows if tier_rank(r.tier) >= 1),
                advanced=sum(r.communes for r in month_rows if tier_rank(r.tier) >= 2),
                model=sum(r.communes for r in month_rows if tier_rank(r.tier) >= 3),
                # As reports.services.average_criteria, from the counts.
                average=(
                    (Decimal(sum(r.criteria_met * r.communes for r in month_rows)) / communes).quantize(Decimal("0.1"))
                    if communes
                    else None
                ),
            )
        )
    return points


# The counts of a ladder's first, second and third tier (by rank) on each point.
RANK_ATTRIBUTES = ("standard", "advanced", "model")


def trend_charts(
    points: list[TrendPoint], criteria_total: int, ladder: tuple[str, ...] = RANK_ATTRIBUTES
) -> tuple[str, str]:
    """The tiers line chart (one line per tier of the month's ladder: standard, advanced, model until 2025;
    standard and hiện đại in 2026-2030) and the average column chart."""
    labels = [p.label for p in points]

    def values(attribute: str) -> list[int | None]:
        return [getattr(p, attribute) if p.communes else None for p in points]

    tiers = charts.line_chart(
        labels,
        [
            charts.Series(RecognisedTier(tier).label, values(attribute), charts.TIER_COLOURS.get(tier, "#6a3d9a"))
            for tier, attribute in zip(ladder, RANK_ATTRIBUTES, strict=False)
        ],
        title=_("Số xã đạt từng mức theo số liệu, 12 tháng gần nhất"),
    )
    average = charts.column_chart(
        labels,
        [p.average for p in points],
        title=_("Số tiêu chí bình quân/xã, 12 tháng gần nhất"),
        maximum=criteria_total or None,
        decimals=1,
    )
    return tiers, average


def criteria_total_of(rows: ScopeRows) -> int:
    return max((r.criteria_total for r in rows.trend), default=0)
