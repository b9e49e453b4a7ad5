"""Guessing and flooding, and one's own password (issue 13, items 5 and 7): logins lock after repeated failures per
account and per address, with a Vietnamese page and an unlock in the admin; invalid API tokens are throttled per
address, counted in the database cache that every process shares; people change their password on a Vietnamese
page, and an administrator can require a new one."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.throttling import InvalidTokenThrottle, client_address
from communes.backends import AccountBackend
from communes.models import AccountSecurity, Role
from ntm_portal import settings as portal_settings
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "matkhau-thu-nghiem"  # tests.factories.UserFactory's
NEW_PASSWORD = "Lua-Nuoc-2025-moi"


def _log_in(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username: str, times: int, address: str = "127.0.0.1") -> list[int]:
    return [_log_in(client, username, "sai-mat-khau", address).status_code for _i in range(times)]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT, user__username="canbo.dakglei").user


@pytest.fixture
def database_cache(settings):
    """The cache as the portal configures it, the database's table, instead of the tests' memory (tests/conftest.py)."""
    settings.CACHES = portal_settings.CACHES


# ---------------------------------------------------------------- login lockout


def test_login_locks_after_the_configured_failures_and_refuses_the_right_password(client, official, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # the default of DJANGO_LOGIN_FAILURE_LIMIT
    assert _fail(client, official.username, limit - 1) == [200] * (limit - 1)  # the form again, with its message
    locked = _log_in(client, official.username, "sai-mat-khau")
    assert locked.status_code == 429
    right = _log_in(client, official.username, PASSWORD)
    assert right.status_code == 429
    assert not _logged_in(client)
    text = right.text
    assert "Tạm khóa đăng nhập" in text
    assert "Đã nhập sai mật khẩu 5 lần" in text
    assert "Vui lòng đợi 15 phút rồi thử lại." in text
    assert "Quản trị viên có thể mở khóa ngay" in text
    assert 'class="site-header"' in text  # the portal's layout


def test_one_address_is_locked_whatever_accounts_it_tries(client, official, settings):
    others = [UserFactory() for _i in range(settings.AXES_FAILURE_LIMIT)]
    for user in others:
        _fail(client, user.username, 1, address="10.1.1.1")
    assert _log_in(client, official.username, PASSWORD, address="10.1.1.1").status_code == 429
    assert not _logged_in(client)
    # The same account from another address is not locked: it had no failure of its own.
    assert _log_in(client, official.username, PASSWORD, address="10.1.1.2").status_code == 302
    assert _logged_in(client)


def test_one_account_is_locked_from_every_address(client, official, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, official.username, 1, address=f"10.2.0.{i + 1}")
    assert _log_in(client, official.username, PASSWORD, address="10.2.9.9").status_code == 429
    assert not _logged_in(client)


def test_a_forwarded_for_header_does_not_change_the_address_counted(client, official, settings):
    # Without DJANGO_TRUSTED_PROXIES the header is the client's own say, so it is ignored.
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"ai-do-{i}", "password": "sai"},
            REMOTE_ADDR="10.3.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    assert _log_in(client, official.username, PASSWORD, address="10.3.0.1").status_code == 429


def test_the_admin_login_counts_and_locks_too(client, admin_user, settings):
    for _i in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("admin:login"), {"username": "admin", "password": "sai"})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.text


def test_an_administrator_unlocks_from_the_admin(client, admin_client, official, settings):
    _fail(client, official.username, settings.AXES_FAILURE_LIMIT)
    assert _log_in(client, official.username, PASSWORD).status_code == 429
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert official.username in listing.text
    assert "Mở khóa: xóa các lần đăng nhập sai đã chọn" in listing.text
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin_client.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": ids})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _log_in(client, official.username, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client, official, settings):
    _fail(client, official.username, settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1))
    assert _log_in(client, official.username, PASSWORD).status_code == 302


def test_a_good_login_clears_the_accounts_failures(client, official, settings):
    limit = settings.AXES_FAILURE_LIMIT
    _fail(client, official.username, limit - 1)
    assert _log_in(client, official.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert _fail(client, official.username, limit - 1) == [200] * (limit - 1)
    assert _log_in(client, official.username, PASSWORD).status_code == 302


def test_a_good_login_leaves_other_accounts_failures_from_its_address(client, official, settings):
    # Otherwise anyone with an account could guess at a colleague's password and wipe the count by logging in.
    colleague = UserFactory()
    _fail(client, colleague.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client, official.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert _log_in(client, colleague.username, "sai-mat-khau").status_code == 429


# ---------------------------------------------------------------- invalid API tokens


def _token(user) -> str:
    token = ApiToken(user=user, name="Hệ thống Sở")
    key = token.issue_key()
    token.save()
    return key


def _api(key: str, address: str) -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def three_invalid_per_minute(monkeypatch):
    # The rates are read into the class when DRF loads; patch them there for this test only.
    monkeypatch.setattr(InvalidTokenThrottle, "THROTTLE_RATES", {"invalid_token": "3/minute"})


@pytest.mark.usefixtures("database_cache", "three_invalid_per_minute")
def test_invalid_tokens_are_throttled_per_address_before_any_lookup(official):
    guesser = _api("khong-phai-khoa-that", "10.9.0.1")
    assert [guesser.get("/api/v1/").status_code for _i in range(3)] == [401, 401, 401]
    response = guesser.get("/api/v1/")
    assert response.status_code == 429
    body = response.json()
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert body["detail"].startswith("Quá nhiều yêu cầu: vui lòng thử lại sau")
    assert int(response["Retry-After"]) > 0
    # From that address even a valid token is refused, unread: no query touches the tokens' table.
    valid = _token(official)
    with CaptureQueriesContext(connection) as queries:
        assert _api(valid, "10.9.0.1").get("/api/v1/").status_code == 429
    assert not [q for q in queries.captured_queries if "communes_apitoken" in q["sql"]]
    # From another address the valid token works.
    assert _api(valid, "10.9.0.2").get("/api/v1/").status_code == 200


@pytest.mark.usefixtures("database_cache", "three_invalid_per_minute")
def test_valid_tokens_are_not_counted_as_failures(official):
    client = _api(_token(official), "10.9.1.1")
    assert [client.get("/api/v1/").status_code for _i in range(5)] == [200] * 5


@pytest.mark.usefixtures("database_cache", "three_invalid_per_minute")
def test_the_counts_are_in_the_database_cache_that_every_process_reads(official):
    for _i in range(3):
        _api("khong-phai-khoa-that", "10.9.2.1").get("/api/v1/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portal_cache")
        assert cursor.fetchone()[0] >= 1
    # A cache object of its own, as another worker process would have, reads the same count.
    other_process = DatabaseCache("portal_cache", {})
    key = InvalidTokenThrottle.cache_format % {"scope": "invalid_token", "ident": "10.9.2.1"}
    assert len(other_process.get(key)) == 3


def test_the_cache_is_the_database_cache_unless_configured():
    assert portal_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert portal_settings.cache_from_url("redis://cache.local:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.local:6379/1",
    }
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE_URL"):
        portal_settings.cache_from_url("memcached://x")


def test_the_client_address_trusts_forwarded_for_only_behind_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(request) == "10.0.0.1"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_address(request) == "203.0.113.7"  # what the one proxy saw; the client wrote the rest


# ---------------------------------------------------------------- changing one's password


def test_the_header_links_to_a_vietnamese_password_change_page(client_for, official):
    client = client_for(official)
    home = client.get(reverse("communes:province-list"))
    assert f'href="{reverse("password_change")}"' in home.text
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    for text in ("Đổi mật khẩu", "Mật khẩu hiện tại", "Mật khẩu mới", "Nhập lại mật khẩu mới", "ít nhất 8 ký tự"):
        assert text in response.text


def test_a_password_change_keeps_the_session_and_takes_effect(client_for, official):
    client = client_for(official)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"])
    assert done.status_code == 200
    assert "Đã đổi mật khẩu" in done.text
    official.refresh_from_db()
    assert official.check_password(NEW_PASSWORD)
    assert official.account_security.password_changed_at is not None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("sai-mat-khau", NEW_PASSWORD, "Mật khẩu cũ không chính xác"),
        (PASSWORD, "ngan", "Mật khẩu này quá ngắn: cần ít nhất 8 ký tự."),
    ],
)
def test_a_refused_change_says_why_in_vietnamese(client_for, official, old, new, message):
    response = client_for(official).post(
        reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert "Chưa đổi được mật khẩu" in response.text
    assert message in response.text
    official.refresh_from_db()
    assert official.check_password(PASSWORD)


def test_the_admins_password_link_leads_to_the_same_page(admin_client):
    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")


def test_the_password_pages_need_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------- a change required by an administrator


@pytest.fixture
def must_change(official):
    AccountSecurity.objects.create(user=official, must_change_password=True)
    return official


@pytest.mark.parametrize("path", ["/", "/provinces/", "/criteria/", "/admin/", "/account/password/done/"])
def test_someone_who_must_change_is_sent_to_the_change_page_from_any_page(client_for, must_change, path):
    response = client_for(must_change).get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")


def test_someone_who_must_change_sees_why_and_can_still_log_out(client_for, must_change):
    client = client_for(must_change)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Quản trị viên yêu cầu bạn đặt mật khẩu mới" in page.text
    assert client.post(reverse("set_language"), {"language": "vi", "next": "/"}).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not _logged_in(client)


def test_the_api_refuses_the_session_of_someone_who_must_change_but_not_their_token(client_for, must_change):
    response = client_for(must_change).get("/api/v1/units/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "đổi mật khẩu" in response.json()["detail"]
    assert _api(_token(must_change), "10.8.0.1").get("/api/v1/units/").status_code == 200


def test_changing_the_password_lifts_the_requirement(client_for, must_change):
    client = client_for(must_change)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    assert not AccountSecurity.requires_change(type(must_change).objects.get(pk=must_change.pk))
    assert client.get("/provinces/").status_code == 200


def test_the_admin_action_requires_a_new_password(admin_client, official):
    other = UserFactory()
    response = admin_client.post(
        "/admin/auth/user/", {"action": "require_password_change", "_selected_action": [official.pk, other.pk]}
    )
    assert response.status_code == 302
    assert set(AccountSecurity.objects.filter(must_change_password=True).values_list("user", flat=True)) == {
        official.pk,
        other.pk,
    }
    listing = admin_client.get("/admin/auth/user/")
    assert "2 người dùng phải đặt mật khẩu mới trước khi mở trang khác." in listing.text
    assert "phải đổi mật khẩu" in listing.text.lower()


def test_a_forced_reset_a_temporary_password_then_a_new_one(admin_client, client, official):
    """The administrator sets a temporary password and requires a change; the person logs in with it, is sent to
    the change page, sets their own and works on."""
    temporary = "Tam-thoi-2025-xyz"
    user_page = f"/admin/auth/user/{official.pk}/"
    response = admin_client.post(
        f"{user_page}password/", {"password1": temporary, "password2": temporary, "usable_password": "true"}
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    admin_client.post("/admin/auth/user/", {"action": "require_password_change", "_selected_action": [official.pk]})
    assert _log_in(client, official.username, temporary).status_code == 302
    assert client.get("/").headers["Location"] == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert client.get("/provinces/").status_code == 200


@pytest.mark.parametrize("page", ["change", "add"])
def test_the_user_admin_offers_the_requirement_on_a_users_page(admin_client, official, page):
    path = f"/admin/auth/user/{official.pk}/change/" if page == "change" else "/admin/auth/user/add/"
    response = admin_client.get(path)
    assert response.status_code == 200
    assert "account_security-0-must_change_password" in response.text


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_the_login_records_have_admin_pages(admin_client, model):
    assert admin_client.get(f"/admin/axes/{model}/").status_code == 200


def test_the_check_on_every_page_costs_no_query(must_change, django_assert_num_queries):
    flagged = AccountBackend().get_user(must_change.pk)
    plain = AccountBackend().get_user(UserFactory().pk)
    with django_assert_num_queries(0):
        assert AccountSecurity.requires_change(flagged)
        assert not AccountSecurity.requires_change(plain)
