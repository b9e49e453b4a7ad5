"""/api/v1/reports/: monthly reports, read by everyone in scope, drafted and submitted by district officials.

Writes follow the web's rules and Vietnamese messages (communes.permissions for who may write, monthly.services
for what is written); a report outside the user's scope is 404, like a missing one.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api.exceptions import error_response
from api.views import FILTER_BACKENDS, errors
from communes.models import AdministrativeUnit
from communes.permissions import REPORTING_LEVELS, can_edit, unit_or_404
from monthly import services
from monthly.api.serializers import (
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ReportSubmitSerializer,
    ReportUpdateSerializer,
)
from monthly.filtersets import ReportFilterSet
from monthly.models import Report, Value

# The web's sentences (monthly.views), so they share its translations.
NOT_EDITOR = _("Chỉ cán bộ huyện, xã phụ trách mới được nhập số liệu của đơn vị này.")
NOT_SUBMITTER = _("Chỉ cán bộ huyện, xã phụ trách mới được gửi báo cáo này.")


def require_editor(user, unit: AdministrativeUnit, message) -> None:
    """The web's rule for entering and submitting figures (a district official of the unit), as a 403."""
    if not can_edit(user, unit):
        raise PermissionDenied(message)


def refusal(exc: services.ReportError) -> Response:
    """A service's refusal: figures that cannot be saved are 400 (each under its measure code), the rest 409."""
    if isinstance(exc, services.InvalidValues):
        return error_response(exc.message, errors={code: [message] for code, message in exc.errors.items()})
    return error_response(exc.message, status_code=status.HTTP_409_CONFLICT)


@extend_schema_view(
    list=extend_schema(responses={200: ReportSerializer, **errors(400, 401, 404, 429)}),
    retrieve=extend_schema(responses={200: ReportDetailSerializer, **errors(401, 404, 429)}),
    create=extend_schema(
        summary=_("Lưu bản nháp báo cáo tháng của một đơn vị (tạo mới nếu chưa có)"),
        request=ReportCreateSerializer,
        responses={
            201: OpenApiResponse(ReportDetailSerializer, description=_("Đã tạo báo cáo của tháng.")),
            200: OpenApiResponse(ReportDetailSerializer, description=_("Đã lưu vào báo cáo đã có của tháng.")),
            **errors(400, 401, 403, 404, 409, 429),
        },
    ),
    partial_update=extend_schema(
        summary=_("Sửa số liệu của bản nháp (hoặc báo cáo bị trả lại), kèm phiên bản đã đọc"),
        request=ReportUpdateSerializer,
        responses={200: ReportDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly reports of the units in your scope. District officials also save drafts and submit them, with the
    web's checks and messages."""

    filterset_class = ReportFilterSet
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["period", "status", "version", "submitted_at", "approved_at", "updated_at"]
    ordering = ["-period", "unit__path"]

    def get_queryset(self):
        reports = Report.objects.visible_to(self.request.user).select_related("unit", "programme")
        if self.action == "list":
            return reports
        values = Value.objects.select_related("measure").order_by("measure__code")
        return reports.prefetch_related(Prefetch("values", queryset=values))

    def get_serializer_class(self):
        return ReportSerializer if self.action == "list" else ReportDetailSerializer

    def create(self, request, *args, **kwargs):
        data = self._validated(ReportCreateSerializer)
        unit = unit_or_404(request, data["unit"], REPORTING_LEVELS, on=data["month"])
        require_editor(request.user, unit, NOT_EDITOR)
        existed = Report.objects.filter(unit=unit, period=data["month"]).exists()
        try:
            report = services.save_values(
                unit=unit,
                period=data["month"],
                raw=data["values"],
                by=request.user,
                expected_version=data.get("version"),
                version_required=True,
                via="api",
            )
        except services.ReportError as exc:
            return refusal(exc)
        return Response(self._detail(report), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        require_editor(request.user, report.unit, NOT_EDITOR)
        data = self._validated(ReportUpdateSerializer)
        try:
            report = services.save_values(
                unit=report.unit,
                period=report.period,
                raw=data["values"],
                by=request.user,
                expected_version=data["version"],
                via="api",
            )
        except services.ReportError as exc:
            return refusal(exc)
        return Response(self._detail(report))

    @extend_schema(
        summary=_("Gửi báo cáo tới Văn phòng điều phối"),
        request=ReportSubmitSerializer,
        responses={200: ReportDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        report = self.get_object()
        require_editor(request.user, report.unit, NOT_SUBMITTER)
        data = self._validated(ReportSubmitSerializer)
        try:
            report = services.submit_report(report=report, by=request.user, expected_version=data.get("version"))
        except services.ReportError as exc:
            return refusal(exc)
        return Response(self._detail(report))

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, report: Report) -> dict:
        """The report as the detail shows it, read again with its values."""
        return ReportDetailSerializer(self.get_queryset().get(pk=report.pk)).data
