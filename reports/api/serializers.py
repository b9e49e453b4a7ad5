"""Computed statuses; the what-if evaluation: its input and the explained result it answers with; and the forecast
of a province's or district's targets: its query and its answer."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.api.serializers import MonthField as InputMonthField
from communes.models import AdministrativeUnit, Level
from communes.months import UnitCodeConverter
from criteria.choices import CommuneGroup, Region
from criteria.definitions import measure_def
from criteria.evaluation import Outcome, UnitProfile
from criteria.measures import InvalidValue, coerce_value
from criteria.models import Measure, Programme, Tier
from reports.filtersets import MONTH_PATTERN
from reports.forms import MAX_YEAR, MIN_YEAR
from reports.models import Status

# ---------------------------------------------------------------- statuses


class SetSummarySerializer(serializers.Serializer):
    """What a status keeps of one set's result (criteria.summary.SetSummary.as_dict)."""

    met = serializers.BooleanField()
    reached = serializers.BooleanField(help_text=_("Đạt, và mọi mức thấp hơn cũng đạt"))
    criteria_met = serializers.IntegerField()
    criteria_total = serializers.IntegerField()
    failed = serializers.ListField(child=serializers.IntegerField(), help_text=_("Số thứ tự các tiêu chí không đạt"))
    key_failed = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Trong đó, các tiêu chí then chốt")
    )
    no_data = serializers.ListField(child=serializers.IntegerField(), help_text=_("Tiêu chí chưa đánh giá được"))
    failing = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=3, max_length=3),
        help_text=_("Mã chỉ tiêu chưa đạt → [giá trị, ngưỡng, khoảng cách]; chỉ với bộ của mức kế tiếp"),
    )


@extend_schema_field(serializers.DictField(child=SetSummarySerializer()))
class SetsField(serializers.JSONField):
    """The stored JSON passed through as it is: nested serializers for every set of 1,000 rows would multiply the
    list's time (benchmarks/api.py). The schema still describes it."""


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2024-05"})
class MonthField(serializers.Field):
    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class StatusSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    level = serializers.ChoiceField(source="unit.level", choices=Level.choices, help_text=_("Cấp của đơn vị"))
    month = MonthField(source="period")
    programme = serializers.CharField(source="programme.code")
    tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, help_text=_("Để trống: chưa đạt mức nào"))
    sets = SetsField(help_text=_("Mã bộ tiêu chí → kết quả tóm tắt"))
    figures_month = MonthField(
        source="basis_period",
        allow_null=True,
        help_text=_(
            "Tháng của báo cáo đã duyệt mà kết quả dựa vào: chính tháng này, hoặc một tháng trước khi số liệu được "
            "dùng tiếp; rỗng với huyện chỉ đánh giá qua các xã"
        ),
    )

    class Meta:
        model = Status
        fields = [
            "id",
            "unit",
            "unit_name",
            "level",
            "month",
            "programme",
            "tier",
            "criteria_met",
            "criteria_total",
            "computed_at",
            "sets",
            "figures_month",
        ]


# ---------------------------------------------------------------- evaluation: the input

YEAR_RANGE = format_lazy(_("Năm phải từ {low} đến {high}."), low=MIN_YEAR, high=MAX_YEAR)
MAX_VALUES = 500
# Beyond this a value is a typing error, and the gaps computed from it would not fit a JSON number.
MAX_MAGNITUDE = Decimal(10) ** 15


