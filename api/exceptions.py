"""One shape for every error of /api/v1/, with a Vietnamese sentence:

    {"status": 400, "code": "invalid", "detail": "<Vietnamese sentence>", "errors": {"field": ["…"]}}

`errors` (field → messages) only when fields are at fault.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def _messages() -> dict[str, str]:
    return {
        "not_authenticated": _("Cần đăng nhập hoặc gửi khóa truy cập (Authorization: Token <khóa>)."),
        "authentication_failed": _("Xác thực không thành công."),
        "permission_denied": _("Bạn không có quyền thực hiện thao tác này."),
        "not_found": _("Không tìm thấy, hoặc không thuộc phạm vi của bạn."),
        "method_not_allowed": _("Phương thức này không được hỗ trợ ở địa chỉ này."),
        "not_acceptable": _("Không thể trả về định dạng được yêu cầu."),
        "unsupported_media_type": _("Định dạng dữ liệu gửi lên không được hỗ trợ: hãy gửi JSON."),
        "parse_error": _("Dữ liệu gửi lên không đọc được: JSON không hợp lệ."),
        "throttled": _("Quá nhiều yêu cầu: vui lòng thử lại sau."),
        "invalid": _("Dữ liệu gửi lên không hợp lệ."),
        "error": _("Yêu cầu không thực hiện được."),
    }


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = _code(exc)
    messages = _messages()
    body = {"status": response.status_code, "code": code, "detail": messages.get(code, messages["error"])}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            general = detail.pop("non_field_errors", None) or detail.pop("detail", None)
            if general:
                body["detail"] = " ".join(str(m) for m in _flatten(general))
            if detail:
                body["errors"] = detail
        else:
            body["detail"] = " ".join(str(m) for m in _flatten(detail))
    elif isinstance(exc, exceptions.AuthenticationFailed | exceptions.PermissionDenied) and _custom(exc):
        body["detail"] = str(exc.detail)
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["detail"] = ngettext(
            "Quá nhiều yêu cầu: vui lòng thử lại sau %(seconds)d giây.",
            "Quá nhiều yêu cầu: vui lòng thử lại sau %(seconds)d giây.",
            int(exc.wait),
        ) % {"seconds": exc.wait}
    elif isinstance(exc, exceptions.NotFound) and str(exc.detail) not in ("Not found.", _("Không tìm thấy.")):
        body["detail"] = str(exc.detail)
    response.data = body
    return response


def _code(exc) -> str:
    if isinstance(exc, Http404):
        return "not_found"
    if isinstance(exc, PermissionDenied):
        return "permission_denied"
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    return getattr(exc, "default_code", "error") if isinstance(exc, exceptions.APIException) else "error"


def _custom(exc) -> bool:
    """Our own messages (token revoked, read-only token…) are worth more than the generic sentence."""
    return str(exc.detail) not in {str(type(exc).default_detail)}


def _flatten(detail):
    if isinstance(detail, list | tuple):
        for item in detail:
            yield from _flatten(item)
    elif isinstance(detail, dict):
        for item in detail.values():
            yield from _flatten(item)
    else:
        yield detail


def error_response(message: str, *, errors: dict | None = None, status_code: int = status.HTTP_400_BAD_REQUEST):
    """A refusal a view decides itself (a service's ReportError, say), in the same shape as every other."""
    body = {"status": status_code, "code": "invalid" if status_code == 400 else "error", "detail": message}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code)


def not_found(request, exception=None):
    """Django's 404 (handler404): JSON in the shared shape under /api/, templates/404.html elsewhere: the same page
    for a missing object and one outside the user's scope."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        messages = _messages()
        return JsonResponse({"status": 404, "code": "not_found", "detail": messages["not_found"]}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    """Django's 500 (handler500): JSON in the shared shape under /api/, elsewhere templates/500.html, rendered
    without the request's context (no database query: the database may be what failed)."""
    from django.http import HttpResponseServerError, JsonResponse
    from django.template import loader

    request_id = getattr(request, "request_id", "")
    # Django's django.request logger has the traceback; this line ties it to the id the user sees.
    logger.error("Server error on %s %s, request id %s", request.method, request.path, request_id or "-")
    if request.path.startswith("/api/"):
        detail = _("Hệ thống gặp lỗi; vui lòng thử lại sau.")
        return JsonResponse({"status": 500, "code": "error", "detail": detail, "request_id": request_id}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id}))
