"""Django's password rules, with the sentence that Django's Vietnamese catalogue lacks (AUTH_PASSWORD_VALIDATORS)."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _

# The demo accounts' published password (demo.users): a real account must never have it (ensure_admin refuses it).
DEMO_PASSWORD = "ntm-demo-2024"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu này quá ngắn: cần ít nhất %(count)d ký tự.") % {"count": self.min_length}
