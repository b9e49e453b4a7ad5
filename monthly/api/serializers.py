"""What /api/v1/ shows of monthly reports and what it accepts to write one. Units, measures and programmes appear
by their codes."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.api.serializers import MonthField
from monthly.models import Report, Value


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
    """Measure code → value. The values themselves are checked by monthly.services.validate_values, as on the web."""

    child = serializers.JSONField(allow_null=True)


class ReportCreateSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=12, help_text=_("Mã đơn vị (xã, thôn hoặc huyện) trong phạm vi của bạn"))
    month = MonthField(help_text=_("Tháng báo cáo, YYYY-MM"))
    values = ValuesField()
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=_(
            "Bắt buộc khi báo cáo của tháng đã có: phiên bản bạn đã đọc (thiếu hoặc cũ: 409), để không ghi đè số "
            "liệu người khác vừa sửa"
        ),
    )


class ReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=_(
            "Phiên bản của báo cáo khi bạn đọc nó: có thì báo cáo đã bị sửa sau đó không được gửi (409), để không "
            "gửi số liệu bạn chưa xem"
        ),
    )


class ReportUpdateSerializer(serializers.Serializer):
    values = ValuesField()
    version = serializers.IntegerField(
        min_value=0, help_text=_("Phiên bản của báo cáo khi bạn đọc nó; đã có người sửa sau đó thì bị từ chối (409)")
    )

    # Every PATCH needs both fields (the version check), so this is never partial; drf-spectacular would otherwise
    # document a PATCH body with nothing required.
    partial = property(lambda self: False, lambda self, value: None)
