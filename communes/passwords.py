"""Django's password rules, with the sentence that Django's Vietnamese catalogue lacks (AUTH_PASSWORD_VALIDATORS)."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu này quá ngắn: cần ít nhất %(count)d ký tự.") % {"count": self.min_length}
