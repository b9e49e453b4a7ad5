"""Shared pieces of every app's API views: stable ordering, and the error answers for the schema."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import filters
from rest_framework.permissions import AllowAny, BasePermission

from api.serializers import ErrorSerializer


class StableOrderingFilter(filters.OrderingFilter):
    """OrderingFilter with the primary key last: rows that tie on the requested fields keep their page."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return [*ordering, "pk"] if ordering else ordering


FILTER_BACKENDS = [DjangoFilterBackend, StableOrderingFilter]

ERROR_DESCRIPTIONS = {
    400: _("Dữ liệu gửi lên (hoặc tham số lọc) không hợp lệ; `errors` nêu từng trường hoặc mã số liệu."),
    401: _("Chưa đăng nhập hoặc khóa truy cập không hợp lệ."),
    403: _("Vai trò của bạn (hoặc khóa chỉ đọc) không được làm việc này."),
    404: _("Không có, hoặc không thuộc phạm vi của bạn (kể cả trang vượt quá số trang)."),
    409: _(
        "Báo cáo đã khóa (đã gửi, đã duyệt), đã có người sửa sau phiên bản bạn đọc, "
        "hoặc tháng không thuộc giai đoạn nào."
    ),
    429: _("Quá nhiều yêu cầu."),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error answers for the schema, all in the one shape of api.exceptions."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in codes}


def read_only_schema(serializer) -> dict:
    return {
        "list": extend_schema(responses={200: serializer, **errors(400, 401, 404, 429)}),
        "retrieve": extend_schema(responses={200: serializer, **errors(401, 404, 429)}),
    }


# ---------------------------------------------------------------- the schema and its viewer


def schema_open_to(request) -> bool:
    """The schema and its viewer need a login (a session or a token), like every page of the portal, unless the
    API_SCHEMA_PUBLIC setting opens them (DJANGO_API_SCHEMA_PUBLIC=true)."""
    return settings.API_SCHEMA_PUBLIC or bool(request.user and request.user.is_authenticated)


class SchemaAccess(BasePermission):
    def has_permission(self, request, view) -> bool:
        return schema_open_to(request)


class SchemaView(SpectacularAPIView):
    permission_classes = [SchemaAccess]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI; a person not logged in is sent to the login page, as everywhere else. The split view serves its
    start-up script from its own URL (?script=), so the page needs no inline script (SECURE_CSP)."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not schema_open_to(request):
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
