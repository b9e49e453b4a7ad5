"""/api/v1/ of the communes app: units, monthly reports (read by everyone in scope, drafted and submitted by district
officials), recognition decisions and targets.

Scope is decided where the HTML pages decide it (in_scope_of, Report.visible_to, records_in_scope): a row outside it
is 404, like a missing one. Writes follow the web's rules and Vietnamese messages (communes.views.access for who may
write, communes.services for what is written).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from communes import services
from communes.api.exceptions import error_response
from communes.api.serializers import (
    AdministrativeUnitSerializer,
    ErrorSerializer,
    RecognitionSerializer,
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
    TargetSerializer,
)
from communes.filtersets import (
    AdministrativeUnitFilterSet,
    RecognitionFilterSet,
    ReportFilterSet,
    TargetFilterSet,
    province_region,
)
from communes.models import AdministrativeUnit, Recognition, Report, Target, Value
from communes.views.access import REPORTING_LEVELS, can_edit, unit_or_404
from communes.views.records import records_in_scope


class StableOrderingFilter(filters.OrderingFilter):
    """OrderingFilter with the primary key last: rows that tie on the requested fields keep their page."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return [*ordering, "pk"] if ordering else ordering


FILTER_BACKENDS = [DjangoFilterBackend, StableOrderingFilter]

ERROR_DESCRIPTIONS = {
    400: "Dữ liệu gửi lên (hoặc tham số lọc) không hợp lệ; `errors` nêu từng trường hoặc mã số liệu.",
    401: "Chưa đăng nhập hoặc khóa truy cập không hợp lệ.",
    403: "Vai trò của bạn (hoặc khóa chỉ đọc) không được làm việc này.",
    404: "Không có, hoặc không thuộc phạm vi của bạn (kể cả trang vượt quá số trang).",
    409: (
        "Báo cáo đã khóa (đã gửi, đã duyệt), đã có người sửa sau phiên bản bạn đọc, "
        "hoặc tháng không thuộc giai đoạn nào."
    ),
    429: "Quá nhiều yêu cầu.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error answers for the schema, all in the one shape of communes.api.exceptions."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in codes}


def read_only_schema(serializer) -> dict:
    return {
        "list": extend_schema(responses={200: serializer, **errors(400, 401, 404, 429)}),
        "retrieve": extend_schema(responses={200: serializer, **errors(401, 404, 429)}),
    }


# ---------------------------------------------------------------- units


@extend_schema_view(**read_only_schema(AdministrativeUnitSerializer))
class AdministrativeUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Provinces, districts, communes and villages in your scope; one by its statistics office (GSO) code."""

    serializer_class = AdministrativeUnitSerializer
    filterset_class = AdministrativeUnitFilterSet
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["path", "code", "name", "level", "valid_from", "valid_to"]
    ordering = ["path"]
    lookup_field = "code"

    def get_queryset(self):
        units = AdministrativeUnit.objects.in_scope_of(self.request.user).select_related("parent")
        return units.annotate(province_region=province_region())

    def get_object(self) -> AdministrativeUnit:
        # Codes repeat across levels in rare cases: pick as the HTML pages do (communes.views.access.unit_or_404).
        # PostgreSQL refuses NUL in a string parameter, so a code holding one is simply not found.
        code = self.kwargs["code"]
        unit = None if "\x00" in code else self.get_queryset().filter(code=code).order_by("level").first()
        if unit is None:
            raise NotFound
        self.check_object_permissions(self.request, unit)
        return unit


# ---------------------------------------------------------------- monthly reports

# The web's sentences (communes.views.monthly), so they share its translations.
NOT_EDITOR = _("Chỉ cán bộ huyện phụ trách mới được nhập số liệu của đơn vị này.")
NOT_SUBMITTER = _("Chỉ cán bộ huyện phụ trách mới được gửi báo cáo này.")


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
        summary="Lưu bản nháp báo cáo tháng của một đơn vị (tạo mới nếu chưa có)",
        request=ReportCreateSerializer,
        responses={
            201: OpenApiResponse(ReportDetailSerializer, description="Đã tạo báo cáo của tháng."),
            200: OpenApiResponse(ReportDetailSerializer, description="Đã lưu vào báo cáo đã có của tháng."),
            **errors(400, 401, 403, 404, 409, 429),
        },
    ),
    partial_update=extend_schema(
        summary="Sửa số liệu của bản nháp (hoặc báo cáo bị trả lại), kèm phiên bản đã đọc",
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
        unit = unit_or_404(request, data["unit"], REPORTING_LEVELS)
        require_editor(request.user, unit, NOT_EDITOR)
        existed = Report.objects.filter(unit=unit, period=data["month"]).exists()
        try:
            report = services.save_values(
                unit=unit,
                period=data["month"],
                raw=data["values"],
                by=request.user,
                expected_version=data.get("version"),
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
        summary="Gửi báo cáo tới Văn phòng điều phối",
        request=None,
        responses={200: ReportDetailSerializer, **errors(401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        report = self.get_object()
        require_editor(request.user, report.unit, NOT_SUBMITTER)
        try:
            report = services.submit_report(report=report, by=request.user)
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


# ---------------------------------------------------------------- recognition decisions and targets


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
