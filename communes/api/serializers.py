"""What /api/v1/ shows of units, monthly reports, recognition decisions and targets, and what it accepts to write
a report. Units, measures and programmes appear by their codes."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.filtersets import MONTH_PATTERN
from communes.models import AdministrativeUnit, Recognition, Report, Target, Value
from communes.services import parse_month
from criteria.choices import Region

# ---------------------------------------------------------------- errors


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error (communes.api.exceptions), for the schema."""

    status = serializers.IntegerField(help_text=_("Mã trạng thái HTTP, như ở dòng trạng thái"))
    code = serializers.CharField(help_text=_("Loại lỗi: invalid, not_found, permission_denied, error…"))
    detail = serializers.CharField(help_text=_("Câu giải thích bằng tiếng Việt"))
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_("Chỉ khi lỗi nằm ở trường cụ thể: tên trường (hoặc mã số liệu) → các thông báo"),
    )


# ---------------------------------------------------------------- units


class AdministrativeUnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent.code", read_only=True, allow_null=True, help_text=_("Mã đơn vị cấp trên")
    )
    region = serializers.ChoiceField(
        choices=Region.choices,
        source="province_region",
        read_only=True,
        allow_blank=True,
        allow_null=True,
        help_text=_("Vùng kinh tế - xã hội của tỉnh chứa đơn vị (chỉ cấp tỉnh ghi vùng, đơn vị cấp dưới theo tỉnh)"),
    )

    class Meta:
        model = AdministrativeUnit
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "path",
            "region",
            "applies_tdmnpb_thresholds",
            "commune_group",
            "valid_from",
            "valid_to",
            "is_demo",
        ]


# ---------------------------------------------------------------- monthly reports


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text=_("Mã đơn vị"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    month = serializers.CharField(source="month_code", read_only=True, help_text=_("Tháng báo cáo, YYYY-MM"))
    programme = serializers.CharField(source="programme.code", read_only=True, help_text=_("Mã giai đoạn"))

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            "unit_name",
            "month",
            "programme",
            "status",
            "version",
            "is_late",
            "submitted_at",
            "approved_at",
            "updated_at",
        ]
        read_only_fields = fields


# A figure as it is stored: a number (as a decimal string, so nothing is lost to floating point), yes/no, or a level.
VALUE_SCHEMA = {"oneOf": [{"type": "string", "nullable": True}, {"type": "boolean"}]}


class ValueSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code", read_only=True, help_text=_("Mã số liệu"))
    value = serializers.SerializerMethodField(
        help_text=_('Số (dạng chuỗi thập phân, ví dụ "52.5"), true/false, hoặc tên mức xếp loại')
    )

    class Meta:
        model = Value
        fields = ["measure", "value", "note"]
        read_only_fields = fields

    @extend_schema_field(VALUE_SCHEMA)
    def get_value(self, obj: Value) -> str | bool | None:
        value = obj.value
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return value


class ReportDetailSerializer(ReportSerializer):
    values = ValueSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "values"]
        read_only_fields = fields


# What a client may send for one measure; anything else is refused by the service with a message naming the measure.
INPUT_VALUE_SCHEMA = {"oneOf": [{"type": "number"}, {"type": "string", "nullable": True}, {"type": "boolean"}]}


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": INPUT_VALUE_SCHEMA,
        "description": (
            "Mã số liệu → giá trị: số (hoặc chuỗi số, dấu phẩy hay dấu chấm thập phân), true/false, tên mức; "
            'null hoặc "" xóa giá trị. Số liệu không gửi thì giữ nguyên.'
        ),
        "example": {"income_per_capita": 52.5, "plan_approved": True},
    }
)
class ValuesField(serializers.DictField):
    """Measure code → value. The values themselves are checked by communes.services.validate_values, as on the web."""

    child = serializers.JSONField(allow_null=True)


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2024-05"})
class MonthField(serializers.CharField):
    """A month written YYYY-MM, read as its first day (with communes.services.parse_month's message when it is not)."""

    def to_internal_value(self, data):
        try:
            return parse_month(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class ReportCreateSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=12, help_text=_("Mã đơn vị (xã, thôn hoặc huyện) trong phạm vi của bạn"))
    month = MonthField(help_text=_("Tháng báo cáo, YYYY-MM"))
    values = ValuesField()
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=_("Khi báo cáo của tháng đã có: phiên bản bạn đã đọc, để không ghi đè số liệu người khác vừa sửa"),
    )


class ReportUpdateSerializer(serializers.Serializer):
    values = ValuesField()
    version = serializers.IntegerField(
        min_value=0, help_text=_("Phiên bản của báo cáo khi bạn đọc nó; đã có người sửa sau đó thì bị từ chối (409)")
    )

    # Every PATCH needs both fields (the version check), so this is never partial; drf-spectacular would otherwise
    # document a PATCH body with nothing required.
    partial = property(lambda self: False, lambda self, value: None)


# ---------------------------------------------------------------- recognition decisions and targets


class RecognitionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text=_("Mã đơn vị"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    programme = serializers.CharField(source="programme.code", read_only=True, help_text=_("Mã giai đoạn"))

    class Meta:
        model = Recognition
        fields = [
            "id",
            "unit",
            "unit_name",
            "tier",
            "programme",
            "decision_number",
            "decision_date",
            "issuer",
            "revoked_decision_number",
            "revoked_date",
            "revocation_reason",
            "note",
            "is_demo",
        ]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text=_("Mã đơn vị"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "unit", "unit_name", "year", "kind", "level", "tier", "value", "source", "is_demo"]
        read_only_fields = fields
