"""Carrying figures across the 2025 reform (issue 14, item 7).

A commune formed on 01/07/2025 starts with no figures of its own: its history stays with the communes it was formed
from. Its entry form shows each predecessor's last approved value beside the field, labelled with the predecessor's
name and month, so the official knows where the commune stood. An unchanged commune (one predecessor, taken whole)
may take that predecessor's figures as its own starting point in one click: nothing is ever inherited silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Lineage
from monthly import services
from monthly.figures import approved_months, carried_values
from monthly.models import Report


@dataclass
class Predecessor:
    """A unit this one was formed from, with its last approved figures (measure id → value) and their month."""

    unit: AdministrativeUnit
    is_split: bool
    month: dt.date | None = None
    values: dict[int, Any] = field(default_factory=dict)


@dataclass
class Predecessors:
    """The units a post-reform unit was formed from; empty for any other unit."""

    units: list[Predecessor] = field(default_factory=list)

    @property
    def whole(self) -> Predecessor | None:
        """The one predecessor an unchanged unit continues (one link, not a share of a divided commune); None when
        the unit was merged from several or received part of one: then no figure stands for the whole unit."""
        if len(self.units) == 1 and not self.units[0].is_split:
            return self.units[0]
        return None

    def beside(self, measure_id: int) -> list[tuple[Predecessor, Any]]:
        """Each predecessor's last approved value of the measure, for the entry form (those without one left out)."""
        return [(p, p.values[measure_id]) for p in self.units if p.values.get(measure_id) is not None]


def predecessors_of(unit: AdministrativeUnit, period: dt.date) -> Predecessors:
    """What the unit was formed from and where each stood (three queries; none for a unit of the pre-reform list,
    which was formed from nothing the portal knows)."""
    if not unit.is_post_reform:
        return Predecessors()
    links = list(
        Lineage.objects.filter(successor=unit).select_related("predecessor__parent").order_by("predecessor__sort_key")
    )
    if not links:
        return Predecessors()
    ids = [link.predecessor_id for link in links]
    # The predecessors' reports end with their last month; reading up to this month finds the last approved.
    values = carried_values(ids, period)
    months = approved_months(ids, period)
    return Predecessors(
        [
            Predecessor(
                unit=link.predecessor,
                is_split=link.is_split,
                month=months.get(link.predecessor_id),
                values=dict(values.get(link.predecessor_id, {})),
            )
            for link in links
        ]
    )


@transaction.atomic
def take_predecessor_values(
    *, unit: AdministrativeUnit, period: dt.date, by, expected_version: int | None, measures: Mapping[str, Any]
) -> tuple[Report, int]:
    """Fill the month's empty fields with the whole predecessor's last approved figures, as a draft the official
    then checks, corrects and sends (a figure already entered is kept). The report and the number of figures
    taken; ReportError when the unit has no whole predecessor or no figures to take."""
    whole = predecessors_of(unit, period).whole
    if whole is None:
        raise services.ReportError(
            _(
                "%(unit)s được hình thành từ nhiều đơn vị hoặc từ một phần của một đơn vị, nên không có số liệu nào "
                "đại diện cho cả xã: hãy nhập số liệu của xã."
            )
            % {"unit": unit.name}
        )
    report = Report.objects.filter(unit=unit, period=period).first()
    own = services.report_values(report)
    raw = {
        code: whole.values[measure.pk]
        for code, measure in measures.items()
        if whole.values.get(measure.pk) is not None and own.get(measure.pk) is None
    }
    if not raw:
        raise services.ReportError(
            _("Không có số liệu nào của %(predecessor)s để lấy cho các ô còn trống.") % {"predecessor": whole.unit.name}
        )
    report = services.save_values(
        unit=unit,
        period=period,
        raw=raw,
        by=by,
        via="lineage",
        measures=measures,
        expected_version=expected_version,
    )
    return report, len(raw)
