"""/api/v1/recognitions/ and /api/v1/targets/: the records of the units in your scope (404 outside it)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from api.views import FILTER_BACKENDS, read_only_schema
from records.api.serializers import RecognitionSerializer, TargetSerializer
from records.filtersets import RecognitionFilterSet, TargetFilterSet
from records.models import Recognition, Target
from records.views import records_in_scope


@extend_schema_view(**read_only_schema(RecognitionSerializer))
class RecognitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Decisions recognising units in your scope at a tier (QĐ 18/2022/QĐ-TTg), with their revocation if any."""

    serializer_class = RecognitionSerializer
    filterset_class = RecognitionFilterSet
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["decision_date", "tier", "decision_number", "revoked_date"]
    ordering = ["unit__path", "decision_date"]

    def get_queryset(self):
        return records_in_scope(Recognition, self.request.user)


@extend_schema_view(**read_only_schema(TargetSerializer))
class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Targets the provinces and districts in your scope set themselves by a year."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["year", "kind", "tier", "value"]
    ordering = ["unit__path", "year", "kind", "level", "tier"]

    def get_queryset(self):
        return records_in_scope(Target, self.request.user)
