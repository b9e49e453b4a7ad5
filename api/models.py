"""API tokens: how other agencies' systems sign in."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A key another agency's system sends instead of a log-in: it acts as its user, within the user's scope.

    Only a hash of the key is stored; the key itself is shown once, when the token is created in the admin.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên"), max_length=100, help_text=_("Hệ thống nào dùng khóa này, ví dụ “CSDL Sở NN”"))
    prefix = models.CharField(_("tiền tố"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("mã băm của khóa"), max_length=64, unique=True, editable=False)
    can_write = models.BooleanField(
        _("được ghi"), default=False, help_text=_("Không chọn: khóa chỉ đọc. Chọn: được gửi và sửa số liệu.")
    )
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        db_table = "communes_apitoken"  # kept from before the move out of communes
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def issue_key(self) -> str:
        """A new random key for this token (its hash and prefix set, not saved): the one time it is readable."""
        key = secrets.token_urlsafe(32)
        self.prefix = key[: self.PREFIX_LENGTH]
        self.key_hash = self.hash(key)
        return key

    @property
    def access_label(self) -> str:
        return str(_("đọc và ghi") if self.can_write else _("chỉ đọc"))
