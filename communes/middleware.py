"""Request checks about the signed-in person's account."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import AccountSecurity

# What someone who must change their password may still open.
ALLOWED_URL_NAMES = ("password_change", "logout", "set_language")


class PasswordChangeRequiredMiddleware:
    """Someone whose administrator requires a new password is sent to the password change page from every other
    page, until they set one (communes.account_views.PasswordChangeView lifts the requirement).

    Under /api/ a browser session gets 403 in the API's shape instead of a redirect. A token is not a password and is
    not blocked: token requests have no signed-in user at this point.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and AccountSecurity.requires_change(user) and not self._allowed(request.path):
            if request.path.startswith("/api/"):
                detail = _("Quản trị viên yêu cầu bạn đổi mật khẩu: hãy đổi mật khẩu trên cổng rồi thử lại.")
                return JsonResponse({"status": 403, "code": "permission_denied", "detail": detail}, status=403)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(static) or path in {reverse(name) for name in ALLOWED_URL_NAMES}
