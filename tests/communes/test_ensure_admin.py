"""ensure_admin (issue 16): a fresh deployment's administrator from the environment, never the demo password."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

STRONG = "Ql-Ngai-2026-van-phong"


def test_the_administrator_is_created_once_and_keeps_a_changed_password(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_USERNAME", "quantri")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", STRONG)
    monkeypatch.setenv("DJANGO_ADMIN_EMAIL", "vpdp@quangngai.gov.vn")
    call_command("ensure_admin")
    admin = get_user_model().objects.get(username="quantri")
    assert (admin.is_superuser, admin.is_staff, admin.email) == (True, True, "vpdp@quangngai.gov.vn")
    assert admin.check_password(STRONG)
    admin.set_password("another-long-password-2026")
    admin.save()
    call_command("ensure_admin")  # a restart of the containers must not put the old password back
    admin.refresh_from_db()
    assert admin.check_password("another-long-password-2026")
    call_command("ensure_admin", reset_password=True)
    admin.refresh_from_db()
    assert admin.check_password(STRONG)


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "Cần đặt DJANGO_ADMIN_USERNAME"), ("ntm-demo-2024", "mật khẩu minh họa công khai"), ("123", "chưa đủ mạnh")],
)
def test_a_missing_public_or_weak_password_is_refused(monkeypatch, password, message):
    monkeypatch.setenv("DJANGO_ADMIN_USERNAME", "quantri")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("ensure_admin")
    assert not get_user_model().objects.exists()
