"""Official decisions and promises: recognitions, targets and communes' plans."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Level, UnitScopedQuerySet


class RecognisedTier(models.TextChoices):
    STANDARD = "standard", _("Đạt chuẩn NTM")
    ADVANCED = "advanced", _("NTM nâng cao")
    MODEL = "model", _("NTM kiểu mẫu")
    # 2026-2030: the pilot tier of QĐ 51/2025 (Phụ lục II), above the standard one.
    MODERN = "modern", _("NTM hiện đại")


class RecognitionQuerySet(UnitScopedQuerySet):
    def in_force(self) -> RecognitionQuerySet:
        return self.filter(revoked_date__isnull=True)


class Recognition(models.Model):
    """An official decision recognising a unit at a tier (QĐ 18/2022), and its revocation if any.

    Recognised status is a fact of law; the computed tier is an evaluation of figures. Both are shown.
    """

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="recognitions"
    )
    tier = models.CharField(_("mức"), max_length=10, choices=RecognisedTier.choices)
    programme = models.ForeignKey(
        "criteria.Programme", verbose_name=_("giai đoạn"), on_delete=models.PROTECT, related_name="recognitions"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("người, cơ quan ký"), max_length=200)
    revoked_decision_number = models.CharField(_("số quyết định thu hồi"), max_length=60, blank=True)
    revoked_date = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        db_table = "communes_recognition"  # kept from before the move out of communes
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["unit__path", "decision_date"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_tier_display()} · {self.decision_number}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.revoked_date) != bool(self.revoked_decision_number):
            raise ValidationError(_("Thu hồi cần cả số quyết định và ngày thu hồi."))
        if self.revoked_date and self.decision_date and self.revoked_date < self.decision_date:
            raise ValidationError({"revoked_date": _("Ngày thu hồi không thể trước ngày công nhận.")})


class TargetKind(models.TextChoices):
    UNITS_AT_TIER = "units_at_tier", _("Số đơn vị đạt mức")
    MIN_CRITERIA = "min_criteria", _("Mọi xã đạt tối thiểu số tiêu chí")
    YEARLY_GAIN = "yearly_gain", _("Mỗi xã tăng thêm số tiêu chí mỗi năm")
    # The 2026-2030 programme's targets are shares: about 65 % of communes NTM, 10 % hiện đại by 2030.
    SHARE_AT_TIER = "share_at_tier", _("Tỷ lệ đơn vị đạt mức (%)")


class Target(models.Model):
    """What a province or district promised by a year, e.g. Kon Tum by 2025: at least 60 communes đạt chuẩn."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại chỉ tiêu"), max_length=16, choices=TargetKind.choices)
    level = models.CharField(_("cấp được tính"), max_length=10, choices=Level.choices, default=Level.COMMUNE)
    tier = models.CharField(_("mức"), max_length=10, choices=RecognisedTier.choices, blank=True)
    value = models.PositiveIntegerField(_("giá trị"))
    source = models.CharField(_("văn bản giao chỉ tiêu"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        db_table = "communes_target"  # kept from before the move out of communes
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        ordering = ["unit__path", "year", "kind", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "level", "tier"],
                name="target_unique",
                violation_error_message=_("Đơn vị đã có chỉ tiêu này cho năm này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year} · {self.get_kind_display()} {self.tier} {self.value}"


class CommunePlan(models.Model):
    """A commune's plan: the tier it is to reach and the year (the province's roadmap)."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("xã"), on_delete=models.CASCADE, related_name="plans")
    tier = models.CharField(_("mức phấn đấu"), max_length=10, choices=RecognisedTier.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        db_table = "communes_communeplan"  # kept from before the move out of communes
        verbose_name = _("kế hoạch của xã")
        verbose_name_plural = _("kế hoạch của xã")
        ordering = ["year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "tier"], name="plan_unique", violation_error_message=_("Xã đã có kế hoạch mức này.")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_tier_display()} · {self.year}"


class NationalTarget(models.Model):
    """What the programme aims at for the whole country by a year, as a share of communes at a tier, e.g. about 65 %
    of communes đạt chuẩn NTM by 2030 (QĐ 417/QĐ-BNNMT). Shown on the national office's country dashboard."""

    programme_code = models.CharField(_("mã giai đoạn"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm"))
    tier = models.CharField(_("mức"), max_length=10, choices=RecognisedTier.choices)
    share = models.PositiveSmallIntegerField(_("tỷ lệ số xã (%)"))
    approximate = models.BooleanField(
        _("khoảng"), default=False, help_text=_("Văn bản ghi 'khoảng', 'phấn đấu' chứ không phải mức tối thiểu")
    )
    source = models.CharField(_("văn bản giao mục tiêu"), max_length=300)

    class Meta:
        verbose_name = _("mục tiêu cả nước")
        verbose_name_plural = _("mục tiêu cả nước")
        ordering = ["year", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_code", "year", "tier"],
                name="national_target_unique",
                violation_error_message=_("Đã có mục tiêu cả nước của mức này cho năm này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_tier_display()} · {self.share}%"
