"""The yardstick, as data: programmes, criteria sets (tiers), criteria, indicators, measures and thresholds.

Nothing here imports the rest of the portal: a provincial set names its province by GSO code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.choices import CommuneGroup, Region


class Level(models.TextChoices):
    COMMUNE = "commune", _("Xã")
    VILLAGE = "village", _("Thôn")
    DISTRICT = "district", _("Huyện")
    # 2026-2030: a province completing the NTM task (QĐ 51/2025, Phụ lục III), judged from its communes' results.
    PROVINCE = "province", _("Tỉnh")


class Tier(models.TextChoices):
    STANDARD = "standard", _("Đạt chuẩn")
    ADVANCED = "advanced", _("Nâng cao")
    MODEL = "model", _("Kiểu mẫu")
    SMART = "smart", _("Thông minh")
    MODERN = "modern", _("Hiện đại")
    COMPLETE = "complete", _("Hoàn thành nhiệm vụ xây dựng NTM")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Ban hành")


class MeasureKind(models.TextChoices):
    NUMBER = "number", _("Số")
    PERCENT = "percent", _("Tỷ lệ (%)")
    COUNT = "count", _("Số lượng")
    BOOLEAN = "boolean", _("Có/Không")
    LEVEL = "level", _("Mức xếp loại")


class Comparison(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    LTE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="
    ACHIEVED = "achieved", _("Đạt")
    REACHED = "reached", _("Đạt bộ tiêu chí")


class CriterionKind(models.TextChoices):
    CRITERION = "criterion", _("Tiêu chí")
    CONDITION = "condition", _("Điều kiện")


def month_last_day(period: dt.date) -> dt.date:
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class ProgrammeQuerySet(models.QuerySet):
    def judging(self, period: dt.date) -> ProgrammeQuerySet:
        """The programme that judges the month (its first day): the one in force on the month's last day."""
        return self.filter(first_month__lte=period, last_month__gte=period)