class EvaluateSerializer(serializers.Serializer):
    """Which criteria, which year, whose thresholds (a commune in the user's scope, or a region and its flags),
    and the values to try: the what-if page's form, as JSON."""

    programme = serializers.CharField(max_length=20, help_text=_("Mã giai đoạn, ví dụ 2021-2025"))
    set = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text=_("Mã một bộ tiêu chí cấp xã (ví dụ commune-advanced); bỏ trống: mọi bộ cấp xã"),
    )
    year = serializers.IntegerField(
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": _("Nhập năm đánh giá."),
            "invalid": _("Năm phải là một số nguyên, ví dụ 2024."),
            "min_value": YEAR_RANGE,
            "max_value": YEAR_RANGE,
            "max_string_length": _("Năm phải là một số nguyên, ví dụ 2024."),
        },
    )
    unit = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text=_("Mã xã (trong phạm vi của tài khoản); khi có, vùng và nhóm lấy theo xã"),
    )
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    tdmnpb = serializers.BooleanField(default=False, help_text=_("Xã áp dụng ngưỡng vùng TDMNPB"))
    commune_group = serializers.ChoiceField(choices=CommuneGroup.choices, required=False, allow_null=True)
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        default=dict,
        help_text=_("Mã số liệu → giá trị: số (hoặc chuỗi số), true/false, hoặc một mức xếp loại"),
    )

    def validate_unit(self, code: str) -> AdministrativeUnit | None:
        code = code.strip()
        if not code:
            return None
        unit = (
            AdministrativeUnit.objects.in_scope_of(self.context["request"].user)
            .filter(level=Level.COMMUNE, code=code)
            .first()
        )
        if unit is None:
            raise serializers.ValidationError(
                _("Không có xã mã %(code)s trong phạm vi bạn được xem.") % {"code": code}, code="unknown"
            )
        return unit

    def validate_values(self, values: dict) -> dict:
        """Each value checked against its measure, as the engine would (one query): an error names the measure."""
        if len(values) > MAX_VALUES:
            raise serializers.ValidationError(_("Tối đa %(count)s số liệu mỗi lần.") % {"count": MAX_VALUES})
        plausible = [code for code in values if len(code) <= 60 and "\x00" not in code]
        measures = {m.code: measure_def(m) for m in Measure.objects.filter(code__in=plausible)}
        errors, cleaned = {}, {}
        for code, raw in values.items():
            if code not in measures:
                errors[code] = [_("Không có số liệu mã “%(code)s”.") % {"code": code}]
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue  # no value: no data, as an empty field of the form
            measure = measures[code]
            try:
                value = coerce_value(measure, raw)
                if isinstance(value, Decimal) and abs(value) >= MAX_MAGNITUDE:
                    raise InvalidValue(_("%(value)s quá lớn") % {"value": raw})
            except InvalidValue as exc:
                errors[code] = [_("%(measure)s: %(reason)s.") % {"measure": measure.name, "reason": exc}]
                continue
            cleaned[code] = value
        if errors:
            raise serializers.ValidationError(errors)
        return cleaned

    def validate(self, data: dict) -> dict:
        if data.get("unit") is None and not data.get("region"):
            raise serializers.ValidationError({"region": [_("Chọn một vùng, hoặc nhập mã một xã.")]})
        programme = Programme.objects.filter(code=data["programme"]).first()
        if programme is None:
            raise serializers.ValidationError(
                {"programme": [_("Không có giai đoạn “%(code)s”.") % {"code": data["programme"]}]}
            )
        if not programme.start_year <= data["year"] <= programme.end_year:
            raise serializers.ValidationError(
                {
                    "year": [
                        _("Năm %(year)s nằm ngoài giai đoạn %(programme)s.")
                        % {"year": data["year"], "programme": programme.code}
                    ]
                }
            )
        return data

    def profile(self) -> UnitProfile:
        """Whose thresholds: the commune's when one was given, else the region and flags as sent."""
        data = self.validated_data
        if data.get("unit") is not None:
            return data["unit"].threshold_profile()
        return UnitProfile(
            region=data["region"], applies_tdmnpb=data["tdmnpb"], group=data.get("commune_group") or None
        )


# ---------------------------------------------------------------- evaluation: the explained result


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    official_code = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    measure = serializers.CharField(allow_null=True, help_text=_("Mã số liệu; trống với chỉ tiêu 'đạt bộ tiêu chí'"))
    value = serializers.JSONField(allow_null=True, help_text=_("Giá trị đã dùng (số, true/false hoặc mức)"))
    threshold = serializers.JSONField(allow_null=True, help_text=_("Ngưỡng đã áp dụng"))
    comparison = serializers.CharField()
    met = serializers.BooleanField(allow_null=True, help_text=_("Trống khi không đánh giá được"))
    outcome = serializers.ChoiceField(choices=[o.value for o in Outcome])
    gap = serializers.FloatField(allow_null=True, help_text=_("Còn thiếu bao nhiêu để đạt"))
    basis = serializers.CharField(allow_blank=True, help_text=_("Vì sao ngưỡng này áp dụng"))
    verified = serializers.BooleanField(allow_null=True, help_text=_("Ngưỡng đã được xác minh với văn bản gốc"))
    source = serializers.CharField(allow_blank=True, help_text=_("Nguồn của ngưỡng"))
    message = serializers.CharField(allow_blank=True)


class CriterionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    met = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=[o.value for o in Outcome])
    key = serializers.BooleanField(help_text=_("Tiêu chí then chốt (QĐ 18/2022)"))
    condition = serializers.BooleanField(help_text=_("Điều kiện: phải đạt nhưng không tính vào số tiêu chí"))
    indicators = IndicatorResultSerializer(many=True)


class SetResultSerializer(serializers.Serializer):
    met = serializers.BooleanField()
    reached = serializers.BooleanField(help_text=_("Đạt, và mọi mức thấp hơn cũng đạt"))
    criteria_met = serializers.IntegerField()
    criteria_total = serializers.IntegerField()
    criteria = CriterionResultSerializer(many=True)


class ProfileSerializer(serializers.Serializer):
    region = serializers.CharField(allow_blank=True)
    applies_tdmnpb = serializers.BooleanField()
    group = serializers.IntegerField(allow_null=True)
    province_code = serializers.CharField(allow_blank=True)


class EvaluationSerializer(serializers.Serializer):
    """Documents the shape of criteria.evaluation.ProgrammeResult.as_dict(), plus the thresholds' profile."""

    programme = serializers.CharField()
    year = serializers.IntegerField()
    tier = serializers.ChoiceField(choices=Tier.choices, allow_null=True, help_text=_("Mức cao nhất đạt được"))
    profile = ProfileSerializer(help_text=_("Vùng, diện TDMNPB, nhóm xã và tỉnh đã dùng để chọn ngưỡng"))
    sets = serializers.DictField(child=SetResultSerializer(), help_text=_("Mã bộ tiêu chí → kết quả giải thích"))


# ---------------------------------------------------------------- forecast: the query

TARGET_PATTERN = rf"^[0-9]{{4}}-({'|'.join(Tier.values)})$"


@extend_schema_field({"type": "string", "pattern": UnitCodeConverter.regex.join("^$"), "example": "62"})
class UnitCodeField(serializers.Field):
    """A unit's statistics-office code, checked by pattern before any query (a NUL byte or an overlong code never
    reaches the database)."""

    default_error_messages = {
        "required": _("Nhập unit: mã một tỉnh hoặc huyện trong phạm vi của bạn, ví dụ 62."),
        "invalid": _("unit phải là mã đơn vị của cơ quan thống kê: 1 đến 12 chữ số hoặc chữ cái, ví dụ 62."),
    }

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str) or not re.fullmatch(UnitCodeConverter.regex, data):
            self.fail("invalid")
        return data


@extend_schema_field({"type": "string", "pattern": TARGET_PATTERN, "example": "2025-standard"})
class TargetKeyField(serializers.Field):
    """`<year>-<tier>`, read as (year, tier)."""

    default_error_messages = {
        "invalid": format_lazy(
            _("target phải có dạng <năm>-<mức>, ví dụ 2025-standard; mức là một trong: {tiers}."),
            tiers=", ".join(Tier.values),
        ),
    }

    def to_internal_value(self, data) -> tuple[int, str]:
        if not isinstance(data, str) or not re.fullmatch(TARGET_PATTERN, data):
            self.fail("invalid")
        year, tier = data.split("-", 1)
        return int(year), tier


class ForecastQuerySerializer(serializers.Serializer):
    """The query string of /api/v1/forecasts/ (an empty parameter counts as not given)."""

    unit = UnitCodeField(help_text=_("Mã một tỉnh hoặc huyện trong phạm vi của bạn"))
    month = InputMonthField(
        required=False,
        help_text=_("Tháng dự báo (YYYY-MM); mặc định: tháng gần nhất có số liệu được duyệt trong đơn vị"),
    )
    target = TargetKeyField(
        required=False,
        help_text=_("Chỉ giữ các mục tiêu của một năm và một mức: <năm>-<mức>, ví dụ 2025-standard"),
    )


