"""What /api/v1/ shows of units, and the month field every app's serializers use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.models import AdministrativeUnit
from communes.months import MONTH_PATTERN, parse_month
from criteria.choices import Region


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

    commune_group = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Nhóm xã theo QĐ 51/2025 có hiệu lực vào ngày as_of (mặc định hôm nay); null: chưa phân nhóm"),
    )

    # Floats, not the model's decimals (which DRF would write as strings): a map reads them as they come.
    lat = serializers.FloatField(
        source="latitude",
        read_only=True,
        allow_null=True,
        help_text=_("Vĩ độ điểm trung tâm của đơn vị (WGS 84), để đặt lên bản đồ; null: chưa có tọa độ"),
    )
    lon = serializers.FloatField(
        source="longitude",
        read_only=True,
        allow_null=True,
        help_text=_("Kinh độ điểm trung tâm của đơn vị (WGS 84); null: chưa có tọa độ"),
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
            "lat",
            "lon",
            "is_demo",
        ]


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2024-05"})
class MonthField(serializers.CharField):
    """A month written YYYY-MM, read as its first day (with communes.months.parse_month's message when it is not)."""

    def to_internal_value(self, data):
        try:
            return parse_month(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