class Programme(models.Model):
    """A programme period with its own criteria sets: 2021-2025 (QĐ 318/319/320) or 2026-2030 (QĐ 51/2025)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    starts_on = models.DateField(
        _("áp dụng từ ngày"), null=True, blank=True, help_text=_("Để trống: từ ngày 01/01 của năm bắt đầu")
    )
    ends_on = models.DateField(
        _("áp dụng đến hết ngày"), null=True, blank=True, help_text=_("Để trống: đến ngày 31/12 của năm kết thúc")
    )

    # How dashboards band communes by criteria met, highest first: [[19, 19], [15, 18], …, [0, 4]] for 2021-2025
    # (the national reporting bands); a programme with 10 criteria has its own. Empty: the 2021-2025 bands.
    buckets = models.JSONField(_("nhóm theo số tiêu chí đạt"), default=list, blank=True)
    # The first and last months judged, derived from the days on save (a month is judged by the programme in force
    # on its last day: the 2021-2025 sets until January 2026, QĐ 51/2025 from February 2026, in force on the 15th).
    first_month = models.DateField(editable=False, null=True)
    last_month = models.DateField(editable=False, null=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.first_month, self.last_month = judged_months(self.first_day, self.last_day)
        super().save(*args, **kwargs)

    @property
    def first_day(self) -> dt.date:
        return self.starts_on or dt.date(self.start_year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or dt.date(self.end_year, 12, 31)

    def judges(self, period: dt.date) -> bool:
        """Whether this programme judges the month (it is in force on the month's last day)."""
        return self.first_day <= month_last_day(period) <= self.last_day


def judged_months(first_day: dt.date, last_day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last months (their first days) whose last day falls between the two days."""
    first = first_day.replace(day=1)
    last = last_day.replace(day=1)
    if month_last_day(last) > last_day:
        last = (last - dt.timedelta(days=1)).replace(day=1)
    return first, last


@dataclass(frozen=True)
class JudgedKinds:
    """The unit kinds that the sets in force at one level judge: those they name, or every kind of the level when
    a set names none. No set in force judges nobody."""

    kinds: frozenset[str] = frozenset()
    every: bool = False

    def __contains__(self, kind: object) -> bool:
        return self.every or kind in self.kinds

    def __bool__(self) -> bool:
        return self.every or bool(self.kinds)


class CriteriaSetQuerySet(models.QuerySet):
    def in_month(self, period: dt.date) -> CriteriaSetQuerySet:
        """The sets of the programme that judges the month (its first day; see Programme.first_month)."""
        return self.filter(programme__first_month__lte=period, programme__last_month__gte=period)

    def judged_kinds(self, programme: Programme | str | None, level: str, province_code: str = "") -> JudgedKinds:
        """Which unit kinds the sets in force at this level judge (the union of their unit_kinds), one query.

        `programme` is a programme or its code; None keeps this queryset's sets (e.g. after in_month()).
        """
        sets = self.filter(level=level).in_force_for(province_code)
        if isinstance(programme, Programme):
            sets = sets.filter(programme=programme)
        elif programme is not None:
            sets = sets.filter(programme__code=programme)
        return judged_kinds_of(list(sets.values_list("unit_kinds", flat=True)))

    def judged_kinds_by_level(self, province_code: str = "") -> dict[str, JudgedKinds]:
        """judged_kinds for every level at once (one query) over this queryset's sets, e.g. CriteriaSet.objects
        .in_month(dt.date(2024, 5, 1)).judged_kinds_by_level("62")."""
        lists: dict[str, list] = {level: [] for level in Level.values}
        for level, kinds in self.in_force_for(province_code).values_list("level", "unit_kinds"):
            lists[level].append(kinds)
        return {level: judged_kinds_of(kinds) for level, kinds in lists.items()}

    def national(self) -> CriteriaSetQuerySet:
        return self.filter(province_code="")

    def in_force_for(self, province_codes: set[str] | str, on: dt.date | None = None) -> CriteriaSetQuerySet:
        """National sets, and the published sets of these provinces (a provincial draft judges nobody yet), each in
        its version in force on that day (today when not given): the latest one applying from that day or before."""
        codes = {province_codes} if isinstance(province_codes, str) else set(province_codes)
        return self.filter(
            models.Q(province_code="") | models.Q(province_code__in=codes - {""}, status=SetStatus.PUBLISHED)
        ).in_force_on(on or timezone.localdate())

    def in_force_on(self, on: dt.date) -> CriteriaSetQuerySet:
        """Of each set (programme, code, province), the version in force on that day. An amendment judges only
        once published: a draft of one is still being typed in."""
        amendment = models.Q(effective_from__lte=on, status=SetStatus.PUBLISHED)
        newer = CriteriaSet.objects.filter(
            amendment,
            programme_id=models.OuterRef("programme_id"),
            code=models.OuterRef("code"),
            province_code=models.OuterRef("province_code"),
            effective_from__gt=Coalesce(models.OuterRef("effective_from"), models.Value(dt.date(1, 1, 1))),
        )
        return self.filter(models.Q(effective_from__isnull=True) | amendment).exclude(models.Exists(newer))


def version_label(legal_basis: str, effective_from: dt.date | None) -> str:
    since = _("từ %(date)s") % {"date": f"{effective_from:%d/%m/%Y}"} if effective_from else _("từ đầu giai đoạn")
    return f"{legal_basis}, {since}" if legal_basis else since


def judged_kinds_of(kind_lists: list[list[str]]) -> JudgedKinds:
    """The union of some sets' unit_kinds; a set naming none judges every kind of its level."""
    if any(not kinds for kinds in kind_lists):
        return JudgedKinds(every=True)
    return JudgedKinds(kinds=frozenset(kind for kinds in kind_lists for kind in kinds))


class CriteriaSet(models.Model):
    """One tier's set at one level: the national set, or a province's version of it."""

    programme = models.ForeignKey(Programme, verbose_name=_("giai đoạn"), on_delete=models.CASCADE, related_name="sets")
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=300)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    unit_kinds = models.JSONField(
        _("loại đơn vị áp dụng"),
        default=list,
        blank=True,
        help_text=_(
            'Mã các loại đơn vị của cấp này mà bộ tiêu chí xét, ví dụ ["xa"] (không xét phường, thị trấn); '
            "để trống: mọi loại đơn vị của cấp"
        ),
    )
    tier = models.CharField(_("mức"), max_length=10, choices=Tier.choices)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("Mức thấp hơn phải đạt trước (1 = đạt chuẩn)"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    description = models.TextField(_("ghi chú"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành trên cổng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("ban hành trên cổng lúc"), null=True, blank=True)
    # A stand-in while the legal text is not in hand (QĐ 51/2025's Phụ lục I): pages and documents say so.
    illustrative = models.BooleanField(
        _("bộ minh họa"),
        default=False,
        help_text=_("Chỉ tiêu, ngưỡng minh họa chờ văn bản gốc: kết quả theo bộ này không dùng để công nhận"),
    )
    province_code = models.CharField(
        _("mã tỉnh"), max_length=2, blank=True, help_text=_("Để trống với bộ tiêu chí quốc gia")
    )
    province_name = models.CharField(_("tên tỉnh"), max_length=100, blank=True)
    derived_from = models.ForeignKey(
        "self", verbose_name=_("xây dựng từ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="derived"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT)
    # A set amended by a later decision (QĐ 211/QĐ-TTg 2024 amended QĐ 318 and QĐ 320) gets a new version with the
    # same code and the date it applies from; a month is judged by the version in force at its end.
    effective_from = models.DateField(
        _("áp dụng từ ngày"), null=True, blank=True, help_text=_("Để trống: từ đầu giai đoạn")
    )

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["programme__start_year", "level", "rank", "province_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code", "province_code", "effective_from"],
                name="criteria_set_version_unique",
                violation_error_message=_("Giai đoạn này đã có phiên bản bộ tiêu chí cùng mã, cùng ngày áp dụng."),
            ),
            models.UniqueConstraint(
                fields=["programme", "code", "province_code"],
                condition=models.Q(effective_from__isnull=True),
                name="criteria_set_unique",
                violation_error_message=_("Giai đoạn này đã có bộ tiêu chí cùng mã cho phạm vi này."),
            ),
        ]

    def __str__(self) -> str:
        scope = f" ({self.province_name or self.province_code})" if self.province_code else ""
        version = f" · {self.effective_from:%d/%m/%Y}" if self.effective_from else ""
        return f"{self.programme.code} · {self.code}{scope}{version}"

    @property
    def version_label(self) -> str:
        """Which version: its legal basis and the date it applies from, e.g. "318/QĐ-TTg, từ đầu giai đoạn"."""
        return version_label(self.legal_basis, self.effective_from)

    @property
    def is_provincial(self) -> bool:
        return bool(self.province_code)


class Criterion(models.Model):
    """A numbered criterion of a set (e.g. 10 Thu nhập); key criteria weigh in the QĐ 18/2022 revocation rule."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    group = models.CharField(_("nhóm nội dung"), max_length=200, blank=True)
    department = models.CharField(_("cơ quan phụ trách"), max_length=200, blank=True)
    is_key = models.BooleanField(
        _("tiêu chí then chốt"), default=False, help_text=_("Được tính riêng khi xét thu hồi (QĐ 18/2022/QĐ-TTg)")
    )
    kind = models.CharField(
        _("loại"),
        max_length=10,
        choices=CriterionKind.choices,
        default=CriterionKind.CRITERION,
        help_text=_("Điều kiện phải đạt nhưng không tính vào số tiêu chí"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"],
                name="criterion_number_unique",
                violation_error_message=_("Bộ tiêu chí đã có tiêu chí số này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Measure(models.Model):
    """What is observed and entered once a month (income per person, % households with clean water…).

    Indicators of several tiers point at the same measure, so one value is judged by every tier.
    """

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    kind = models.CharField(_("kiểu"), max_length=10, choices=MeasureKind.choices)
    unit = models.CharField(_("đơn vị"), max_length=60, blank=True)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=14, decimal_places=4, null=True, blank=True)
    levels = models.JSONField(
        _("các mức"), default=list, blank=True, help_text=_("Với kiểu mức xếp loại: các mức từ thấp đến cao")
    )

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.unit})" if self.unit else self.code

    def clean(self):
        if self.kind == MeasureKind.LEVEL and not self.levels:
            raise ValidationError({"levels": _("Số liệu kiểu mức xếp loại phải liệt kê các mức.")})
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("Giá trị lớn nhất phải không nhỏ hơn giá trị nhỏ nhất.")})


class Indicator(models.Model):
    """A requirement of a criterion: a measure compared with a threshold (or a lower tier reached)."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã"), max_length=20, help_text=_("Mã nội bộ, duy nhất trong bộ tiêu chí"))
    official_code = models.CharField(_("số hiệu chính thức"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên"), max_length=400)
    measure = models.ForeignKey(
        Measure, verbose_name=_("số liệu"), null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    comparison = models.CharField(_("phép so sánh"), max_length=10, choices=Comparison.choices)
    reference = models.CharField(
        _("tham chiếu"),
        max_length=80,
        blank=True,
        help_text=_("Mã bộ tiêu chí phải đạt, hoặc 'mã-bộ/mã-chỉ-tiêu' mà ngưỡng được nhân hệ số"),
    )
    multiplier = models.DecimalField(_("hệ số"), max_digits=8, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["criterion", "position"]

    def __str__(self) -> str:
        return f"{self.official_code or self.code} {self.name}"


class Threshold(models.Model):
    """A value an indicator must meet, for all units or only some (region, TDMNPB rule, commune group, year).

    When several apply, the most specific wins. An unverified value is shown as such, with its source.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="thresholds"
    )
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=4, null=True, blank=True)
    level_value = models.CharField(_("mức"), max_length=60, blank=True)
    region = models.CharField(_("vùng"), max_length=8, choices=Region.choices, blank=True)
    tdmnpb_rule = models.BooleanField(
        _("chỉ cho xã áp dụng ngưỡng TDMNPB"), null=True, blank=True, help_text=_("Để trống: mọi xã")
    )
    commune_group = models.PositiveSmallIntegerField(_("nhóm xã"), choices=CommuneGroup.choices, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    # A row may apply only when another figure of the same unit meets a condition (e.g. schools_count <= 3).
    condition_measure = models.ForeignKey(
        Measure,
        verbose_name=_("điều kiện: số liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conditioned_thresholds",
    )
    condition_comparison = models.CharField(
        _("điều kiện: phép so sánh"),
        max_length=2,
        blank=True,
        choices=[(">=", "≥"), (">", ">"), ("<=", "≤"), ("<", "<"), ("==", "=")],
    )
    condition_value = models.DecimalField(
        _("điều kiện: giá trị"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    source = models.CharField(_("nguồn"), max_length=500)
    verified = models.BooleanField(_("đã xác minh"), default=False)

    class Meta:
        verbose_name = _("ngưỡng")
        verbose_name_plural = _("ngưỡng")
        ordering = ["indicator", "year", "region", "commune_group"]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value}"
