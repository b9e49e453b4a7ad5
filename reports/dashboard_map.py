"""The map of a province's or district's judged communes for a month (reports.maps draws it): one mark per commune
with a position, by the tier its figures reach or by the criteria it meets, ringed when it is at risk of
revocation (QĐ 18/2022), each mark a link to the commune's scorecard. Built from the rows the dashboard already
read (reports.scope): no query of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from communes.months import month_code
from reports.maps import MODES, MapPoint, draw_map
from reports.scope import ScopeRows

# A commune judged but without a result this month (no approved figures yet): a class of its own on the map, never
# drawn as "below every tier", which would say its figures were judged and fell short.
NO_RESULT = "no-result"


@dataclass(frozen=True)
class CommuneMap:
    svg: SafeString
    mode: str
    drawn: int  # judged communes with a mark
    without_position: list[str]  # judged communes the position list has no point for


def chosen_mode(value: str | None) -> str:
    """The map's mode from the query string: a known one, else by tier."""
    return value if value in MODES else MODES[0]


def commune_map(rows: ScopeRows, period: dt.date, at_risk: set[int], tiers: tuple[str, ...], mode: str) -> CommuneMap:
    """The scope's map for the month; `at_risk` holds the pks of communes QĐ 18/2022's rule flags."""
    words = _Words()
    # One reverse for the page, not one per commune (hundreds of marks on a cold page); codes are [0-9A-Za-z].
    scorecard = reverse("reports:scorecard", args=["CODE"]) + f"?month={month_code(period)}"
    points, missing = [], []
    for unit in rows.rural:
        if unit.latitude is None or unit.longitude is None:
            missing.append(unit.name)
            continue
        url = scorecard.replace("CODE", unit.code, 1)
        points.append(_point(unit, rows.statuses.get(unit.pk), unit.pk in at_risk, url, words))
    ladder = [(tier, words.tier(tier)) for tier in tiers]
    return CommuneMap(draw_map(points, mode=mode, tiers=ladder), mode, len(points), missing)


class _Words:
    """The map's words, translated once per map rather than once per commune."""

    def __init__(self):
        # The dashboards' words for tiers; imported here because the documents they load import the dashboard.
        from reports.templatetags.dashboard_format import tier_label

        self._tier_label, self.tiers = tier_label, {}
        self.no_result, self.no_figures = _("Chưa có kết quả"), _("chưa có số liệu được duyệt")
        self.result = _("%(tier)s · đạt %(met)s/%(total)s tiêu chí")

    def tier(self, tier: str) -> str:
        if tier not in self.tiers:
            self.tiers[tier] = str(self._tier_label(tier))
        return self.tiers[tier]


def _point(unit, status, at_risk: bool, url: str, words: _Words) -> MapPoint:
    latitude, longitude = float(unit.latitude), float(unit.longitude)
    if status is None:
        no_result = words.no_result
        return MapPoint(unit.name, latitude, longitude, NO_RESULT, no_result, 0, 0, at_risk, url, words.no_figures)
    label = words.tier(status.tier)
    met, total = status.criteria_met, status.criteria_total
    result = words.result % {"tier": label, "met": met, "total": total}
    return MapPoint(unit.name, latitude, longitude, status.tier or None, label, met, total, at_risk, url, result)
