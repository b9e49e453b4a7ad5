"""Results: the status of each unit, month by month, as the criteria judge its approved figures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusQuerySet(models.QuerySet):
    def visible_to(self, user) -> StatusQuerySet:
        from communes.models import AdministrativeUnit

        if user.is_authenticated and user.is_superuser:
            return self
        return self.filter(unit__in=AdministrativeUnit.objects.in_scope_of(user))


class Status(models.Model):
    """A unit's computed standing for a month under a programme: its tier and each set's summary.

    Recomputed whenever an approval changes; the figures behind it are the approved ones, carried forward.
    """

    unit = models.ForeignKey(
        "communes.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="statuses"
    )
    period = models.DateField(_("tháng"))
    programme = models.ForeignKey(
        "criteria.Programme", verbose_name=_("giai đoạn"), on_delete=models.CASCADE, related_name="statuses"
    )
    tier = models.CharField(_("mức đạt theo số liệu"), max_length=10, blank=True)
    criteria_met = models.PositiveSmallIntegerField(_("số tiêu chí đạt"), default=0)
    criteria_total = models.PositiveSmallIntegerField(_("tổng số tiêu chí"), default=0)
    sets = models.JSONField(_("kết quả theo bộ tiêu chí"), default=dict)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now=True)

    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả đánh giá")
        verbose_name_plural = _("kết quả đánh giá")
        ordering = ["-period", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "programme"], name="status_unique"),
        ]
        indexes = [models.Index(fields=["period", "programme"])]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.period:%m/%Y} · {self.tier or '-'}"
