"""How another agency's system proves who it is: `Authorization: Token <key>` (or `Bearer <key>`).

A token acts as its user, so every scoped queryset applies to it unchanged; a read-only token may not write. An
address that sends too many invalid tokens is refused for a while, valid tokens included (InvalidTokenThrottle).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.models import ApiToken
from api.throttling import InvalidTokenThrottle

KEYWORDS = (b"token", b"bearer")
# last_used_at is for people reading the admin; writing it on every call would double the writes of a busy system.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        # Asked first: an address that has sent too many invalid tokens is refused before any lookup.
        throttle = InvalidTokenThrottle(request)
        throttle.check()
        try:
            return self._user_and_token(header)
        except exceptions.AuthenticationFailed:
            throttle.record_failure()
            raise

    def _user_and_token(self, header: list[bytes]) -> tuple:
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Token <khóa>”, khóa không chứa dấu cách.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ.")) from None
        now = timezone.now()
        tokens = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key))
        token = tokens.usable(now).first()
        if token is None:
            # Only for the message: the token's own rule (usable) has already refused it.
            known = tokens.values("revoked_at").first()
            if known is None:
                raise exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ."))
            if known["revoked_at"] is not None:
                raise exceptions.AuthenticationFailed(_("Khóa truy cập đã bị thu hồi."))
            raise exceptions.AuthenticationFailed(_("Khóa truy cập đã hết hạn."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản của khóa truy cập đã bị khóa."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return 'Token realm="api"'


class TokenAccess(BasePermission):
    """A read-only token reads; only a read-write token (or a browser session) writes."""

    message = _("Khóa truy cập này chỉ được đọc: dùng khóa được ghi để gửi hoặc sửa số liệu.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if request.method in SAFE_METHODS or not isinstance(token, ApiToken):
            return True
        if request.method not in getattr(view, "allowed_methods", ()):
            return True  # the view answers 405, which says more than a 403 would
        return token.can_write


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("“Token <khóa>”: khóa do quản trị viên cấp trong trang quản trị, gắn với một tài khoản."),
        }
