"""What /api/v1/ shows of recognition decisions and targets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from records.models import Recognition, Target


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
