"""Results: the status of each unit, month by month, as the criteria judge its approved figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import UnitScopedQuerySet


class StatusQuerySet(UnitScopedQuerySet):
    pass


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
    # The month of the latest approved report the figures come from: the status's own month, or an earlier one
    # whose figures carry forward. Empty for a district judged only on its communes' shares.
    basis_period = models.DateField(_("số liệu đã duyệt của tháng"), null=True, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now=True)
    # A digest of the result (tier, counts, basis, sets): a recompute rewrites only the rows whose digest changed.
    fingerprint = models.CharField(_("dấu kết quả"), max_length=32, blank=True, editable=False)

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


class RecomputeMark(models.Model):
    """A unit's status for a month is waiting for a recompute: pages say "đang tính lại" instead of its figures.

    A row of its own, not a flag on Status: a recompute deletes and re-creates the statuses, and a unit may have no
    status yet. Written when an approval changes (or the command queues a month) and deleted, in the transaction that
    stores the new statuses, by the recompute queued with the same token. A failed recompute leaves it, so the unit
    shows as stale until a later run succeeds; marking again replaces the token, so an older recompute that read
    the figures before the newer change cannot clear it (reports.tasks).
    """

    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="recompute_marks",
    )
    period = models.DateField(_("tháng"))
    token = models.UUIDField(_("mã lượt tính"))
    marked_at = models.DateTimeField(_("đánh dấu lúc"))

    class Meta:
        verbose_name = _("kết quả đang tính lại")
        verbose_name_plural = _("kết quả đang tính lại")
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="recompute_mark_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.period:%m/%Y}"


class DocumentKind(models.TextChoices):
    PROVINCE = "province", _("Báo cáo tháng của tỉnh")
    DISTRICT = "district", _("Báo cáo tháng của huyện")
    COMMUNE = "commune", _("Báo cáo kết quả thực hiện tiêu chí của xã")
    DIRECTIVE = "directive", _("Dự thảo chỉ thị")


class DocumentSettings(models.Model):
    """What an office put on a printed document of a unit for a month: number, date, signer, recipients, wording.

    The number, date and title belong to the month; the issuing body, signer, recipients and wording carry
    forward, so next month's form starts from the unit's latest choices (reports.documents.builders.settings_for).
    """

    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    kind = models.CharField(_("loại văn bản"), max_length=10, choices=DocumentKind.choices)
    period = models.DateField(_("tháng"))
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=120, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=120, blank=True)
    number = models.CharField(_("số"), max_length=10, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, blank=True)
    place = models.CharField(_("địa danh"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=300, blank=True)
    sign_for = models.CharField(_("thẩm quyền ký (TM., KT., …)"), max_length=200, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("họ và tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    body = models.TextField(_("nội dung (mẫu)"), blank=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("thông tin in văn bản")
        verbose_name_plural = _("thông tin in văn bản")
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "period"], name="document_settings_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.kind}"


class DataVersion(models.Model):
    """One counter that moves, in the writing transaction, whenever what the dashboards show changes: a recompute
    that changed a status, a mark, a report's workflow, a recognition, a target or plan, a unit or a set.

    Cached dashboard pages are keyed by it (reports.freshness), so a page served warm is never older than the last
    change committed before the request began.
    """

    number = models.BigIntegerField(_("phiên bản dữ liệu"), default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu trang tổng quan")
        verbose_name_plural = _("phiên bản dữ liệu trang tổng quan")

    def __str__(self) -> str:
        return str(self.number)
