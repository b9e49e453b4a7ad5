"""/api/v1/units/: the units in your scope.

Scope is decided where the HTML pages decide it (communes.permissions): a unit outside it is 404, like a missing one.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from api.views import FILTER_BACKENDS, read_only_schema
from communes.api.serializers import AdministrativeUnitSerializer
from communes.filtersets import AdministrativeUnitFilterSet, province_region
from communes.groups import CommuneGroupAssignment
from communes.models import AdministrativeUnit
from communes.months import UnitCodeConverter, parse_day
from communes.permissions import pick_at


@extend_schema_view(**read_only_schema(AdministrativeUnitSerializer))
class AdministrativeUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Provinces, districts, communes and villages in your scope; one by its statistics office (GSO) code."""

    serializer_class = AdministrativeUnitSerializer
    filterset_class = AdministrativeUnitFilterSet
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["path", "code", "name", "level", "valid_from", "valid_to"]
    ordering = ["path"]
    lookup_field = "code"
    lookup_value_regex = UnitCodeConverter.regex  # checked before any query: a NUL or an overlong code is a 404

    def get_queryset(self):
        units = AdministrativeUnit.objects.in_scope_of(self.request.user).select_related("parent")
        # A commune's 2026-2030 group is dated: the one in force on ?as_of= (default today).
        day = parse_day(self.request.query_params.get("as_of", "")) or timezone.localdate()
        group = (
            CommuneGroupAssignment.objects.filter(unit=OuterRef("pk"), valid_from__lte=day)
            .order_by("-valid_from")
            .values("group")[:1]
        )
        return units.annotate(province_region=province_region(), commune_group=Subquery(group))

    def get_object(self) -> AdministrativeUnit:
        # Codes repeat across levels in rare cases and across the 2025 reform: pick as the HTML pages do
        # (communes.permissions.unit_or_404).
        # PostgreSQL refuses NUL in a string parameter, so a code holding one is simply not found.
        code = self.kwargs["code"]
        units = [] if "\x00" in code else list(self.get_queryset().filter(code=code).order_by("level"))
        # Codes were reused in 2025: resolved on ?as_of= (default today), as the pages resolve ?on=.
        day = parse_day(self.request.query_params.get("as_of", "")) or timezone.localdate()
        unit = pick_at(units, day)
        if unit is None:
            raise NotFound
        self.check_object_permissions(self.request, unit)
        return unit
