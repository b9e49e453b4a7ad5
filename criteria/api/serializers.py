"""The criteria as the API shows them: programmes, then sets with their criteria, indicators, measures and thresholds.

Numbers (thresholds, ranges, multipliers) are JSON numbers, not strings: they are read by other systems' code.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from criteria.models import CriteriaSet, Criterion, Indicator, Measure, Programme, Threshold


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["code", "name", "legal_basis", "start_year", "end_year"]


class MeasureSerializer(serializers.ModelSerializer):
    min = serializers.DecimalField(
        source="min_value", max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    max = serializers.DecimalField(
        source="max_value", max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    levels = serializers.ListField(child=serializers.CharField(), help_text=_("Với kiểu mức xếp loại: từ thấp đến cao"))

    class Meta:
        model = Measure
        fields = ["code", "name", "kind", "unit", "min", "max", "levels"]


class ThresholdSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Threshold
        fields = ["value", "level_value", "region", "tdmnpb_rule", "commune_group", "year", "source", "verified"]


class IndicatorSerializer(serializers.ModelSerializer):
    measure = MeasureSerializer(allow_null=True)
    multiplier = serializers.DecimalField(max_digits=8, decimal_places=4, coerce_to_string=False, allow_null=True)
    thresholds = ThresholdSerializer(many=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "official_code",
            "name",
            "comparison",
            "reference",
            "multiplier",
            "measure",
            "thresholds",
        ]


class CriterionSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = Criterion
        fields = ["number", "name", "group", "is_key", "kind", "department", "indicators"]


class CriteriaSetSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code")

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "programme",
            "code",
            "name",
            "level",
            "tier",
            "rank",
            "status",
            "province_code",
            "province_name",
            "legal_basis",
            "derived_from",
            "effective_from",
        ]


class CriteriaSetDetailSerializer(CriteriaSetSerializer):
    criteria = CriterionSerializer(many=True)

    class Meta(CriteriaSetSerializer.Meta):
        fields = [*CriteriaSetSerializer.Meta.fields, "description", "criteria"]
