"""Computed statuses (read-only, within the user's scope), the what-if evaluation of values against criteria, and the
forecast of a province's or district's targets (read-only, for other agencies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.exceptions import error_response
from api.parsers import SafeJSONParser
from api.views import errors
from communes.models import AdministrativeUnit, user_unit_paths
from communes.months import parse_month
from communes.permissions import pick_at
from criteria.services import UnknownCriteria, evaluate_values
from reports.api.serializers import (
    EvaluateSerializer,
    EvaluationSerializer,
    ForecastQuerySerializer,
    ForecastSerializer,
    StatusSerializer,
)
from reports.coverage import ensure_results
from reports.dashboard import default_period
from reports.filtersets import StatusFilterSet
from reports.forecast_views import SCOPE_LEVELS, scope_forecast
from reports.models import Status

# What the list reads: not the units' search and sort keys, nor the programmes' names.
STATUS_COLUMNS = [
    *("period", "tier", "criteria_met", "criteria_total", "computed_at", "sets", "basis_period"),
    *("unit__code", "unit__name", "unit__level", "programme__code"),
]


@extend_schema_view(
    list=extend_schema(responses={200: StatusSerializer, **errors(400, 401, 404, 429)}),
    retrieve=extend_schema(responses={200: StatusSerializer, **errors(401, 404, 429)}),
)
class StatusViewSet(viewsets.ReadOnlyModelViewSet):
    """Each unit's computed standing for a month: tier, criteria met, and a summary per set. A status outside
    the user's scope is neither listed nor found."""

    serializer_class = StatusSerializer
    filterset_class = StatusFilterSet
    # The FilterSet's `ordering` (month, unit, criteria_met) replaces DRF's, which would reorder after it.
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = "[0-9]+"

    def list(self, request, *args, **kwargs):
        self._ensure_month(request)
        return super().list(request, *args, **kwargs)

    def _ensure_month(self, request) -> None:
        """A month asked for has a result for every commune with approved figures by then (reports.coverage), as
        the pages do, before it is listed; a malformed month is left to the filter's error."""
        try:
            month = parse_month(request.query_params.get("month", ""))
        except ValueError:
            return
        user = request.user
        scopes = [None] if user.is_superuser else AdministrativeUnit.objects.filter(path__in=user_unit_paths(user))
        for scope in scopes:
            ensure_results(scope, [month])

    def get_queryset(self):
        return (
            Status.objects.visible_to(self.request.user)
            .select_related("unit", "programme")
            .only(*STATUS_COLUMNS)
            .order_by("-period", "unit__path", "pk")
        )


class EvaluateView(generics.GenericAPIView):
    """Judge values against a programme's criteria (or one set of it) for a commune of the user's scope, or for a
    region with its flags, and explain every indicator: the threshold that applied and why, its source and
    whether it was verified, met or not, and the gap. Nothing is saved."""

    serializer_class = EvaluateSerializer
    parser_classes = [SafeJSONParser]
    # Without TokenAccess: a read-only token may call this POST, since it writes nothing.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=EvaluateSerializer,
        responses={200: EvaluationSerializer, **errors(400, 401, 429)},
        examples=[
            OpenApiExample(
                "Một vùng",
                request_only=True,
                value={
                    "programme": "2021-2025",
                    "year": 2024,
                    "region": "TN",
                    "tdmnpb": False,
                    "values": {"income_per_capita": 52, "poverty_rate": "4,5", "planning_approved": True},
                },
            ),
            OpenApiExample(
                "Một xã",
                request_only=True,
                value={
                    "programme": "2021-2025",
                    "set": "commune-standard",
                    "year": 2024,
                    "unit": "23353",
                    "values": {},
                },
            ),
        ],
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, profile = serializer.validated_data, serializer.profile()
        try:
            result = evaluate_values(
                programme=data["programme"],
                profile=profile,
                year=data["year"],
                values=data["values"],
                set_code=data.get("set") or None,
            )
        except UnknownCriteria as exc:
            return error_response(str(exc), errors={"set" if data.get("set") else "programme": [str(exc)]})
        return Response({**result.as_dict(), "profile": asdict(profile)})


class ForecastView(generics.GenericAPIView):
    """The forecast of a province's or district's targets (a number of communes at a tier by a year): how many
    communes would reach each at the pace of their approved figures, with a range, the communes that decide it and
    the method, as the dashboards show it (reports.forecast). A forecast, never a result: `is_forecast` is always
    true. A unit outside your scope, unknown, or not a province or district is 404."""

    serializer_class = ForecastSerializer

    @extend_schema(
        parameters=[ForecastQuerySerializer],
        responses={200: ForecastSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request):
        # An empty parameter (?month=) counts as not given, as on the pages and in the other endpoints' filters.
        query = ForecastQuerySerializer(data={key: value for key, value in request.query_params.items() if value})
        query.is_valid(raise_exception=True)
        month, wanted = query.validated_data.get("month"), query.validated_data.get("target")
        scope = scope_or_404(request.user, query.validated_data["unit"], month or timezone.localdate())
        period = month or default_period(scope)
        scope.named_on(period)
        forecast = scope_forecast(scope, period)
        targets = [t for t in forecast.targets if wanted in (None, (t.target.year, t.target.tier))]
        answer = {
            "unit": scope,
            "month": forecast.as_of,
            "is_forecast": forecast.is_forecast,
            "programme": forecast.programme or None,
            "horizon": forecast.horizon,
            "method": forecast.method,
            "targets": targets,
        }
        return Response(self.get_serializer(answer).data)


def scope_or_404(user, code: str, day: dt.date) -> AdministrativeUnit:
    """A province or district of the user's scope with this code, resolved on the day as the forecast page resolves
    it (communes.permissions.pick_at: codes were reused in 2025); else 404, like a missing one."""
    units = AdministrativeUnit.objects.in_scope_of(user).filter(code=code, level__in=SCOPE_LEVELS).order_by("level")
    scope = pick_at(list(units), day)
    if scope is None:
        raise NotFound(_("Không có tỉnh hoặc huyện mã %(code)s trong phạm vi của bạn.") % {"code": code})
    return scope
