"""Create (or update) the administrator of a fresh deployment from the environment, never with the demo password.

    DJANGO_ADMIN_USERNAME=quantri DJANGO_ADMIN_PASSWORD=… DJANGO_ADMIN_EMAIL=… python manage.py ensure_admin

Idempotent: a second run changes nothing unless the environment changed; an existing administrator keeps the
password someone changed since, unless --reset-password is given. compose.yaml's one-shot step runs it.
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communes.passwords import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị từ biến môi trường DJANGO_ADMIN_USERNAME, DJANGO_ADMIN_PASSWORD, DJANGO_ADMIN_EMAIL."

    def add_arguments(self, parser):
        parser.add_argument("--reset-password", action="store_true", help="Đặt lại mật khẩu nếu tài khoản đã có")

    def handle(self, *args, reset_password=False, **options):
        username = os.environ.get("DJANGO_ADMIN_USERNAME", "").strip()
        password = os.environ.get("DJANGO_ADMIN_PASSWORD", "")
        email = os.environ.get("DJANGO_ADMIN_EMAIL", "").strip()
        if not username or not password:
            raise CommandError("Cần đặt DJANGO_ADMIN_USERNAME và DJANGO_ADMIN_PASSWORD để tạo tài khoản quản trị.")
        if password == DEMO_PASSWORD:
            raise CommandError("DJANGO_ADMIN_PASSWORD là mật khẩu minh họa công khai: hãy chọn mật khẩu khác.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("DJANGO_ADMIN_PASSWORD chưa đủ mạnh: " + " ".join(exc.messages)) from None
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        user.is_staff = user.is_superuser = user.is_active = True
        if email:
            user.email = email
        if created or reset_password:
            user.set_password(password)
        user.save()
        self.stdout.write(
            f"Tài khoản quản trị {username}: {'đã tạo' if created else 'đã có, giữ nguyên mật khẩu'}"
            + (" (đã đặt lại mật khẩu)" if reset_password and not created else "")
            + "."
        )
