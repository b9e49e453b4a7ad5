"""The monthly reports: one unit's figures for one month, their audit trail and workflow steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, UnitScopedQuerySet


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class ReportQuerySet(UnitScopedQuerySet):
    pass


class Report(models.Model):
    """One unit's figures for one month: drafted and submitted by the district, approved (locked) by the office."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng của kỳ báo cáo"))
    programme = models.ForeignKey(
        "criteria.Programme", verbose_name=_("giai đoạn"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    is_late = models.BooleanField(_("gửi muộn"), default=False)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # "<template id>:<version>" when the last write was an upload of that Excel template: uploading the same file
    # again (corrected) is no stale write, any other write since moves the version past it.
    saved_from_workbook = models.CharField(_("lưu từ tệp Excel"), max_length=50, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        db_table = "communes_report"  # kept from before the move out of communes
        verbose_name = _("báo cáo tháng")
        verbose_name_plural = _("báo cáo tháng")
        ordering = ["-period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="report_unit_period_unique",
                violation_error_message=_("Đơn vị đã có báo cáo của tháng này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period:%m/%Y}"

    @property
    def month_code(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def is_open_for_entry(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Value(models.Model):
    """One measure's figure in one report. The column used follows the measure's kind."""

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey(
        "criteria.Measure", verbose_name=_("số liệu"), on_delete=models.PROTECT, related_name="values"
    )
    number = models.DecimalField(_("giá trị số"), max_digits=14, decimal_places=4, null=True, blank=True)
    flag = models.BooleanField(_("có/không"), null=True, blank=True)
    level = models.CharField(_("mức"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        db_table = "communes_value"  # kept from before the move out of communes
        verbose_name = _("giá trị")
        verbose_name_plural = _("giá trị")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "measure"],
                name="value_report_measure_unique",
                violation_error_message=_("Báo cáo đã có giá trị của số liệu này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}={self.value}"

    @property
    def value(self):
        if self.flag is not None:
            return self.flag
        if self.level:
            return self.level
        return self.number


class ValueChange(models.Model):
    """The audit trail of figures: who changed which value, when, from what to what. Never edited."""

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="changes")
    measure = models.ForeignKey(
        "criteria.Measure", verbose_name=_("số liệu"), on_delete=models.PROTECT, related_name="+"
    )
    old_value = models.CharField(_("giá trị cũ"), max_length=80, blank=True)
    new_value = models.CharField(_("giá trị mới"), max_length=80, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    via = models.CharField(_("qua"), max_length=10, default="form")

    class Meta:
        db_table = "communes_valuechange"  # kept from before the move out of communes
        verbose_name = _("lịch sử sửa số liệu")
        verbose_name_plural = _("lịch sử sửa số liệu")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.old_value} → {self.new_value}"


class ReportAction(models.TextChoices):
    SUBMITTED = "submitted", _("Gửi")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Duyệt")
    UNAPPROVED = "unapproved", _("Hủy duyệt")
    COMMENTED = "commented", _("Góp ý")


class ReportEvent(models.Model):
    """A step of a report's workflow (and a department's comment on its criteria): who, when, why."""

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=12, choices=ReportAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    reason = models.TextField(_("lý do, nội dung"), blank=True)
    criterion_number = models.PositiveSmallIntegerField(_("tiêu chí"), null=True, blank=True)

    class Meta:
        db_table = "communes_reportevent"  # kept from before the move out of communes
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = _("các bước xử lý báo cáo")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"


class LatestApprovedValue(models.Model):
    """The latest approved value of each measure for each unit, and the month it was approved for.

    Maintained in the transaction of every approval and un-approval (monthly.latest), rebuildable from the reports
    with `rebuild_latest_values`. Recomputing the current month reads these rows instead of sorting every approved
    value of the whole history (carried forward) to find the newest of each.
    """

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(
        "criteria.Measure", verbose_name=_("số liệu"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField(_("tháng của báo cáo đã duyệt"))
    number = models.DecimalField(_("giá trị số"), max_digits=14, decimal_places=4, null=True, blank=True)
    flag = models.BooleanField(_("có/không"), null=True, blank=True)
    level = models.CharField(_("mức"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("giá trị đã duyệt mới nhất")
        verbose_name_plural = _("giá trị đã duyệt mới nhất")
        constraints = [
            models.UniqueConstraint(fields=["unit", "measure"], name="latest_value_unit_measure_unique"),
        ]
        # A recompute asks which units have values approved after its month, and reads those up to it: by month
        # first, the current month's answer (none after it) comes from the index alone.
        indexes = [models.Index(fields=["period", "unit"], name="latest_value_period_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.measure_id} @ {self.period:%m/%Y}"
