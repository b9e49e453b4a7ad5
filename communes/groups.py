"""Commune groups of the 2026-2030 programme as dated data (issue 15, item 2).

QĐ 51/2025 sets each indicator's requirement by commune group: group 1 (next to a town and becoming urban, or
farming under a tenth of the economy, or a new urban area), group 3 (areas II and III of the ethnic-minority and
mountain regions), group 2 the rest. The province assigns each commune to a group from a day, and may move it later:
each assignment is kept, so a month is judged by the group in force on its last day. A commune without one is
"chưa phân nhóm" and is judged against no group's requirement (never silently group 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from criteria.choices import CommuneGroup

UNGROUPED_LABEL = _("chưa phân nhóm")


class CommuneGroupAssignmentQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> CommuneGroupAssignmentQuerySet:
        """The assignments that began on or before the day (the latest per commune is the one in force)."""
        return self.filter(valid_from__lte=day)


class CommuneGroupAssignment(models.Model):
    """A commune placed in group 1, 2 or 3 from a day, by a decision of the province."""

    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("xã"),
        on_delete=models.CASCADE,
        related_name="group_assignments",
    )
    group = models.PositiveSmallIntegerField(_("nhóm xã"), choices=CommuneGroup.choices)
    valid_from = models.DateField(_("từ ngày"))
    decision = models.CharField(
        _("căn cứ"), max_length=200, blank=True, help_text=_("Số, ngày quyết định phân nhóm của tỉnh")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("ghi lúc"), auto_now=True)

    objects = CommuneGroupAssignmentQuerySet.as_manager()

    class Meta:
        app_label = "communes"
        verbose_name = _("phân nhóm xã")
        verbose_name_plural = _("phân nhóm xã")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "valid_from"],
                name="group_assignment_unique_day",
                violation_error_message=_("Xã này đã được phân nhóm từ ngày này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_group_display()} · {self.valid_from:%d/%m/%Y}"


def groups_on(unit_ids: Iterable[int], day: dt.date) -> dict[int, int]:
    """Each commune's group in force on the day (communes without one are absent), one query."""
    result: dict[int, int] = {}
    rows = (
        CommuneGroupAssignment.objects.in_force_on(day)
        .filter(unit_id__in=list(unit_ids))
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "group")
    )
    for unit_id, group in rows:
        result[unit_id] = group  # the latest one begun by the day wins
    return result


def group_label(group: int | None) -> str:
    return str(CommuneGroup(group).label) if group else str(UNGROUPED_LABEL)