# ---------------------------------------------------------------- forecast: the answer (reports.forecast)


class ForecastUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text=_("Tên có hiệu lực trong tháng dự báo"))
    level = serializers.ChoiceField(choices=Level.choices)


class ForecastCommuneSerializer(serializers.Serializer):
    """A commune's forecast for the target's tier (reports.forecast.CommuneForecast)."""

    code = serializers.CharField()
    name = serializers.CharField()
    month = MonthField(allow_null=True, help_text=_("Tháng dự báo đạt mức (tính vừa); null: không đạt với xu hướng"))
    early = MonthField(allow_null=True, help_text=_("Tháng đạt khi tính nhanh; null: không đạt"))
    late = MonthField(allow_null=True, help_text=_("Tháng đạt khi tính chậm; null: không đạt"))


class ForecastCountsSerializer(serializers.Serializer):
    low = serializers.IntegerField(help_text=_("Số xã đạt mức đúng hạn khi tính chậm"))
    central = serializers.IntegerField(help_text=_("Số xã đạt mức đúng hạn khi tính vừa"))
    high = serializers.IntegerField(help_text=_("Số xã đạt mức đúng hạn khi tính nhanh"))


class TargetForecastSerializer(serializers.Serializer):
    """One target's forecast (reports.forecast.TargetForecast)."""

    key = serializers.SerializerMethodField(help_text=_("<năm>-<mức>, như tham số target"))
    tier = serializers.ChoiceField(source="target.tier", choices=Tier.choices)
    year = serializers.IntegerField(source="target.year")
    kind = serializers.ChoiceField(
        source="target.kind",
        choices=["plan", "share", "national"],
        help_text=_("plan: số xã theo kế hoạch; share: tỷ lệ số xã; national: mục tiêu cả nước"),
    )
    label = serializers.CharField(source="target.label")
    source = serializers.CharField(source="target.source", allow_blank=True, help_text=_("Văn bản giao chỉ tiêu"))
    target = serializers.IntegerField(source="target.count", help_text=_("Số xã phải đạt mức đến tháng 12 của năm"))
    met_now = serializers.IntegerField(help_text=_("Số xã đã đạt mức theo số liệu trong tháng dự báo"))
    forecast = ForecastCountsSerializer(source="*")
    reaches_target = serializers.BooleanField(
        allow_null=True,
        help_text=_("true: đạt cả khi tính chậm; false: không đạt cả khi tính nhanh; null: tùy các xã quyết định"),
    )
    text = serializers.CharField()
    out_of = serializers.IntegerField(
        help_text=_("Số xã thuộc diện đánh giá của đơn vị trong tháng, kể cả xã chưa có kết quả")
    )
    deciding = ForecastCommuneSerializer(
        many=True, help_text=_("Xã đạt mức đúng hạn khi tính nhanh nhưng không đạt khi tính chậm")
    )
    next_in_line = ForecastCommuneSerializer(
        many=True, help_text=_("Xã đạt mức sau hạn ngay cả khi tính nhanh, sớm nhất trước (tối đa 10)")
    )

    def get_key(self, forecast) -> str:
        return f"{forecast.target.year}-{forecast.target.tier}"


class ForecastSerializer(serializers.Serializer):
    """A province's or district's targets forecast at the pace of its communes' approved figures: a forecast,
    never a result."""

    unit = ForecastUnitSerializer()
    month = MonthField(help_text=_("Tháng dự báo: số liệu được duyệt đến tháng này"))
    is_forecast = serializers.BooleanField(help_text=_("Luôn true: đây là dự báo, không phải kết quả đánh giá"))
    programme = serializers.CharField(
        allow_null=True, help_text=_("Mã giai đoạn áp dụng cho tháng; null: không có, nên không dự báo")
    )
    horizon = MonthField(help_text=_("Tháng cuối cùng bộ tiêu chí của giai đoạn còn áp dụng"))
    method = serializers.CharField(help_text=_("Cách tính dự báo"))
    targets = TargetForecastSerializer(many=True)
